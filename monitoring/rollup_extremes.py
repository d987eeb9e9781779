"""The extremes part of an Ambito's rollup (`RiepilogoSchede.dati["estremi"]`, monitoring.rollup): for each template
and indicator, the schede with the highest and the lowest value, so that the dashboard's charts of a large Ambito
(reports.ambito_charts: the top and bottom N Comuni) read a few stored rows instead of every scheda.

Shape: template id → indicator code → {"alti": [[n, d, Comune name, scheda id], …] highest first, "bassi": […]
lowest first}, at most KEPT each (template id → None while a write in chunks leaves them pending: `pending`);
n and d are the scheda's exact addends of the indicator (SUMS_KEY, integer
millionths of its numerator and denominator), so a scheda counts as the Ambito totals count it (a known numerator
and a denominator other than zero).

The order is the ratio n / d as a float (the same IEEE division of two integers in SQLite, PostgreSQL and Python),
then the scheda id: a total order, the same in the database and in `merge`. The database selects both ends in two
queries per indicator (`of_schede`), at each rebuild and again for the templates a maintained write touches (in
its transaction, after the write): the extremes are never kept by delta, so they always equal a rebuild's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, FloatField, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from .indicators import SUMS_KEY
from .models import Scheda

KEPT = 10  # schede kept at each end of each indicator (reports.ambito_charts.TOP_N shows up to this many)


def _addend(code: str, part: str) -> Cast:
    return Cast(KT(f"indicatori__{SUMS_KEY}__{code}__{part}"), FloatField())


def of_schede(schede: QuerySet[Scheda], code: str) -> dict[str, list[list]]:
    """The highest and the lowest KEPT of `schede` by indicator `code` (two queries of KEPT rows)."""
    rows = (
        schede.annotate(_n=_addend(code, "n"), _d=_addend(code, "d"))
        .filter(_n__isnull=False, _d__isnull=False)
        .exclude(_d=0)
        .annotate(_r=F("_n") / F("_d"))
        .values_list("_n", "_d", "comune__nome", "pk")
    )
    return {
        "alti": [_entry(row) for row in rows.order_by("-_r", "pk")[:KEPT]],
        "bassi": [_entry(row) for row in rows.order_by("_r", "-pk")[:KEPT]],
    }


def _entry(row: tuple) -> list:
    n, d, nome, pk = row
    return [int(n), int(d), nome, pk]


def of_ambito(ambito_id: int, definitions: dict[int, dict]) -> dict[str, dict]:
    """The extremes of every indicator of the templates `definitions` (id → indicator definition) over the schede
    of the Ambito's own Comuni."""
    schede = Scheda.objects.filter(comune__ambito_id=ambito_id).order_by()
    return {
        str(modello): {spec["code"]: of_schede(schede.filter(modello_id=modello), spec["code"]) for spec in specs}
        for modello, definition in definitions.items()
        if (specs := definition["indicatori"])
    }


def pending(definitions: dict[int, dict]) -> dict[str, None]:
    """The templates of `definitions` that have indicators, marked as waiting for their extremes (None)."""
    return {str(modello): None for modello, definition in definitions.items() if definition["indicatori"]}


def order_key(entry: list) -> tuple:
    """The order of the entries, highest first (as the database orders them in `of_schede`)."""
    n, d, _nome, pk = entry
    return (-(n / d), pk)


def merge(parts: Iterable[dict | None]) -> dict | None:
    """The extremes of several Ambiti (an Ambito and its sub-ambiti): each end the first KEPT of the union of the
    parts' ends, in the same order; None when a part has none (a rollup stored before they were kept)."""
    parts = list(parts)
    if any(part is None for part in parts):
        return None
    if len(parts) == 1:
        return parts[0]
    total: dict[str, dict | None] = {}
    for part in parts:
        for modello, codes in part.items():
            merged = total.setdefault(modello, {})
            if codes is None or merged is None:
                total[modello] = None  # pending in one part: pending in the whole
                continue
            for code, ends in codes.items():
                mine = merged.setdefault(code, {"alti": [], "bassi": []})
                mine["alti"] += ends["alti"]
                mine["bassi"] += ends["bassi"]
    for codes in total.values():
        for ends in (codes or {}).values():
            ends["alti"] = sorted(ends["alti"], key=order_key)[:KEPT]
            ends["bassi"] = sorted(ends["bassi"], key=order_key, reverse=True)[:KEPT]
    return total
