"""The population part of an Ambito's rollup (`RiepilogoSchede.dati["popolazione"]`, monitoring.rollup): the
aggregates the dashboard reads (territory.selectors `population_years` and `population_totals`, the population
charts of reports.ambito_charts) over the Ambito's own Comuni, added up by the database at each rebuild.

Scheda writes do not change population and leave it as it is (the deltas touch the schede's part only); a
population write bumps the Ambito's data version (territory.versions), so the rollup is rebuilt before it is read.

Shape, all integers, years and classes as text (JSON keys):
- "tot": year → [[count, Σ] for each of territory.selectors.TOTALS_SUMS] over the Comuni's facts of that year;
- "classi": year → size class (territory.selectors.SIZE_BOUNDS) → [Σ totale, then over the facts with ages and a
  positive total: count, Σ totale, Σ 0-17, Σ 65+];
- "comuni": [nome, anno, totale, 0-17, 65+] of each fact with a total, by Comune name and year, when the Ambito
  has at most CHART_COMUNI_MAX Comuni (a larger one's charts are by class); None otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from territory.models import Popolazione
from territory.selectors import (
    TOTALS_SUMS,
    PopulationYears,
    Totals,
    population_years_from,
    size_class,
    totals_from_sums,
)

CHART_COMUNI_MAX = 40  # reports.ambito_charts.CHART_COMUNI_MAX (a chart line per Comune up to this many)

_WITH_TOTAL = Q(totale__isnull=False)
_FILTERS = {
    "totale": ("totale", _WITH_TOTAL),
    "stranieri": ("stranieri", _WITH_TOTAL & Q(stranieri__isnull=False)),
    "stranieri_den": ("totale", _WITH_TOTAL & Q(stranieri__isnull=False)),
    "over65": ("eta_65_oltre", _WITH_TOTAL & Q(eta_65_oltre__isnull=False)),
    "over65_den": ("totale", _WITH_TOTAL & Q(eta_65_oltre__isnull=False)),
    "minori": ("eta_0_17", _WITH_TOTAL & Q(eta_0_17__isnull=False)),
    "minori_den": ("totale", _WITH_TOTAL & Q(eta_0_17__isnull=False)),
    "iv_num": ("eta_65_oltre", Q(eta_65_oltre__isnull=False, eta_0_14__isnull=False)),
    "iv_den": ("eta_0_14", Q(eta_65_oltre__isnull=False, eta_0_14__isnull=False)),
}
_AGES = Q(eta_0_17__isnull=False, eta_65_oltre__isnull=False, totale__gt=0)


def build(ambito_id: int, n_comuni: int) -> dict:
    """The population part of the rollup of the Ambito's own Comuni (`n_comuni` of them): 2 or 3 queries."""
    facts = Popolazione.objects.filter(comune__ambito_id=ambito_id).order_by()
    aggregates = {}
    for key, (field, condition) in _FILTERS.items():
        aggregates |= {f"c_{key}": Count("pk", filter=condition), f"s_{key}": Sum(field, filter=condition)}
    tot = {
        str(row["anno"]): [[row[f"c_{key}"], row[f"s_{key}"] or 0] for key in TOTALS_SUMS]
        for row in facts.values("anno").annotate(**aggregates)
    }
    classi: dict[str, dict[str, list[int]]] = {}
    rows = (
        facts.filter(_WITH_TOTAL)
        .annotate(classe=size_class())
        .values_list("anno", "classe")
        .annotate(
            s=Sum("totale"),
            en=Count("pk", filter=_AGES),
            et=Sum("totale", filter=_AGES),
            em=Sum("eta_0_17", filter=_AGES),
            ea=Sum("eta_65_oltre", filter=_AGES),
        )
    )
    for anno, classe, *sums in rows:
        classi.setdefault(str(anno), {})[str(classe)] = [s or 0 for s in sums]
    comuni = None
    if n_comuni <= CHART_COMUNI_MAX:
        comuni = [
            list(row)
            for row in facts.filter(_WITH_TOTAL)
            .order_by("comune__nome", "anno")
            .values_list("comune__nome", "anno", "totale", "eta_0_17", "eta_65_oltre")
        ]
    return {"tot": tot, "classi": classi, "comuni": comuni}


def _add_lists(mine: list, other: list) -> list:
    return [_add_lists(a, b) if isinstance(a, list) else a + b for a, b in zip(mine, other, strict=True)]


def merge(parts: list[dict | None]) -> dict | None:
    """The population part of several Ambiti (an Ambito and its sub-ambiti); None when one has none (a rollup
    stored before it had one)."""
    present = [part for part in parts if part is not None]
    if len(present) < len(parts):
        return None
    total: dict = {"tot": {}, "classi": {}, "comuni": []}
    for part in present:
        for anno, sums in part["tot"].items():
            total["tot"][anno] = _add_lists(total["tot"][anno], sums) if anno in total["tot"] else sums
        for anno, by_class in part["classi"].items():
            mine = total["classi"].setdefault(anno, {})
            for classe, sums in by_class.items():
                mine[classe] = _add_lists(mine[classe], sums) if classe in mine else sums
        if total["comuni"] is not None and part["comuni"] is not None:
            total["comuni"] += part["comuni"]
        else:
            total["comuni"] = None
    if total["comuni"] is not None and len(parts) > 1:
        total["comuni"].sort(key=lambda row: (row[0], row[1]))
    return total


@dataclass(frozen=True)
class PopulationRollup:
    """The population figures of an Ambito (with its sub-ambiti) as its dashboard reads them."""

    n_comuni: int
    data: dict

    def years(self) -> PopulationYears:
        """As `territory.selectors.population_years` of the Ambito's Comuni."""
        rows = {int(anno): (sums[0][0], sums[0][1]) for anno, sums in self.data["tot"].items() if sums[0][0]}
        return population_years_from(self.n_comuni, rows)

    def totals(self, year: int | None) -> Totals:
        """As `population_totals(comuni_with_population(comuni, year))`."""
        sums = self.data["tot"].get(str(year), [[0, 0]] * len(TOTALS_SUMS))
        return totals_from_sums(self.n_comuni, dict(zip(TOTALS_SUMS, map(tuple, sums), strict=True)))

    def trend_by_class(self) -> list[tuple[int, int, int]]:
        """(class, year, Σ totale), by class and year."""
        return sorted(
            (int(classe), int(anno), sums[0])
            for anno, by_class in self.data["classi"].items()
            for classe, sums in by_class.items()
        )

    def ages_by_class(self, year: int | None) -> list[tuple[int, int, int, int, int]]:
        """(class, count, Σ totale, Σ 0-17, Σ 65+) of the facts of `year` with ages and a positive total."""
        by_class = self.data["classi"].get(str(year), {})
        return sorted((int(classe), *sums[1:]) for classe, sums in by_class.items() if sums[1])

    def by_comune(self) -> list[list] | None:
        """[nome, anno, totale, 0-17, 65+] of each fact with a total, by name and year (None: a large Ambito)."""
        return self.data["comuni"]
