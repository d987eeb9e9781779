"""The performance plan as a table, in the layout of seed 004 (exports use the same columns)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.formatting import it_number
from core.tables import NumberColumn, ShortTextColumn, table_meta

from ..models import ObiettivoOperativo

TH: dict = {}


class RatingColumn(tables.Column):
    """A/M/B shown as the letter (the label is in the title)."""

    def render(self, record, value):
        name = str(self.accessor)
        return format_html(
            '<abbr title="{}">{}</abbr>', getattr(record, f"get_{name}_display")(), getattr(record, name)
        )

    def value(self, record, value):
        return getattr(record, str(self.accessor))


def _indicatori_html(record):
    items = []
    for i in record.indicatori.all():
        target = it_number(i.target, 0) if i.target is not None else "—"
        raggiunto = it_number(i.raggiunto, 0) if i.raggiunto is not None else "n.d."
        short = i.descrizione if len(i.descrizione) <= 48 else i.descrizione[:46] + "…"
        items.append((i.descrizione, short, raggiunto, target))
    if not items:
        return "—"
    return format_html(
        "<ul class='list-unstyled mb-0'>{}</ul>",
        format_html_join("", "<li><span title='{}'>{}</span>: <strong>{}</strong> su {}</li>", items),
    )


def _indicatori(record) -> str:
    parts = []
    for i in record.indicatori.all():
        target = it_number(i.target, 0) if i.target is not None else "—"
        raggiunto = it_number(i.raggiunto, 0) if i.raggiunto is not None else "n.d."
        parts.append(f"{i.descrizione}: target {target}, raggiunto {raggiunto}")
    return "; ".join(parts)


class ObiettivoOperativoTable(tables.Table):
    caption = _("Obiettivi operativi (filtrati): pesatura, report e valutazione; il totale è calcolato")
    codice_strategico = tables.Column(verbose_name=_("Cod. ob. strategico"), accessor="strategico__codice")
    programma = tables.Column(
        verbose_name=_("Missione / programma"), accessor="strategico__programma", default="—", orderable=False
    )
    codice = tables.Column(verbose_name=_("Cod. ob. operativo"), linkify=True)
    collegati = ShortTextColumn(
        length=90, verbose_name=_("Obiettivi operativi collegati"), accessor="obiettivi_collegati"
    )
    dirigente_nome = tables.Column(verbose_name=_("Dirigente"))
    indicatori = tables.Column(verbose_name=_("Indicatori (target e raggiunto)"), accessor="pk", orderable=False)
    strategicita = RatingColumn(verbose_name=_("Strat."), default="")
    complessita = RatingColumn(verbose_name=_("Compl."), default="")
    impatto = RatingColumn(verbose_name=_("Imp./Innov."), default="")
    economicita = RatingColumn(verbose_name=_("Econ."), default="")
    peso = NumberColumn(verbose_name=_("Peso"))
    valutazione_risultato = NumberColumn(verbose_name=_("Risultato (max 80)"))
    valutazione_qualitativa = NumberColumn(verbose_name=_("Qualitativa (max 20)"))
    totale = tables.Column(
        verbose_name=_("Totale"),
        accessor="pk",
        orderable=False,
        attrs={
            "td": {"class": "text-end fw-bold", "data-testid": "totale"},
            "th": {"class": "text-end", "scope": "col"},
        },
    )

    Meta = table_meta(
        ObiettivoOperativo,
        (
            "codice_strategico", "programma", "codice", "collegati", "dirigente_nome", "indicatori", "strategicita",
            "complessita", "impatto", "economicita", "peso", "valutazione_risultato", "valutazione_qualitativa",
            "totale",
        ),
        testid="tabella-performance", empty_text=_("Nessun obiettivo operativo corrisponde ai filtri."),
        classes="table table-sm table-hover align-top small tabella-compatta",
    )  # fmt: skip

    def render_programma(self, value):
        return format_html('<abbr title="{}">{} {}</abbr>', value.etichetta, value.missione, value.programma)

    def value_programma(self, value):
        return f"{value.missione} {value.programma} — {value.etichetta}"

    def render_indicatori(self, record):
        return _indicatori_html(record)

    def value_indicatori(self, record):
        return _indicatori(record)

    def render_totale(self, record):
        return it_number(record.totale, 0) if record.totale is not None else "—"

    def value_totale(self, record):
        return record.totale
