"""What the context pages of an Ambito read: the lists of facts and of printed figures, and the spending analysis
(tables, per capita, the checks not shown under a table, every discrepancy), and the changes of a table."""

from __future__ import annotations

from django.db.models import QuerySet

from territory.models import Ambito

from ...models import SpesaSociale, TabellaSpesa, ValoreStampato
from ...piano.history import Modifica, modifiche
from .checks import printed_checks
from .per_capita import per_capita
from .spending import spending_tables


def spese_lista(ambito: Ambito) -> QuerySet:
    """The spending facts of the Ambito and of its sub-ambiti, in the tables' order."""
    return (
        SpesaSociale.objects.filter(tabella__ambito_id__in=ambito.with_sub_ambiti_ids())
        .select_related("tabella__ambito", "voce__area")
        .order_by("tabella__ambito__nome", "tabella__ordine", "voce__ordine", "anno")
    )


def valori_stampati_lista(ambito: Ambito) -> QuerySet:
    """The printed figures of the Ambito and of its sub-ambiti."""
    return ValoreStampato.objects.filter(ambito_id__in=ambito.with_sub_ambiti_ids()).order_by(
        "ambito__nome", "riferimento", "anno", "pk"
    )


def spending_overview(ambito: Ambito) -> dict:
    """The spending analysis: `tabelle`, `procapite`, `altri_controlli` (printed figures checked outside the tables,
    the school-year series and the per-capita block) and `discrepanze` (every printed figure that differs, then
    the tables' reference checks that differ)."""
    tables = spending_tables(ambito)
    checks = printed_checks(ambito)
    return {
        "tabelle": tables,
        "procapite": per_capita(ambito),
        "altri_controlli": [
            c
            for c in checks
            if c.oggetto is not None
            and c.oggetto.tabella_id is None
            and c.oggetto.serie_id is None
            and c.oggetto.grandezza != "pro_capite"
        ],
        "discrepanze": [c for c in checks if c.difforme] + [c for t in tables for c in t.discrepanze if not c.stampato],
    }


def tabella_storia(tabella: TabellaSpesa) -> list[Modifica]:
    """The latest changes of a spending table, of its facts and of its printed figures."""
    return modifiche(
        [
            ("Tabella", tabella.history.all(), lambda r: r.codice),
            (
                "Dato",
                SpesaSociale.history.filter(tabella_id=tabella.pk).select_related("voce"),
                lambda r: f"{r.voce.nome if r.voce_id else ''} {r.anno}",
            ),
            (
                "Valore stampato",
                ValoreStampato.history.filter(tabella_id=tabella.pk),
                lambda r: f"{r.etichetta} {r.anno}",
            ),
        ],
        limit=40,
    )
