"""Read API of the context facts for the plan's documents (reports.piano): the population facts of the Comuni, the
printed population totals that differ from the sum of the Comuni, and the spending facts row by row (workbook).

The spending tables, per-capita figures and printed-figure checks themselves are in `planning.contesto.selectors`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from territory.models import Ambito, Comune, Popolazione

from ..models import Grandezza, Misura, SpesaSociale
from .selectors import Controllo, printed_checks

QUOTA = Misura.QUOTA  # the unit of the spending facts that are shares (percentage points), not euro


def population_facts(comuni: list[Comune]) -> dict[tuple[str, int], Popolazione]:
    """The population facts of `comuni` by (Comune code, year)."""
    return {
        (p.comune_id, p.anno): p
        for p in Popolazione.objects.filter(comune__in=[c.pk for c in comuni]).order_by("comune_id", "anno")
    }


def population_rows(comuni: QuerySet) -> QuerySet:
    """The population facts of `comuni` with their Comune, by Comune name and year (the workbook's rows)."""
    return (
        Popolazione.objects.filter(comune__in=comuni.values("pk"))
        .select_related("comune")
        .order_by("comune__nome", "anno")
    )


def population_printed_differences(ambito: Ambito) -> list[Controllo]:
    """The population totals printed in a source document of the Ambito itself that differ from the sum of its
    Comuni (the checks of `printed_checks`; `oggetto` is the printed figure, with its field and document)."""
    out = []
    for c in printed_checks(ambito):
        p = c.oggetto
        if p is not None and p.grandezza == Grandezza.POPOLAZIONE and c.difforme and p.ambito_id == ambito.pk:
            out.append(c)
    return out


def spending_facts(ambito: Ambito) -> QuerySet:
    """The spending facts of the Ambito and its sub-ambiti, by Ambito, table, item and year, with their table,
    item and Comune."""
    return (
        SpesaSociale.objects.filter(tabella__ambito_id__in=ambito.with_sub_ambiti_ids())
        .select_related("tabella__ambito", "voce", "comune")
        .order_by("tabella__ambito__nome", "tabella__ordine", "tabella__pk", "voce__ordine", "voce__nome", "anno")
    )
