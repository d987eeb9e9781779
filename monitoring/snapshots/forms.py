"""Forms of the quarterly snapshots: open a quarter, and the entry formsets (action states, indicator values)."""

from __future__ import annotations

from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm, PortalModelForm, optional_amount

from .models import StatoAzioneRilevato, ValoreIndicatoreRilevato


class NuovaRilevazioneForm(PortalForm):
    small_widgets = True

    anno = forms.IntegerField(label=_("Anno"), min_value=2000, max_value=2100)
    trimestre = forms.TypedChoiceField(label=_("Trimestre"), coerce=int, choices=[(i, f"T{i}") for i in range(1, 5)])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StatoAzioneForm(PortalModelForm):
    small_widgets = True

    class Meta:
        model = StatoAzioneRilevato
        fields = ["stato", "commento"]
        widgets = {"commento": forms.TextInput(), "stato": forms.Select(attrs={"style": "min-width: 14rem"})}

    def conflict_label(self, name: str) -> str:
        """The row in the conflict box (core.optimistic): «Stato: <azione>»."""
        return f"{self.fields[name].label}: {self.instance.azione.titolo[:120]}"


class ValoreIndicatoreForm(PortalModelForm):
    small_widgets = True

    valore = optional_amount(_("Valore rilevato"))

    class Meta:
        model = ValoreIndicatoreRilevato
        fields = ["valore", "commento"]
        widgets = {"commento": forms.TextInput()}

    def conflict_label(self, name: str) -> str:
        """The row in the conflict box (core.optimistic): «Valore rilevato: <indicatore>»."""
        return f"{self.fields[name].label}: {self.instance.indicatore.descrizione[:120]}"

    def clean_valore(self):
        value = self.cleaned_data.get("valore")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Il valore rilevato non può essere negativo."))
        return value


StatoAzioneFormSet = modelformset_factory(StatoAzioneRilevato, form=StatoAzioneForm, extra=0, can_delete=False)
ValoreIndicatoreFormSet = modelformset_factory(
    ValoreIndicatoreRilevato, form=ValoreIndicatoreForm, extra=0, can_delete=False
)
