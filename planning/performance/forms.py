"""Forms of the performance plan: strategic objective, operational objective with its indicators (Ufficio di
Piano), and the dirigente's report (report text and achieved values only). Scores out of range are refused with
an Italian message; the total is never a field."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import Assegnazione
from core.forms import ItalianDecimalField, PortalModelForm, optional_amount

from ..models import IndicatorePerformance, ObiettivoOperativo, ObiettivoStrategico, PianoPerformance
from ..models.performance import MAX_QUALITATIVA, MAX_RISULTATO


class ScoreField(ItalianDecimalField):
    def __init__(self, *, maximum: int, label: str, **kwargs):
        super().__init__(
            label=label,
            required=False,
            max_digits=5,
            decimal_places=2,
            help_text=_("Da 0 a %(max)s punti") % {"max": maximum},
            **kwargs,
        )
        self.maximum = maximum

    def validate(self, value):
        super().validate(value)
        if value is not None and not (0 <= value <= self.maximum):
            raise forms.ValidationError(
                _("«%(label)s» va da 0 a %(max)s punti: indicato %(v)s.")
                % {"label": self.label, "max": self.maximum, "v": str(value).replace(".", ",")}
            )


class ObiettivoStrategicoForm(PortalModelForm):
    class Meta:
        model = ObiettivoStrategico
        fields = ["codice", "testo", "ordine"]
        widgets = {"testo": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"codice": _("Es. 2_1201_0: missione 12, programma 01 (ricavati dal codice)")}


class ObiettivoOperativoForm(PortalModelForm):
    valutazione_risultato = ScoreField(maximum=MAX_RISULTATO, label=_("Valutazione di risultato"))
    valutazione_qualitativa = ScoreField(maximum=MAX_QUALITATIVA, label=_("Valutazione qualitativa"))

    class Meta:
        model = ObiettivoOperativo
        fields = [
            "strategico", "codice", "testo", "obiettivi_collegati", "dirigente_nome", "dirigente_utente", "note",
            "indicatori_testo", "strategicita", "complessita", "impatto", "economicita", "peso", "report",
            "valutazione_risultato", "valutazione_qualitativa", "ordine",
        ]  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("testo", "obiettivi_collegati", "note", "indicatori_testo", "report")
        }

    def __init__(self, *args, piano: PianoPerformance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategico"].queryset = piano.obiettivi_strategici.all()
        users = (
            get_user_model()
            .objects.filter(pk__in=Assegnazione.objects.filter(ambito=piano.ambito).values("user_id"))
            .order_by("last_name", "username")
        )
        self.fields["dirigente_utente"].queryset = users
        self.fields["dirigente_utente"].label_from_instance = lambda u: u.get_full_name() or u.username


class IndicatorePerformanceForm(PortalModelForm):
    target = optional_amount(_("Target"))
    raggiunto = optional_amount(_("Valore raggiunto"))

    class Meta:
        model = IndicatorePerformance
        fields = ["ordine", "descrizione", "target", "unita", "raggiunto"]
        widgets = {
            "ordine": forms.NumberInput(attrs={"min": 1, "style": "max-width:5rem"}),
            "descrizione": forms.Textarea(attrs={"rows": 2}),  # long texts wrap in the grid
        }

    def has_changed(self) -> bool:
        """A new row whose only input is the position (set by the reorder script) is still empty."""
        return any(name != "ordine" for name in self.changed_data)


IndicatorePerformanceFormSet = inlineformset_factory(
    ObiettivoOperativo, IndicatorePerformance, form=IndicatorePerformanceForm, extra=2, can_delete=True
)


class ReportForm(PortalModelForm):
    class Meta:
        model = ObiettivoOperativo
        fields = ["report"]
        widgets = {"report": forms.Textarea(attrs={"rows": 8})}


class RaggiuntoForm(PortalModelForm):
    raggiunto = optional_amount(_("Valore raggiunto"))

    class Meta:
        model = IndicatorePerformance
        fields = ["raggiunto"]


RaggiuntoFormSet = inlineformset_factory(
    ObiettivoOperativo, IndicatorePerformance, form=RaggiuntoForm, extra=0, can_delete=False
)
