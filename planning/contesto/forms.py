"""Forms of the context facts: a spending fact and a printed figure (the Ufficio di Piano's entry)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalModelForm
from territory.models import Ambito, Comune

from ..models import SpesaSociale, TabellaSpesa, ValoreStampato, VoceSpesa
from ..piano.forms import AmountField


class SpesaSocialeForm(PortalModelForm):
    valore = AmountField(label=_("Valore (€ o %)"), required=False, help_text=_("Vuoto = «-» nel documento"))

    class Meta:
        model = SpesaSociale
        fields = ["tabella", "anno", "voce", "comune", "valore", "nota"]

    def __init__(self, *args, ambito: Ambito, **kwargs):
        super().__init__(*args, **kwargs)
        ids = ambito.with_sub_ambiti_ids()
        self.fields["tabella"].queryset = TabellaSpesa.objects.filter(ambito_id__in=ids)
        self.fields["voce"].queryset = VoceSpesa.objects.select_related("area").order_by("dimensione", "ordine")
        self.fields["voce"].label_from_instance = lambda v: f"{v.get_dimensione_display()} · {v.nome}"
        self.fields["comune"].queryset = Comune.objects.filter(ambito_id__in=ids)

    def clean(self):
        data = super().clean()
        tabella, voce, anno = data.get("tabella"), data.get("voce"), data.get("anno")
        if tabella and voce and voce.dimensione != tabella.dimensione:
            self.add_error(
                "voce",
                _("La tabella «%(t)s» è per %(d)s: scegliere una voce di questa dimensione.")
                % {"t": tabella.codice, "d": tabella.get_dimensione_display().lower()},
            )
        if tabella and voce and anno:
            dup = SpesaSociale.objects.filter(tabella=tabella, voce=voce, anno=anno, comune=data.get("comune"))
            if self.instance.pk:
                dup = dup.exclude(pk=self.instance.pk)
            if dup.exists():
                self.add_error("anno", _("Per questa voce e questo anno c'è già un dato nella tabella."))
        return data


class ValoreStampatoForm(PortalModelForm):
    valore = AmountField(label=_("Valore stampato"))

    class Meta:
        model = ValoreStampato
        fields = [
            "riferimento", "etichetta", "documento", "grandezza", "anno", "anno_base", "tabella", "ente", "voce",
            "comune", "campo_popolazione", "valore", "decimali", "nota",
        ]  # fmt: skip
        widgets = {"nota": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, ambito: Ambito, **kwargs):
        super().__init__(*args, **kwargs)
        ids = ambito.with_sub_ambiti_ids()
        self.fields["tabella"].queryset = TabellaSpesa.objects.filter(ambito_id__in=ids)
        self.fields["comune"].queryset = Comune.objects.filter(ambito_id__in=ids)
