"""Forms of the plan's budget: a fund's allocation, a budget line, a commitment or payment, the Comuni's
co-financing rule and a Comune's payment. Amounts are typed the Italian way (1234,56 or 1.234,56), dates as
dd/mm/yyyy. The checks that count money (what a fund still has, what a line may still commit) are the services'
(planning.bilancio.services): their ValidationError goes on the field it names (`add_service_errors`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm, PortalModelForm

from ..models import Assegnazione, NaturaMovimento, PianoDiZona, QuotaComune, RegolaQuote, RigaBilancio, TipoMovimento
from ..piano.forms import AmountField


class ItalianDateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy (shown the same way)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "gg/mm/aaaa", "inputmode": "numeric", **(attrs or {})}, format="%d/%m/%Y"
        )


def date_field(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=ItalianDateInput(),
        input_formats=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"],
        error_messages={"invalid": _("Indicare la data come gg/mm/aaaa (es. 31/12/2025).")},
    )


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message on the field it names when the form has that
    field, on the whole form otherwise."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = name if name in form.fields else None
            for e in errors:
                form.add_error(field, e.messages if hasattr(e, "messages") else e)
    else:
        form.add_error(None, error.messages)


class AssegnazioneForm(PortalModelForm):
    importo = AmountField(label=_("Importo assegnato (€)"), help_text=_("Es. 125.000,00"))
    data_atto = date_field(_("Data dell'atto"), required=False)
    scadenza_spesa = date_field(_("Termine per la spesa"), required=False)
    scadenza_rendicontazione = date_field(_("Termine per la rendicontazione"), required=False)

    class Meta:
        model = Assegnazione
        fields = [
            "fondo", "anno", "importo", "atto", "data_atto", "aree",
            "scadenza_spesa", "scadenza_rendicontazione", "dimostrativa", "note",
        ]  # fmt: skip
        widgets = {"aree": forms.CheckboxSelectMultiple, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, piano: PianoDiZona, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aree"].queryset = piano.aree.order_by("ordine", "codice")
        self.fields["fondo"].queryset = self.fields["fondo"].queryset.order_by("ordine", "codice")
        self.fields["anno"].help_text = _("Un anno precedente al %(anno)s: residui del ciclo precedente.") % {
            "anno": piano.anno_inizio
        }


class RigaBilancioForm(PortalModelForm):
    importo = AmountField(label=_("Importo programmato (€)"), help_text=_("Es. 12.500,00"))

    class Meta:
        model = RigaBilancio
        fields = ["intervento", "assegnazione", "anno", "importo", "nota"]

    def __init__(self, *args, piano: PianoDiZona, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervento"].queryset = piano.interventi.order_by("ordine", "pk")
        self.fields["assegnazione"].queryset = Assegnazione.objects.filter(piano=piano).select_related("fondo")
        years = [(y, str(y)) for y in range(piano.anno_inizio, piano.anno_fine + 1)]
        self.fields["anno"] = forms.TypedChoiceField(
            label=_("Anno del piano"), choices=years, coerce=int, initial=piano.anno_inizio
        )


class MovimentoForm(PortalForm):
    tipo = forms.ChoiceField(label=_("Tipo"), choices=TipoMovimento.choices)
    natura = forms.ChoiceField(label=_("Natura"), choices=NaturaMovimento.choices, initial=NaturaMovimento.NUOVO)
    data = date_field(_("Data"))
    atto = forms.CharField(label=_("Atto"), max_length=200, help_text=_("Es. «Determina n. 123/2025»"))
    importo = AmountField(
        label=_("Importo (€)"), help_text=_("Negativo per una correzione in diminuzione o un disimpegno.")
    )
    nota = forms.CharField(label=_("Nota"), max_length=300, required=False)


class RegolaQuoteForm(PortalModelForm):
    importo_annuo = AmountField(label=_("Importo annuo da ripartire (€)"))

    class Meta:
        model = RegolaQuote
        fields = ["metodo", "anno_popolazione", "importo_annuo"]

    def clean(self):
        data = super().clean()
        if data.get("metodo") == "per_abitante" and not data.get("anno_popolazione"):
            self.add_error("anno_popolazione", _("Per il riparto per abitante indicare l'anno della popolazione."))
        return data


class VersamentoForm(PortalForm):
    quota = forms.ModelChoiceField(label=_("Anno della quota"), queryset=QuotaComune.objects.none())
    data = date_field(_("Data del versamento"))
    importo = AmountField(label=_("Importo versato (€)"))
    atto = forms.CharField(label=_("Riferimento"), max_length=200, required=False)

    def __init__(self, *args, quote, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["quota"]
        field.queryset = quote
        field.label_from_instance = lambda q: str(q.anno)  # type: ignore[attr-defined]
