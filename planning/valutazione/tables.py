"""Table of the evaluation cards: one row per card with dimension 1 under both rules (exports use the same columns)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import NumberColumn, ShortTextColumn, table_meta

from ..models import SchedaValutazione
from . import rules

TH: dict = {}


def _conteggi(record) -> rules.Conteggi:
    return rules.Conteggi(
        realizzate=record.n_realizzate,
        parziali=record.n_parziali,
        non_realizzate=record.n_azioni - record.n_realizzate - record.n_parziali,
    )


class GradoColumn(tables.Column):
    """Dimension 1 computed from the counts, with partial actions counted as done (or not)."""

    def __init__(self, *args, parziali: bool, **kwargs):
        self.parziali = parziali
        attrs = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end", "scope": "col"}}
        super().__init__(*args, accessor="pk", orderable=False, attrs=attrs, **kwargs)

    def grado(self, record):
        return rules.grado(_conteggi(record), parziali_come_realizzate=self.parziali)

    def render(self, record, table):
        value = self.grado(record)
        text = rules.percentuale_compatta(value) if value is not None else "—"
        if table.regola == self.parziali and value is not None:
            return format_html('<strong title="Regola del piano">{}</strong>', text)
        return text

    def value(self, record):
        return self.grado(record)


class SchedaValutazioneTable(tables.Table):
    caption = _("Schede di valutazione (filtrate): azioni per stato e grado di raggiungimento con le due regole")
    ordine = tables.Column(verbose_name=_("N."), attrs=TH)
    area = tables.Column(verbose_name=_("Area"), attrs=TH, default="—")
    obiettivo = ShortTextColumn(
        length=110, verbose_name=_("Obiettivo"), linkify=True, attrs={"td": {"style": "min-width: 14rem"}}
    )
    n_azioni = NumberColumn(verbose_name=_("Azioni programmate"))
    n_realizzate = NumberColumn(verbose_name=_("Realizzate"))
    n_parziali = NumberColumn(verbose_name=_("Parzialmente"))
    n_non = tables.Column(
        verbose_name=_("Non realizzate"), accessor="pk", orderable=False,
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end", "scope": "col"}},
    )  # fmt: skip
    con_parziali = GradoColumn(verbose_name=_("Grado (parziali come realizzate)"), parziali=True)
    senza_parziali = GradoColumn(verbose_name=_("Grado (solo realizzate)"), parziali=False)
    d1_percentuale_stampata = NumberColumn(verbose_name=_("% nel documento"), decimals=1, percent=True)
    d6_risposta = tables.Column(verbose_name=_("Bisogno risposto"), attrs={"td": {"class": "text-nowrap"}})
    d8 = tables.Column(verbose_name=_("Riproposto"), accessor="pk", orderable=False, attrs=TH)

    Meta = table_meta(
        SchedaValutazione,
        (
            "ordine", "area", "obiettivo", "n_azioni", "n_realizzate", "n_parziali", "n_non", "con_parziali",
            "senza_parziali", "d1_percentuale_stampata", "d6_risposta", "d8",
        ),
        testid="tabella-schede-valutazione", empty_text=_("Nessuna scheda corrisponde ai filtri."),
        classes="table table-sm table-hover align-middle tabella-compatta",
    )  # fmt: skip

    def __init__(self, *args, regola: bool = True, **kwargs):
        self.regola = regola
        super().__init__(*args, **kwargs)

    def value_area(self, record):
        """The sub-ambito of the card (E2 cards), then its area."""
        sub = record.sub_ambito.nome if record.sub_ambito_id else ""
        return " · ".join(x for x in (sub, record.area) if x)

    def render_area(self, record):
        return self.value_area(record) or "—"

    def render_n_non(self, record):  # also the exported value
        return _conteggi(record).non_concluse

    def render_d8(self, record):
        if record.collegata:
            return format_html('Sì <span class="badge bg-success">{}</span>', _("collegato"))
        return record.get_d8_risposta_display() or "—"

    def value_d8(self, record):
        return "Sì (collegato)" if record.collegata else record.get_d8_risposta_display()
