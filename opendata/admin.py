"""Admin of the open data settings (read by the Amministratore; the Ufficio di Piano edits them in the portal)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Pubblicazione


@admin.register(Pubblicazione)
class PubblicazioneAdmin(SimpleHistoryAdmin):
    list_display = ["ambito", "editore", "codice_ipa", "licenza", "frequenza", "modificata_il"]
    list_select_related = ["ambito"]
    search_fields = ["ambito__nome", "editore", "codice_ipa"]
