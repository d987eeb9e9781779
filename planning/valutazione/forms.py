"""Forms of the evaluation: settings (period, rule of dimension 1), a card with its actions, carry forward."""

from __future__ import annotations

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import ItalianDecimalField, PortalForm, PortalModelForm

from ..models import Area, AzioneValutata, Intervento, Obiettivo, PianoDiZona, SchedaValutazione, Valutazione
from ..piano.forms import AmountField


class ValutazioneForm(PortalModelForm):
    class Meta:
        model = Valutazione
        fields = ["periodo_valutato", "periodo_precedente", "piano_valutato", "regola_parziali", "note"]
        widgets = {"regola_parziali": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, piano: PianoDiZona, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["piano_valutato"].queryset = PianoDiZona.objects.filter(
            ambito=piano.ambito, anno_inizio__lt=piano.anno_inizio
        )
        self.fields["piano_valutato"].empty_label = _("Non presente nel portale")


class SchedaValutazioneForm(PortalModelForm):
    d4_stanziato = AmountField(label=_("4. stanziato (€)"), required=False)
    d4_impegnato = AmountField(label=_("4. impegnato (€)"), required=False)
    d4_liquidato = AmountField(label=_("4. liquidato (€)"), required=False)
    d1_percentuale_stampata = ItalianDecimalField(
        label=_("1. percentuale indicata nel documento"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Solo per confronto: il grado di raggiungimento si calcola dalle azioni"),
    )

    class Meta:
        model = SchedaValutazione
        fields = [
            "modello", "area", "sub_ambito", "obiettivo", "descrizione", "obiettivo_precedente",
            "d1_esito", "d1_percentuale_stampata", "d1_note", "d2_utenti", "d3_adeguatezza", "d3_note",
            "d4_esito", "d4_stanziato", "d4_impegnato", "d4_liquidato", "d5_criticita",
            "d6_risposta", "d6_note", "d7_risposta", "d7_note", "d8_risposta", "d8_note",
        ]  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "obiettivo", "descrizione", "d1_esito", "d1_note", "d2_utenti", "d3_note", "d4_esito",
                "d6_note", "d7_note", "d8_note",
            )
        } | {"d5_criticita": forms.Textarea(attrs={"rows": 4})}  # fmt: skip

    def __init__(self, *args, valutazione: Valutazione, **kwargs):
        super().__init__(*args, **kwargs)
        piano = valutazione.piano
        sub = piano.ambito.sub_ambiti.all()
        if sub.exists():
            self.fields["sub_ambito"].queryset = sub
        else:
            del self.fields["sub_ambito"]
        if valutazione.piano_valutato_id:
            self.fields["obiettivo_precedente"].queryset = Obiettivo.objects.filter(piano=valutazione.piano_valutato)
        else:
            del self.fields["obiettivo_precedente"]
        if self.instance.pk and self.instance.riprese.exists():
            self.fields["d8_risposta"].disabled = True
            self.fields["d8_risposta"].help_text = _("Noto dal collegamento: l'obiettivo è stato riproposto nel piano.")


class AzioneValutataForm(PortalModelForm):
    class Meta:
        model = AzioneValutata
        fields = ["ordine", "gruppo", "titolo", "stato", "desunto", "nota"]
        widgets = {
            "titolo": forms.Textarea(attrs={"rows": 2}),
            "nota": forms.TextInput(),
            "ordine": forms.NumberInput(attrs={"min": 1, "style": "max-width:5rem"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ordine"].required = False

    def has_changed(self) -> bool:
        """A new row whose only input is the position (set by the reorder script) is still empty."""
        return any(name != "ordine" for name in self.changed_data)


class BaseAzioniFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if form.has_changed() and not self._should_delete_form(form):
                data = getattr(form, "cleaned_data", {})
                if data and not data.get("stato"):
                    form.add_error("stato", _("Indicare lo stato finale dell'azione."))


AzioneValutataFormSet = inlineformset_factory(
    SchedaValutazione,
    AzioneValutata,
    form=AzioneValutataForm,
    formset=BaseAzioniFormSet,
    extra=2,
    can_delete=True,
)


class RiproponiForm(PortalForm):
    """Carry the evaluated objective forward into the plan that contains the evaluation."""

    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Area del nuovo piano"), required=False)
    titolo = forms.CharField(
        label=_("Titolo dell'obiettivo nel nuovo piano"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Vuoto: lo stesso titolo dell'obiettivo valutato"),
    )

    def __init__(self, *args, piano: PianoDiZona, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = piano.aree.all()
        self.fields["area"].empty_label = _("Senza area")


def _from_previous_plans(field: forms.ModelChoiceField, model, precedenti) -> None:
    """The choice among the objects of the previous plans, the oldest plan first, each labelled «period · object»."""
    field.queryset = (
        model.objects.filter(piano__in=precedenti).select_related("piano").order_by("piano__anno_inizio", "ordine")
    )
    field.label_from_instance = lambda obj: f"{obj.piano.periodo} · {str(obj)[:100]}"


class RiprendiInterventoForm(PortalForm):
    intervento = forms.ModelChoiceField(queryset=Intervento.objects.none(), label=_("Intervento da riprendere"))
    obiettivo = forms.ModelChoiceField(queryset=Obiettivo.objects.none(), label=_("Sotto l'obiettivo del nuovo piano"))

    def __init__(self, *args, piano: PianoDiZona, precedenti, **kwargs):
        super().__init__(*args, **kwargs)
        _from_previous_plans(self.fields["intervento"], Intervento, precedenti)
        self.fields["obiettivo"].queryset = piano.obiettivi.select_related("area")
        self.fields["obiettivo"].label_from_instance = lambda o: str(o)[:110]


class RiprendiObiettivoForm(PortalForm):
    obiettivo = forms.ModelChoiceField(queryset=Obiettivo.objects.none(), label=_("Obiettivo da riprendere"))
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Area del nuovo piano"), required=False)

    def __init__(self, *args, piano: PianoDiZona, precedenti, **kwargs):
        super().__init__(*args, **kwargs)
        _from_previous_plans(self.fields["obiettivo"], Obiettivo, precedenti)
        self.fields["area"].queryset = piano.aree.all()
        self.fields["area"].empty_label = _("Senza area")
