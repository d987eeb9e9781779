"""Spending of the latest year broken down by one dimension (user area, funding source, ...), for the charts."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from territory.models import Ambito

from ...models import Dimensione, Ente, Misura
from .facts import ZERO, tables_and_facts


def spending_by(ambito: Ambito, dimensione: str) -> tuple[int | None, list[tuple[str, Decimal]], str, str]:
    """Latest year, (label, amount) per item of a dimension (amount tables of the Ambito and sub-ambiti), and the
    table codes used and the spending entity when all the tables share it. For «area», intervention tables
    detailing one area are summed by area when there is no table by area."""
    _ids, tabelle, facts = tables_and_facts(ambito)
    wanted = [t for t in tabelle.values() if t.dimensione == dimensione and t.misura == Misura.IMPORTO]
    grouped_by_area = False
    if not wanted and dimensione == Dimensione.AREA:
        wanted = [t for t in tabelle.values() if t.dimensione == Dimensione.INTERVENTO and t.area_id and t.completa]
        grouped_by_area = True
    if not wanted:
        return None, [], "", ""
    ids = {t.pk for t in wanted}
    chosen = [f for f in facts if f.tabella_id in ids]
    if not chosen:
        return None, [], "", ""
    anno = max(f.anno for f in chosen)
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    order: dict[str, int] = {}
    for f in chosen:
        if f.anno != anno:
            continue
        voce = tabelle[f.tabella_id].area if grouped_by_area else f.voce
        sums[voce.nome] += f.valore or ZERO
        order[voce.nome] = voce.ordine
    items = sorted(sums.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    used = [tabelle[i] for i in ids if any(f.tabella_id == i and f.anno == anno for f in chosen)]
    codici = ", ".join(sorted({t.codice for t in used}))
    enti = {t.ente for t in used}
    ente = str(Ente(enti.pop()).label) if len(enti) == 1 else ""
    return anno, items, codici, ente
