"""Outliers against the Comune's own history (issue 13, point 4): pure functions, no Django.

**History of a cell.** The same Comune's schede of the same template family (``ModelloScheda.famiglia``: NID26 → NID)
with an earlier reference year, same row code. Column codes are often year-coded: a code whose two-digit suffix is
the template's reference year (``N25`` in NID26, reference year 2025) is the column of "this year's" value, and it
is matched with the column of the other template's reference year (``N24`` in the 2024 template, ``N23`` in the
2023 one …; ``Y2025`` ↔ ``Y2024`` as well). Every other column code (``SN``, ``TXT``, ``IST``, ``N18``, ``OS26`` …)
is matched as it is: the same code names the same column. Only numeric input cells count (not computed, not text,
not Si/No), and only past values that are numbers. At most the ``MAX_YEARS`` most recent years are used.

**Bounds** (``bounds``): with at least ``MIN_YEARS`` past years, the robust z-score interval

    median ± K × 1.4826 × MAD          (K = 3; MAD = median of |x − median|; 1.4826 × MAD estimates σ)

with a minimum half-width of ``max(10 % of |median|, 1)``. The floor applies whatever the MAD, not only when the
MAD is 0: a constant history (MAD 0) must not flag every small change, and a history with a tiny spread (100, 101,
102: MAD 1, half-width 4,45) must not give narrower bounds than the constant one would. The median and the MAD
resist a single odd year in the history, which the min/max of the history would not.

A value outside the bounds (strictly: the bounds themselves are accepted) is a warning on its cell, justified by
the cell's comment like every other warning (monitoring.services.submit).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from core.numbers import format_it

from .layout import CellFields

K = Decimal(3)
MAD_TO_SIGMA = Decimal("1.4826")
MIN_YEARS = 3
MAX_YEARS = 5
MIN_RELATIVE_HALF_WIDTH = Decimal("0.10")
MIN_ABSOLUTE_HALF_WIDTH = Decimal(1)
OUTLIER_RULE = "storico"  # Message.rule of the outlier warnings

_YEAR_SUFFIX = re.compile(r"^(?P<prefix>.*?[A-Za-z_])(?P<year>\d{2}|\d{4})$")


def median(values: Iterable[Decimal]) -> Decimal:
    """The median (the mean of the two middle values for an even count). Raises ValueError when empty."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("median of no values")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class Bounds:
    """The interval a value is expected in, from the history it was computed on."""

    low: Decimal
    high: Decimal
    median: Decimal
    mad: Decimal
    years: tuple[int, ...]  # the past reference years used, ascending

    def contains(self, value: Decimal) -> bool:
        return self.low <= value <= self.high

    @property
    def years_label(self) -> str:
        """«2022–2024» for consecutive years, «2019, 2022, 2024» otherwise."""
        first, last = self.years[0], self.years[-1]
        if last - first + 1 == len(self.years):
            return f"{first}–{last}" if first != last else str(first)
        return ", ".join(str(y) for y in self.years)


def bounds(history: Mapping[int, Decimal]) -> Bounds | None:
    """The expected interval from a cell's history ``{reference year: value}``; None with fewer than
    ``MIN_YEARS`` years. Only the ``MAX_YEARS`` most recent years are used."""
    if len(history) < MIN_YEARS:
        return None
    years = sorted(history)[-MAX_YEARS:]
    values = [Decimal(history[y]) for y in years]
    mid = median(values)
    mad = median(abs(v - mid) for v in values)
    half = max(K * MAD_TO_SIGMA * mad, MIN_RELATIVE_HALF_WIDTH * abs(mid), MIN_ABSOLUTE_HALF_WIDTH)
    return Bounds(low=mid - half, high=mid + half, median=mid, mad=mad, years=tuple(years))


@dataclass(frozen=True)
class CellPlace(CellFields):
    """Where a cell of a scheda is, as the pages name it: its quadro, its row (code, code shown, label) and its column
    (code, label). The outliers and the required cells still empty (monitoring.services.submit) are placed so."""

    quadro: int
    row: str
    display_code: str
    row_label: str
    col: str
    col_label: str

    @property
    def cell(self) -> str:
        return f"{self.display_code}/{self.col}"


class Justifiable:
    """A warning justified by its comment (any text but blanks): the outliers and the engine's warnings."""

    comment: str

    @property
    def justified(self) -> bool:
        return bool(self.comment.strip())


def is_outlier(value: Decimal | None, limits: Bounds | None) -> bool:
    """Whether ``value`` is outside ``limits`` (never without a value or without bounds)."""
    return value is not None and limits is not None and not limits.contains(value)


def past_column(col: str, year: int, past_year: int) -> str:
    """The code, in the template of reference year ``past_year``, of column ``col`` of the template of ``year``:
    a code ending with ``year`` (two or four digits) ends with ``past_year`` instead; any other code is kept."""
    match = _YEAR_SUFFIX.match(col)
    if match is None:
        return col
    suffix = match["year"]
    if len(suffix) == 2 and int(suffix) == year % 100:
        return f"{match['prefix']}{past_year % 100:02d}"
    if len(suffix) == 4 and int(suffix) == year:
        return f"{match['prefix']}{past_year:04d}"
    return col


def current_columns(cols: Iterable[str], year: int, past_year: int) -> dict[str, list[str]]:
    """For the template of ``past_year``: its column code → the columns ``cols`` (of the template of ``year``) it
    holds the history of. Usually one each; two current codes can share a past one (``Y2025`` shifted and
    ``Y2024`` kept both name ``Y2024`` of the 2024 template)."""
    out: dict[str, list[str]] = {}
    for col in cols:
        out.setdefault(past_column(col, year, past_year), []).append(col)
    return out


def outlier_text(value: Decimal, limits: Bounds, decimals: int) -> str:
    """The Italian warning, numbers in the cell's format: «Valore fuori dall'intervallo storico del Comune: atteso
    tra 1.234 e 2.345 (anni 2022–2024, mediana 1.800)»."""
    low, high, mid = (format_it(v, decimals) for v in (limits.low, limits.high, limits.median))
    return (
        f"Valore fuori dall'intervallo storico del Comune: atteso tra {low} e {high} "
        f"(anni {limits.years_label}, mediana {mid})"
    )
