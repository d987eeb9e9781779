"""Read-side queries of the territory, each with a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, FloatField, Max, Q, QuerySet, Sum
from django.db.models.functions import Cast, NullIf

from .models import Ambito, Comune, Popolazione


def latest_year(comuni: QuerySet) -> int | None:
    """The most recent year with a population total for any of these Comuni."""
    return Popolazione.objects.filter(comune__in=comuni.values("pk"), totale__isnull=False).aggregate(anno=Max("anno"))[
        "anno"
    ]


def _pct(part: str, whole: str):
    return Cast(F(part), FloatField()) * 100.0 / NullIf(Cast(F(whole), FloatField()), 0.0)


def comuni_with_population(comuni: QuerySet, year: int | None) -> QuerySet:
    """Annotate each Comune with its population facts of `year` in the same query (no query per row)."""
    return comuni.annotate(
        pop=FilteredRelation("popolazioni", condition=Q(popolazioni__anno=year)),
    ).annotate(
        pop_totale=F("pop__totale"),
        pop_stranieri=F("pop__stranieri"),
        pop_65=F("pop__eta_65_oltre"),
        pop_0_17=F("pop__eta_0_17"),
        pop_0_14=F("pop__eta_0_14"),
        pct_stranieri=_pct("pop__stranieri", "pop__totale"),
        pct_65=_pct("pop__eta_65_oltre", "pop__totale"),
        pct_0_17=_pct("pop__eta_0_17", "pop__totale"),
        indice_vecchiaia=_pct("pop__eta_65_oltre", "pop__eta_0_14"),
    )


def _ratio(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


@dataclass
class Totals:
    comuni: int
    totale: int | None
    pct_stranieri: Decimal | None
    pct_65: Decimal | None
    pct_0_17: Decimal | None
    indice_vecchiaia: Decimal | None


def population_totals(annotated: QuerySet) -> Totals:
    """Totals from sums of numerators and denominators (never averages of percentages).

    Each percentage uses only the Comuni where both figures are known.
    """

    def both(field: str) -> Q:
        return Q(pop_totale__isnull=False, **{f"{field}__isnull": False})

    agg = annotated.aggregate(
        n=Count("pk"),
        totale=Sum("pop_totale"),
        stranieri=Sum("pop_stranieri", filter=both("pop_stranieri")),
        stranieri_den=Sum("pop_totale", filter=both("pop_stranieri")),
        over65=Sum("pop_65", filter=both("pop_65")),
        over65_den=Sum("pop_totale", filter=both("pop_65")),
        minori=Sum("pop_0_17", filter=both("pop_0_17")),
        minori_den=Sum("pop_totale", filter=both("pop_0_17")),
        iv_num=Sum("pop_65", filter=Q(pop_65__isnull=False, pop_0_14__isnull=False)),
        iv_den=Sum("pop_0_14", filter=Q(pop_65__isnull=False, pop_0_14__isnull=False)),
    )
    return Totals(
        comuni=agg["n"],
        totale=agg["totale"],
        pct_stranieri=_ratio(agg["stranieri"], agg["stranieri_den"]),
        pct_65=_ratio(agg["over65"], agg["over65_den"]),
        pct_0_17=_ratio(agg["minori"], agg["minori_den"]),
        indice_vecchiaia=_ratio(agg["iv_num"], agg["iv_den"]),
    )


def ambito_comuni(ambito: Ambito) -> QuerySet:
    """The Comuni of an Ambito, including those of its sub-ambiti."""
    return Comune.objects.filter(Q(ambito=ambito) | Q(ambito__parent=ambito))


@dataclass
class AmbitoSummary:
    ambito: Ambito
    comuni: int
    anno: int | None
    popolazione: int | None


def ambiti_summary(ambiti: list[Ambito]) -> list[AmbitoSummary]:
    """Comuni count and latest population of each Ambito (sub-ambiti roll up into their parent). 2 queries."""
    ids = [a.pk for a in ambiti]
    counts: dict[int, int] = {}
    for ambito_id, n in Comune.objects.filter(ambito_id__in=ids).values_list("ambito_id").annotate(n=Count("pk")):
        counts[ambito_id] = n
    by_year: dict[int, dict[int, int]] = {}
    rows = (
        Popolazione.objects.filter(comune__ambito_id__in=ids, totale__isnull=False)
        .values_list("comune__ambito_id", "anno")
        .annotate(totale=Sum("totale"))
    )
    for ambito_id, anno, totale in rows:
        by_year.setdefault(ambito_id, {})[anno] = totale
    children: dict[int, list[int]] = {}
    for a in ambiti:
        if a.parent_id:
            children.setdefault(a.parent_id, []).append(a.pk)
    out = []
    for a in ambiti:
        members = [a.pk, *children.get(a.pk, [])]
        n = sum(counts.get(m, 0) for m in members)
        years: dict[int, int] = {}
        for m in members:
            for anno, totale in by_year.get(m, {}).items():
                years[anno] = years.get(anno, 0) + totale
        anno = max(years) if years else None
        out.append(AmbitoSummary(a, n, anno, years.get(anno) if anno else None))
    return out


def comuni_latest_population(comuni: QuerySet) -> list[tuple[Comune, Popolazione | None]]:
    """Each Comune with its most recent population fact (2 queries)."""
    comuni = list(comuni)
    latest: dict[str, Popolazione] = {}
    for p in Popolazione.objects.filter(comune__in=[c.pk for c in comuni], totale__isnull=False).order_by("anno"):
        latest[p.comune_id] = p
    return [(c, latest.get(c.pk)) for c in comuni]
