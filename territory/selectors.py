"""Read-side queries of the territory, each with a bounded number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Case, Count, F, FilteredRelation, FloatField, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, NullIf

from .models import Ambito, Comune, Popolazione


class PopulationYear(NamedTuple):
    """One year of resident population over the Comuni of an Ambito (with its sub-ambiti, when aggregated)."""

    anno: int
    n_comuni_con_dato: int  # Comuni with a population total for the year
    n_comuni: int  # Comuni of the Ambito
    complete: bool  # every Comune has the total: only then is the year an Ambito figure
    totale: int | None  # the Ambito total; None when the year is partial (a partial sum is not a total)

    @property
    def copertura(self) -> str:
        """«2 Comuni su 13», «1 Comune su 13»."""
        return f"{self.n_comuni_con_dato} {'Comune' if self.n_comuni_con_dato == 1 else 'Comuni'} su {self.n_comuni}"

    @property
    def nota(self) -> str:
        """The label of a partial year («dati parziali, 2 Comuni su 13»); '' for a complete year."""
        return "" if self.complete else f"dati parziali, {self.copertura}"


@dataclass(frozen=True)
class PopulationYears:
    """The population years of an Ambito, oldest first, and the rule for its headline figures.

    The headline year (`anno`) is the latest COMPLETE year: every Comune of the Ambito has a population total.
    A partial year (e.g. a new year imported for 2 Comuni of 13) is never the headline: pages show `pending`
    (the partial years more recent than the headline) as partial, with their `copertura`.
    """

    years: tuple[PopulationYear, ...]
    n_comuni: int

    def __iter__(self) -> Iterator[PopulationYear]:  # the years, not the fields of the tuple
        return iter(self.years)

    def __len__(self) -> int:
        return len(self.years)

    def get(self, anno: int | None) -> PopulationYear | None:
        return next((y for y in self.years if y.anno == anno), None)

    @property
    def latest_complete(self) -> PopulationYear | None:
        return next((y for y in reversed(self.years) if y.complete), None)

    @property
    def anno(self) -> int | None:
        """The headline year: the latest year complete for the Ambito (None when no year is complete)."""
        latest = self.latest_complete
        return latest.anno if latest else None

    @property
    def totale(self) -> int | None:
        latest = self.latest_complete
        return latest.totale if latest else None

    @property
    def latest(self) -> PopulationYear | None:
        """The most recent year with data for at least one Comune (complete or not)."""
        return self.years[-1] if self.years else None

    @property
    def partial(self) -> list[PopulationYear]:
        return [y for y in self.years if not y.complete]

    @property
    def pending(self) -> list[PopulationYear]:
        """The partial years a page shows as such: those more recent than the headline year (when no year is
        complete, the latest year)."""
        anno = self.anno
        if anno is None:
            return [self.latest] if self.latest else []
        return [y for y in self.partial if y.anno > anno]

    def notes(self) -> dict[int, str]:
        """Year → label of every partial year, for the axes and data tables of charts."""
        return {y.anno: y.nota for y in self.partial}


def population_years_from(n_comuni: int, rows: dict[int, tuple[int, int]]) -> PopulationYears:
    """`population_years` from its figures: year → (Comuni with a total, Σ totals) (e.g. from a stored rollup)."""
    return _population_years(n_comuni, rows)


def _population_years(n_comuni: int, rows: dict[int, tuple[int, int]]) -> PopulationYears:
    """The rule, in one place: a year is complete when every Comune has a total."""
    years = []
    for anno in sorted(rows):
        n, totale = rows[anno]
        complete = n_comuni > 0 and n >= n_comuni
        years.append(PopulationYear(anno, n, n_comuni, complete, totale if complete else None))
    return PopulationYears(tuple(years), n_comuni)


def population_years(source: Ambito | QuerySet) -> PopulationYears:
    """The population years of an Ambito (its Comuni and those of its sub-ambiti) or of a queryset of Comuni
    (e.g. the Comuni of an Ambito the user may see), with the Comuni that have a total in each. 2 queries."""
    comuni = ambito_comuni(source) if isinstance(source, Ambito) else source
    n_comuni = comuni.count()
    rows = (
        Popolazione.objects.filter(comune__in=comuni.values("pk"), totale__isnull=False)
        .values_list("anno")
        .annotate(n=Count("pk"), totale=Sum("totale"))
        .order_by("anno")
    )
    return _population_years(n_comuni, {anno: (n, totale) for anno, n, totale in rows})


def latest_complete_year(source: Ambito | QuerySet) -> int | None:
    """The latest year in which every Comune of the Ambito (or of the queryset) has a population total."""
    return population_years(source).anno


def population_years_by_ambito(ambiti: list[Ambito]) -> dict[int, PopulationYears]:
    """`population_years` of several Ambiti at once (each with its sub-ambiti, as `ambito_comuni`). 2 queries."""
    ids = [a.pk for a in ambiti]
    members: dict[int, set[int]] = {pk: {pk} for pk in ids}
    counts: dict[int, int] = {}
    comuni = Comune.objects.filter(Q(ambito_id__in=ids) | Q(ambito__parent_id__in=ids))
    for ambito_id, parent_id, n in comuni.values_list("ambito_id", "ambito__parent_id").annotate(n=Count("pk")):
        counts[ambito_id] = n
        if parent_id in members:
            members[parent_id].add(ambito_id)
    by_year: dict[int, dict[int, tuple[int, int]]] = {}
    rows = (
        Popolazione.objects.filter(comune__in=comuni.values("pk"), totale__isnull=False)
        .values_list("comune__ambito_id", "anno")
        .annotate(n=Count("pk"), totale=Sum("totale"))
    )
    for ambito_id, anno, n, totale in rows:
        by_year.setdefault(ambito_id, {})[anno] = (n, totale)
    out = {}
    for pk, group in members.items():
        years: dict[int, tuple[int, int]] = {}
        for m in group:
            for anno, (n, totale) in by_year.get(m, {}).items():
                n0, t0 = years.get(anno, (0, 0))
                years[anno] = (n0 + n, t0 + totale)
        out[pk] = _population_years(sum(counts.get(m, 0) for m in group), years)
    return out


def _pct(part: str, whole: str) -> CombinedExpression:
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


# The sums of `population_totals`, in this order; each (how many Comuni count in it, Σ) (e.g. in a stored rollup).
TOTALS_SUMS = ("totale", "stranieri", "stranieri_den", "over65", "over65_den", "minori", "minori_den", "iv_num",
               "iv_den")  # fmt: skip


def totals_from_sums(n_comuni: int, sums: dict[str, tuple[int, int]]) -> Totals:
    """`population_totals` from its sums (count, Σ) by name (TOTALS_SUMS); a sum that counts nothing is None."""
    agg = {key: (total if count else None) for key, (count, total) in sums.items()}
    return Totals(
        comuni=n_comuni,
        totale=agg["totale"],
        pct_stranieri=_ratio(agg["stranieri"], agg["stranieri_den"]),
        pct_65=_ratio(agg["over65"], agg["over65_den"]),
        pct_0_17=_ratio(agg["minori"], agg["minori_den"]),
        indice_vecchiaia=_ratio(agg["iv_num"], agg["iv_den"]),
    )


# Upper bounds (included) of the classes of Comuni by resident population (None: no bound).
SIZE_BOUNDS = (5000, 20000, 100000, None)


def size_class(field: str = "totale") -> Case:
    """The index in SIZE_BOUNDS of a population fact, by its `field` (in SQL)."""
    whens = [When(**{f"{field}__lte": bound}, then=Value(i)) for i, bound in enumerate(SIZE_BOUNDS) if bound]
    return Case(*whens, default=Value(len(SIZE_BOUNDS) - 1), output_field=IntegerField())


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
    return totals_from_sums(agg["n"], {key: (int(agg[key] is not None), agg[key]) for key in TOTALS_SUMS})


def ambito_comuni(ambito: Ambito) -> QuerySet:
    """The Comuni of an Ambito, including those of its sub-ambiti."""
    return Comune.objects.filter(Q(ambito=ambito) | Q(ambito__parent=ambito))


@dataclass
class AmbitoSummary:
    ambito: Ambito
    comuni: int
    anno: int | None  # the latest year complete for the Ambito
    popolazione: int | None  # the Ambito total of `anno`
    parziali: list[PopulationYear] = field(default_factory=list)  # partial years after `anno`


def ambiti_summary(ambiti: list[Ambito]) -> list[AmbitoSummary]:
    """Comuni count and population of the latest complete year of each Ambito (sub-ambiti roll up into their
    parent), with the more recent partial years. 2 queries."""
    years = population_years_by_ambito(ambiti)
    return [
        AmbitoSummary(a, years[a.pk].n_comuni, years[a.pk].anno, years[a.pk].totale, years[a.pk].pending)
        for a in ambiti
    ]


def comuni_latest_population(comuni: Iterable[Comune]) -> list[tuple[Comune, Popolazione | None]]:
    """Each Comune with its most recent population fact (2 queries)."""
    rows = list(comuni)
    latest: dict[str, Popolazione] = {}
    for p in Popolazione.objects.filter(comune__in=[c.pk for c in rows], totale__isnull=False).order_by("anno"):
        latest[p.comune_id] = p
    return [(c, latest.get(c.pk)) for c in rows]


SERIE_FIELDS = ("maschi", "femmine", "stranieri", "eta_0_14", "eta_0_17", "eta_65_oltre", "eta_0")


@dataclass
class PopolazioneSerie:
    """A Comune's population by year, and which optional figures appear in at least one year."""

    anni: list[Popolazione]
    presenti: dict[str, bool]


def popolazione_serie(comune: Comune) -> PopolazioneSerie:
    """The population facts of `comune` by year (the Comune's page)."""
    anni = list(Popolazione.objects.filter(comune=comune).order_by("anno"))
    return PopolazioneSerie(
        anni=anni, presenti={name: any(getattr(p, name) is not None for p in anni) for name in SERIE_FIELDS}
    )
