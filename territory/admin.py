"""Admin of the territory (Ambiti, Comuni, population): editable by the Amministratore (superuser) only."""

from django.contrib import admin
from django.http import HttpRequest

from core.admin_lists import SuperuserEditMixin

from .models import Ambito, Comune, Popolazione, Regione


@admin.register(Regione)
class RegioneAdmin(SuperuserEditMixin, admin.ModelAdmin):
    list_display = ["codice", "nome"]
    search_fields = ["codice", "nome"]


@admin.register(Ambito)
class AmbitoAdmin(SuperuserEditMixin, admin.ModelAdmin):
    list_display = ["nome", "codice", "slug", "regione", "ente_capofila", "ats", "asst", "parent"]
    list_filter = ["regione", "ats"]
    search_fields = ["nome", "codice", "slug", "ente_capofila"]
    prepopulated_fields = {"slug": ["nome"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent", "regione"]


class PopolazioneInline(admin.TabularInline):
    model = Popolazione
    extra = 0
    fields = ["anno", "totale", "maschi", "femmine", "stranieri", "eta_0_14", "eta_0_17", "eta_65_oltre", "fonte"]


@admin.register(Comune)
class ComuneAdmin(SuperuserEditMixin, admin.ModelAdmin):
    list_display = ["codice_istat", "nome", "sigla_provincia", "regione", "ambito"]
    list_filter = ["regione", "ambito"]
    search_fields = ["codice_istat", "nome"]
    autocomplete_fields = ["ambito"]
    list_select_related = ["ambito"]
    inlines = [PopolazioneInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Comune | None = None) -> list[str]:
        return ["codice_istat"] if obj else []


@admin.register(Popolazione)
class PopolazioneAdmin(SuperuserEditMixin, admin.ModelAdmin):
    list_display = ["comune", "anno", "totale", "maschi", "femmine", "stranieri", "eta_0_17", "eta_65_oltre"]
    list_filter = ["anno", "comune__ambito"]
    search_fields = ["comune__nome", "comune__codice_istat"]
    autocomplete_fields = ["comune"]
    list_select_related = ["comune"]
