"""Spending per resident by year: of the Comuni, of the Ufficio di Piano and of both, with year-on-year variations
and the printed per-capita values compared."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from territory.models import Ambito

from ...models import Ente, Grandezza, ValoreStampato
from . import facts

MEDIA_COMUNI = (
    "Il valore stampato coincide con la media semplice dei pro capite stampati dei Comuni, "
    "non con la spesa dei Comuni divisa per i residenti."
)


@dataclass
class AnnoProCapite:
    anno: int
    popolazione: int | None
    spesa_comuni: Decimal | None
    spesa_udp: Decimal | None
    spesa_totale: Decimal | None
    pro_capite_comuni: Decimal | None
    pro_capite_totale: Decimal | None
    variazione_totale: Decimal | None = None  # on the previous year
    variazione_pro_capite: Decimal | None = None
    stampato_comuni: facts.Controllo | None = None
    stampato_totale: facts.Controllo | None = None
    media_stampati_comuni: Decimal | None = None  # simple mean of the printed per-capita values of the Comuni


@dataclass
class ProCapite:
    anni: list[AnnoProCapite]
    comuni_stampati: list[tuple[str, list[Decimal | None]]]  # printed per-capita by Comune (not recomputable)
    variazione_periodo: Decimal | None = None
    variazione_periodo_udp: Decimal | None = None

    @property
    def discrepanze(self) -> list[facts.Controllo]:
        return [c for a in self.anni for c in (a.stampato_comuni, a.stampato_totale) if c and c.difforme]


def _printed_check(p: ValoreStampato, row: AnnoProCapite) -> None:
    """The printed per-capita value `p` of the Ambito compared with the computed one of the same entity."""
    calc = row.pro_capite_comuni if p.ente == Ente.COMUNI else row.pro_capite_totale
    check = facts.printed_check(p, calc, facts.half_unit(p.decimali))
    if p.ente != Ente.COMUNI:
        row.stampato_totale = check
        return
    if check.difforme and row.media_stampati_comuni is not None:
        media = facts.quantize(row.media_stampati_comuni, p.decimali)
        if abs(media - p.valore) <= facts.half_unit(p.decimali):
            check.spiegazione = MEDIA_COMUNI
    row.stampato_comuni = check


def _anno(ambito: Ambito, anno: int, totals: dict, residenti: int | None, printed: list) -> AnnoProCapite:
    comuni = totals.get((ambito.pk, Ente.COMUNI, anno))
    totale = totals.get((ambito.pk, Ente.AMBITO, anno))
    row = AnnoProCapite(
        anno=anno, popolazione=residenti, spesa_comuni=comuni, spesa_udp=totals.get((ambito.pk, Ente.UDP, anno)),
        spesa_totale=totale, pro_capite_comuni=facts.divide(comuni, residenti),
        pro_capite_totale=facts.divide(totale, residenti),
    )  # fmt: skip
    per_comune = [p.valore for p in printed if p.anno == anno and p.comune_id]
    if per_comune:
        row.media_stampati_comuni = sum(per_comune, facts.ZERO) / len(per_comune)
    for p in printed:
        if p.anno == anno and not p.comune_id:
            _printed_check(p, row)
    return row


def per_capita(ambito: Ambito) -> ProCapite:
    """Spending per resident by year: Comuni only («senza UdP») and Comuni + Ufficio di Piano («con UdP»).

    Per-capita = spending of the year / residents of the same year (sum of the Comuni's population facts).
    """
    _ids, tabelle, fatti = facts.tables_and_facts(ambito)
    totals = facts.ente_totals(fatti, tabelle)
    pop = facts.population_by_year(ambito)
    anni = sorted({anno for (amb, _e, anno) in totals if amb == ambito.pk})
    printed = [p for p in facts.printed_all(ambito) if p.ambito_id == ambito.pk and p.grandezza == Grandezza.PRO_CAPITE]
    out = [_anno(ambito, anno, totals, pop.get(anno, {}).get("totale"), printed) for anno in anni]
    for prev, cur in pairwise(out):
        cur.variazione_totale = facts.variazione(prev.spesa_totale, cur.spesa_totale)
        cur.variazione_pro_capite = facts.variazione(prev.pro_capite_totale, cur.pro_capite_totale)
    comuni_rows: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for p in printed:
        if p.comune_id:
            comuni_rows[p.comune.nome][p.anno] = p.valore
    return ProCapite(
        anni=out,
        comuni_stampati=[(nome, [v.get(a) for a in anni]) for nome, v in sorted(comuni_rows.items())],
        variazione_periodo=facts.variazione(out[0].spesa_totale, out[-1].spesa_totale) if out else None,
        variazione_periodo_udp=facts.variazione(out[0].spesa_udp, out[-1].spesa_udp) if out else None,
    )
