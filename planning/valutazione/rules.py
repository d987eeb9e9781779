"""Dimension 1 of an evaluation card ("grado di raggiungimento"): plain Python, no Django.

grado = azioni realizzate / azioni programmate × 100. Seed 001 applies two rules to the partially realised
actions (card 2 counts them as done: 9/12 = 75%; card 1 does not: 6/7 = 85,7%), so both are computed and the
plan states which one it uses. Actions suspended, interrupted or still in progress count as not realised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.formatting import format_percent

REALIZZATA = "realizzata"
PARZIALE = "parzialmente_realizzata"
ONE_DECIMAL = Decimal("0.1")
# A printed percentage matches a computed one when they agree at the printed precision (85,7 ~ 85,71…).
MATCH_TOLERANCE = Decimal("0.1")


@dataclass(frozen=True)
class Conteggi:
    realizzate: int = 0
    parziali: int = 0
    non_realizzate: int = 0
    sospese: int = 0
    interrotte: int = 0
    in_corso: int = 0

    @property
    def totale(self) -> int:
        return self.realizzate + self.parziali + self.non_realizzate + self.sospese + self.interrotte + self.in_corso

    @property
    def non_concluse(self) -> int:
        """Everything that is neither fully nor partially realised."""
        return self.totale - self.realizzate - self.parziali


_FIELD = {
    REALIZZATA: "realizzate",
    PARZIALE: "parziali",
    "non_realizzata": "non_realizzate",
    "sospesa": "sospese",
    "interrotta": "interrotte",
    "in_corso": "in_corso",
}


def conteggi(stati: Iterable[str]) -> Conteggi:
    """Counts of the action states (unknown states count as not realised)."""
    counts = dict.fromkeys(_FIELD.values(), 0)
    for stato in stati:
        counts[_FIELD.get(stato, "non_realizzate")] += 1
    return Conteggi(**counts)


def grado(c: Conteggi, *, parziali_come_realizzate: bool) -> Decimal | None:
    """Percentage of realised actions (one decimal, half up); None without planned actions."""
    if not c.totale:
        return None
    fatte = c.realizzate + (c.parziali if parziali_come_realizzate else 0)
    return (Decimal(fatte) * 100 / Decimal(c.totale)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def regole_coerenti(c: Conteggi, stampato: Decimal | None) -> list[bool]:
    """Which rules reproduce a printed percentage: [True] = partial counted as done, [False] = not, both or none."""
    if stampato is None:
        return []
    out = []
    for rule in (True, False):
        value = grado(c, parziali_come_realizzate=rule)
        if value is not None and abs(value - stampato) < MATCH_TOLERANCE:
            out.append(rule)
    return out


def percentuale_compatta(value: Decimal | None) -> str:
    """75 → «75,0%», 58,33 → «58,3%»: the portal's rule for percentages (core.formatting), «—» for none."""
    return "—" if value is None else format_percent(value)
