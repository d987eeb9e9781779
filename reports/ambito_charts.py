"""The charts of an Ambito, built from stored facts: used by the dashboard page and by the report PDFs."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from core.charts import Chart, Reference, bar_chart, line_chart, stacked_bar_chart
from monitoring.indicators import scheda_indicators
from monitoring.models import Scheda
from territory.models import Popolazione


def population_trend(
    comuni: QuerySet, slug: str, notes: dict[int, str] | None = None, anni: list[int] | None = None
) -> Chart:
    """Resident population by Comune and year (all the years stored, or only `anni`).

    `notes` labels the partial years of the Ambito (`PopulationYears.notes()`): each Comune's figure is its own,
    but the year is marked partial on the axis, in the description and in the data table."""
    facts = Popolazione.objects.filter(comune__in=comuni.values("pk"), totale__isnull=False)
    if anni is not None:
        facts = facts.filter(anno__in=anni)
    series: dict[str, list[tuple[int, int]]] = {}
    for nome, anno, totale in facts.order_by("comune__nome", "anno").values_list("comune__nome", "anno", "totale"):
        series.setdefault(nome, []).append((anno, totale))
    years = sorted({a for points in series.values() for a, _ in points})
    span = f"{years[0]}-{years[-1]}" if years else ""
    notes = {a: n for a, n in (notes or {}).items() if n and a in years}
    description = f"Andamento della popolazione residente di ciascuno dei {len(series)} Comuni, anni {span}."
    if notes:
        description += "".join(
            f" Anno {a}: {n} (gli altri Comuni non hanno il punto di quell'anno)." for a, n in sorted(notes.items())
        )
    return line_chart(
        title=f"Popolazione residente per Comune {span}",
        description=description,
        series=list(series.items()),
        chart_id=f"pop-{slug}",
        height=360 + 18 * (len(series) // 5),
        x_notes=notes,
    )


def age_structure(comuni: QuerySet, slug: str, year: int | None) -> Chart:
    """Share of residents aged 0-17, 18-64 and 65+ in each Comune (latest year)."""
    bars = []
    for nome, totale, minori, anziani in (
        Popolazione.objects.filter(comune__in=comuni.values("pk"), anno=year, totale__isnull=False)
        .order_by("comune__nome")
        .values_list("comune__nome", "totale", "eta_0_17", "eta_65_oltre")
    ):
        if minori is None or anziani is None or not totale:
            continue
        shares = [Decimal(v) * 100 / Decimal(totale) for v in (minori, totale - minori - anziani, anziani)]
        bars.append((nome, [s.quantize(Decimal("0.1")) for s in shares]))
    return stacked_bar_chart(
        title=f"Struttura per età della popolazione {year or ''}".strip(),
        description="Quota di residenti di 0-17 anni, 18-64 anni e 65 anni e oltre in ciascun Comune.",
        categories=["0-17 anni", "18-64 anni", "65 anni e oltre"],
        bars=bars,
        chart_id=f"eta-{slug}",
    )


def _indicator_bars(comuni: QuerySet, family: str, code: str) -> list[tuple[str, Decimal | None]]:
    bars = []
    schede = (
        Scheda.objects.filter(comune__in=comuni.values("pk"), modello__codice__startswith=family, modello__attivo=True)
        .select_related("modello", "comune")
        .order_by("comune__nome", "-modello__anno_riferimento")
    )
    seen = set()
    for scheda in schede:
        if scheda.comune_id in seen:
            continue
        seen.add(scheda.comune_id)
        for ind in scheda_indicators(scheda.modello.definizione, scheda.indicatori):
            if ind.code == code:
                bars.append(
                    (scheda.comune.nome, ind.value.quantize(Decimal("0.01")) if ind.value is not None else None)
                )
    return bars


def nursery_coverage(comuni: QuerySet, slug: str) -> Chart:
    return bar_chart(
        title="Copertura dei servizi per la prima infanzia (R21) rispetto all'obiettivo del 33%",
        description="Posti pubblici e in convenzione per 100 bambini di 3-36 mesi, per Comune (schede NID).",
        bars=_indicator_bars(comuni, "NID", "R21"),
        chart_id=f"nid-{slug}",
        value_label="Copertura %",
        decimals=2,
        suffix="%",
        references=[Reference(33, "Obiettivo 33%")],
    )


def social_workers(comuni: QuerySet, slug: str) -> Chart:
    return bar_chart(
        title="Abitanti per assistente sociale (R01B): LEP 1:5.000 e obiettivo 1:4.000",
        description="Numero di abitanti per ogni assistente sociale, per Comune (schede SOC); sotto la linea è meglio.",
        bars=[
            (n, v.quantize(Decimal("1")) if v is not None else None) for n, v in _indicator_bars(comuni, "SOC", "R01B")
        ],
        chart_id=f"soc-{slug}",
        value_label="Abitanti per assistente sociale",
        references=[Reference(5000, "LEP 1 ogni 5.000"), Reference(4000, "Obiettivo 1 ogni 4.000", "#a66300")],
    )
