"""The open data settings of an Ambito (Ufficio di Piano)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalModelForm

from .choices import Dataset
from .models import Pubblicazione


class PubblicazioneForm(PortalModelForm):
    dataset = forms.MultipleChoiceField(
        label=_("Dataset pubblicati"),
        choices=Dataset.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Solo dati aggregati: le schede non validate e i piani non approvati non sono mai pubblicati. "
            "Nessun dataset scelto: l'Ambito non pubblica nulla."
        ),
    )

    class Meta:
        model = Pubblicazione
        fields = ["dataset", "licenza", "editore", "codice_ipa", "email", "frequenza"]
