"""Forms of the campaign pages: opening a campaign, its milestones and reminders, the approval steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm

from .models import TipoScadenza

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OFFSETS_HELP = _("Giorni prima della scadenza di invio, separati da virgola (es. 30,7,0: 0 è il giorno stesso)")


class CampagnaOpenForm(PortalForm):
    modello = forms.ModelChoiceField(label=_("Modello e anno"), queryset=None, empty_label=None)
    comuni = forms.MultipleChoiceField(
        label=_("Comuni attesi"), widget=forms.CheckboxSelectMultiple, help_text=_("Di norma tutti i Comuni")
    )
    copia_anno_precedente = forms.BooleanField(
        label=_("Precompila ogni scheda nuova con i valori dell'anno precedente (da verificare)"),
        required=False,
        initial=True,
    )
    data_approvazione = forms.DateField(label=_("Approvazione con il rendiconto entro"), widget=DATE_WIDGET)
    data_invio = forms.DateField(label=_("Invio a SOSE entro"), widget=DATE_WIDGET)
    promemoria_giorni = forms.CharField(label=_("Promemoria agli Operatori"), initial="30,7,0", help_text=OFFSETS_HELP)

    def __init__(self, *args, modelli, comuni, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modello"].queryset = modelli
        self.fields["comuni"].choices = [(c.pk, f"{c.nome} ({c.pk})") for c in comuni]
        self.fields["comuni"].initial = [c.pk for c in comuni]


class CampagnaSettingsForm(PortalForm):
    promemoria_giorni = forms.CharField(label=_("Promemoria agli Operatori"), help_text=OFFSETS_HELP)
    promemoria_settimanali = forms.BooleanField(
        label=_("Dopo la scadenza, un promemoria a settimana finché la scheda non è inviata"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ScadenzaForm(PortalForm):
    tipo = forms.ChoiceField(label=_("Tipo"), choices=TipoScadenza.choices)
    titolo = forms.CharField(label=_("Titolo (per «Altra scadenza»)"), required=False, max_length=200)
    data = forms.DateField(label=_("Data"), widget=DATE_WIDGET)
    # the date the page showed (editing a milestone): a colleague's change meanwhile is not overwritten unseen
    data_mostrata = forms.DateField(required=False, widget=forms.HiddenInput)


class CampagnaTransitionForm(forms.Form):
    azione = forms.CharField()
    motivo = forms.CharField(label=_("Motivazione"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField()
