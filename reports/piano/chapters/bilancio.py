"""Chapter «Quadro economico»: the plan's budget (issue 14) from the read API of planning.bilancio.

Tables: the programmed amounts by area × year and by fund × year (sums of the budget lines, with totals), the
allocations of the funds with what is distributed, committed and paid and their deadlines, the commitments and
payments to date by year, the Comuni's shares (Comune × year, total, paid); one figure: the share of each fund in
each year's programmed amount. A fixed number of queries whatever the number of lines. A plan without a budget
has no section ({}): the chapter is then not added for it (reports.piano.document).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from core.charts import Chart, Number, stacked_bar_chart
from core.formatting import it_number
from planning.bilancio.selectors import (
    RISK_DAYS,
    Grid,
    QuoteTable,
    a_rischio,
    assegnazioni_con_movimenti,
    quote_table,
    righe,
)
from planning.bilancio.selectors import totale_per_area as grid_per_area
from planning.bilancio.selectors import totale_per_fondo as grid_per_fondo
from planning.models import Assegnazione, Intervento, Movimento, PianoDiZona

from ..blocks import Figura, Riga, Sottosezione, Tabella, perc

ZERO = Decimal(0)
CENT = Decimal("0.01")
FONTE = "Bilancio del Piano di Zona registrato nel portale"


def euro(value) -> str:
    """An amount the Italian way with the euro sign: 1.234,56 €."""
    return f"{it_number(Decimal(value or 0).quantize(CENT), 2)}\u00a0€"  # no line break before the sign


def data_it(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _grid_table(grid: Grid, titolo: str, etichetta: str, anchor: str) -> Tabella:
    righe_ = [Riga(label, [*(euro(v) for v in per_year), euro(total)]) for label, per_year, total in grid.rows]
    righe_.append(Riga("Totale", [*(euro(v) for v in grid.column_totals), euro(grid.total)], totale=True))
    return Tabella(
        titolo=titolo,
        intestazioni=[etichetta, *(str(y) for y in grid.years), "Totale"],
        righe=righe_,
        fonte=FONTE,
        nota="Importi programmati: somma delle righe del bilancio per anno del piano.",
        anchor=anchor,
        classe="bilancio griglia",
    )


@dataclass
class GruppoFondo:
    """The allocations of one fund, one row per year (the rows of the allocations table)."""

    codice: str
    nome: str
    assegnazioni: list[Assegnazione] = field(default_factory=list)


def _gruppi_fondi(assegnazioni: list[Assegnazione]) -> list[GruppoFondo]:
    gruppi: dict[int, GruppoFondo] = {}
    for a in assegnazioni:
        gruppi.setdefault(a.fondo_id, GruppoFondo(a.fondo.codice, a.fondo.nome)).assegnazioni.append(a)
    return list(gruppi.values())


@dataclass
class RigaAssegnazione:
    """An allocation as the table prints it (amounts and dates already formatted)."""

    anno: str
    importo: str
    ripartito: str
    impegnato: str
    liquidato: str
    disponibile: str
    scadenza_spesa: str
    scadenza_rendicontazione: str


def _riga_assegnazione(a: Assegnazione, anno_inizio: int) -> RigaAssegnazione:
    anno = f"{a.anno}{' (residui)' if a.anno < anno_inizio else ''}{' *' if a.dimostrativa else ''}"
    return RigaAssegnazione(
        anno,
        euro(a.importo),
        euro(a.ripartito),  # type: ignore[attr-defined]
        euro(a.impegnato),  # type: ignore[attr-defined]
        euro(a.liquidato),  # type: ignore[attr-defined]
        euro(a.disponibile),  # type: ignore[attr-defined]
        data_it(a.scadenza_spesa),
        data_it(a.scadenza_rendicontazione),
    )


def _assegnazioni(piano: PianoDiZona) -> dict:
    rows = assegnazioni_con_movimenti(piano)
    gruppi = _gruppi_fondi(rows)
    for g in gruppi:
        g.righe = [_riga_assegnazione(a, piano.anno_inizio) for a in g.assegnazioni]  # type: ignore[attr-defined]

    def total(attr: str) -> str:
        return euro(sum((getattr(a, attr) for a in rows), ZERO))

    totali = RigaAssegnazione(
        "", total("importo"), total("ripartito"), total("impegnato"), total("liquidato"), total("disponibile"), "", ""
    )
    return {"gruppi": gruppi, "totali": totali, "dimostrative": any(a.dimostrativa for a in rows), "n": len(rows)}


def _movimenti(piano: PianoDiZona, anni: list[int]) -> tuple[Tabella, object]:
    """Commitments and payments to date by year of the plan (one query for the lines, one for the latest date)."""
    per_anno = {a: [ZERO, ZERO, ZERO] for a in anni}
    for r in righe(piano):
        values = per_anno.setdefault(r.anno, [ZERO, ZERO, ZERO])
        values[0] += r.importo
        values[1] += r.impegnato  # type: ignore[attr-defined]
        values[2] += r.liquidato  # type: ignore[attr-defined]
    ultimo = Movimento.objects.filter(riga__piano=piano).aggregate(ultimo=Max("data"))["ultimo"]

    def riga(label: str, p: Decimal, i: Decimal, li: Decimal, totale: bool = False) -> Riga:
        return Riga(label, [euro(p), euro(i), euro(li), euro(p - i), perc(i * 100 / p if p else None)], totale)

    out = [riga(str(a), v[0], v[1], v[2]) for a, v in sorted(per_anno.items())]
    sums = [sum((v[k] for v in per_anno.values()), ZERO) for k in range(3)]
    out.append(riga("Totale", sums[0], sums[1], sums[2], totale=True))
    situazione = f"al {data_it(ultimo)}, data dell'ultimo movimento registrato" if ultimo else "nessun movimento"
    tabella = Tabella(
        titolo=f"Impegni e liquidazioni per anno del piano ({situazione})",
        intestazioni=["Anno", "Programmato", "Impegnato", "Liquidato", "Da impegnare", "% impegnato"],
        righe=out,
        fonte=FONTE,
        nota="Impegni e liquidazioni registrati sulle righe del bilancio, al netto di correzioni e disimpegni.",
        anchor="bilancio-movimenti",
        classe="bilancio",
    )
    return tabella, ultimo


def _quote(q: QuoteTable) -> Tabella:
    out = [
        Riga(
            str(getattr(comune, "nome", comune)), [*(euro(v) for v in due), euro(total), euro(paid), euro(total - paid)]
        )
        for comune, due, total, paid in q.rows
    ]
    out.append(
        Riga(
            "Totale",
            [*(euro(v) for v in q.column_totals), euro(q.total), euro(q.paid), euro(q.total - q.paid)],
            totale=True,
        )
    )
    return Tabella(
        titolo="Quote di compartecipazione dei Comuni alla gestione associata",
        intestazioni=["Comune", *(str(y) for y in q.years), "Totale dovuto", "Versato", "Da versare"],
        righe=out,
        fonte=FONTE,
        nota="Quote dovute per anno secondo la regola di compartecipazione del piano; versato: somma dei versamenti.",
        anchor="bilancio-quote",
        classe="bilancio quote",
    )


def _chart(piano: PianoDiZona, grid: Grid) -> Chart:
    """Each year's programmed amount split by fund, as shares of the year (stacked bars, one per year)."""
    bars = []
    for i, year in enumerate(grid.years):
        whole = grid.column_totals[i]
        shares: list[Number | None] = [
            (row[1][i] * 100 / whole).quantize(Decimal("0.1")) if whole else None for row in grid.rows
        ]
        bars.append((str(year), shares))
    return stacked_bar_chart(
        title=f"Composizione per fondo del programmato annuo {piano.periodo}",
        description=(
            "Quota di ciascun fondo sul totale programmato di ogni anno del piano, in percentuale "
            f"(totali: {', '.join(f'{y} {euro(t)}' for y, t in zip(grid.years, grid.column_totals, strict=True))})."
        ),
        categories=[label for label, _, _ in grid.rows],
        bars=bars,
        chart_id=f"bilancio-fondi-{piano.pk}",
        decimals=1,
        suffix="%",
    )


def _rischio(piano: PianoDiZona, oggi: datetime.date) -> Tabella | None:
    """The quotas at risk at the document's date: lines planned but not committed whose fund must be spent within
    RISK_DAYS days (planning.bilancio.selectors.a_rischio); None when there is none."""
    lines = a_rischio(piano, oggi)
    if not lines:
        return None
    out = [
        Riga(
            r.intervento.titolo,
            [
                f"{r.assegnazione.fondo.codice} {r.assegnazione.anno}",
                str(r.anno),
                data_it(r.assegnazione.scadenza_spesa),
                it_number(r.giorni),  # type: ignore[attr-defined]
                euro(r.importo),
                euro(r.impegnato),  # type: ignore[attr-defined]
                euro(r.da_impegnare),  # type: ignore[attr-defined]
            ],
        )
        for r in lines
    ]
    totale = sum((r.da_impegnare for r in lines), ZERO)  # type: ignore[attr-defined]
    out.append(Riga("Totale", ["", "", "", "", "", "", euro(totale)], totale=True))
    return Tabella(
        titolo=f"Quote a rischio al {data_it(oggi)} (termine per la spesa entro {RISK_DAYS} giorni)",
        intestazioni=[
            "Intervento",
            "Fondo",
            "Anno",
            "Termine spesa",
            "Giorni",
            "Programmato",
            "Impegnato",
            "Da impegnare",
        ],
        righe=out,
        fonte=FONTE,
        nota=f"Righe del bilancio con una parte programmata e non ancora impegnata il cui fondo va speso entro "
        f"{RISK_DAYS} giorni dalla data del documento ({data_it(oggi)}): la parte non impegnata si può perdere.",
        anchor="bilancio-rischio",
        classe="bilancio rischio",
        classi=["testo", "testo", "data", "num", "num", "num", "num"],
    )


def bilancio_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    per_area, per_fondo = grid_per_area(piano), grid_per_fondo(piano)
    assegnazioni = _assegnazioni(piano)
    quote = quote_table(piano)
    if not (per_fondo.rows or assegnazioni["n"] or quote.rows):
        return {}
    movimenti, ultimo = _movimenti(piano, per_fondo.years)
    oggi = timezone.localdate()  # the document's date (its cache key has the day: reports.piano.fingerprint)
    sottosezioni = [Sottosezione("Il programmato per area e per fondo", "sez-bilancio-programmato")]
    sottosezioni.append(Sottosezione("Le assegnazioni dei fondi", "sez-bilancio-assegnazioni"))
    sottosezioni.append(Sottosezione("Impegni e liquidazioni", "sez-bilancio-movimenti"))
    sottosezioni.append(Sottosezione("Le quote a rischio", "sez-bilancio-rischio"))
    if quote.rows:
        sottosezioni.append(Sottosezione("Le quote dei Comuni", "sez-bilancio-quote"))
    return {
        "sintesi": (
            f"Il piano programma {euro(per_fondo.total)} nel periodo {piano.periodo}: "
            + "; ".join(f"{y} {euro(t)}" for y, t in zip(per_fondo.years, per_fondo.column_totals, strict=True))
            + "."
        ),
        "per_area": _grid_table(per_area, f"Programmato per area e anno {piano.periodo} (€)", "Area", "bilancio-aree")
        if per_area.rows
        else None,
        "per_fondo": _grid_table(
            per_fondo, f"Programmato per fondo e anno {piano.periodo} (€)", "Fondo", "bilancio-fondi"
        )
        if per_fondo.rows
        else None,
        "figura": Figura(_chart(piano, per_fondo), fonte=FONTE, anchor="bilancio-figura") if per_fondo.rows else None,
        "assegnazioni": assegnazioni,
        "movimenti": movimenti,
        "ultimo_movimento": ultimo,
        "rischio": _rischio(piano, oggi),
        "oggi": data_it(oggi),
        "giorni_rischio": RISK_DAYS,
        "quote": _quote(quote) if quote.rows else None,
        "sottosezioni": sottosezioni,
    }
