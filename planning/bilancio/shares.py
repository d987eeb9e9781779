"""The Comuni's shares of the gestione associata: one year's amount split by the plan's rule, to the cent.

Per inhabitant, the exact share of each Comune (amount × population / total population) is cut down to the cent;
the cents left over (fewer than the number of Comuni) go one each to the Comuni with the largest remainders, the
larger population first on equal remainders, then the ISTAT code (largest-remainder method, Hamilton): the shares
always add up to the amount to the cent, and no Comune is ever more than a cent from its exact share. A fixed share
is the same split with every Comune counted once.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal

CENT = Decimal("0.01")


class QuoteError(ValueError):
    """The rule cannot be applied (no population for a Comune, a population of zero)."""


def largest_remainder(total: Decimal, weights: Mapping[str, int]) -> dict[str, Decimal]:
    """`total` split in proportion to `weights` (ISTAT code -> population or 1), in cents adding up to `total`."""
    if not weights:
        return {}
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        raise QuoteError("La somma dei pesi è zero: impossibile ripartire.")
    cents = int((total / CENT).to_integral_value())
    if Decimal(cents) * CENT != total:
        raise QuoteError(f"L'importo {total} ha più di due decimali.")
    floors: dict[str, int] = {}
    remainders: list[tuple[int, int, str]] = []
    for code, weight in weights.items():
        exact_numerator = cents * weight  # share in cents = exact_numerator / weight_sum
        floors[code] = exact_numerator // weight_sum
        remainders.append((exact_numerator % weight_sum, weight, code))
    left = cents - sum(floors.values())
    for _remainder, _weight, code in sorted(remainders, key=lambda r: (-r[0], -r[1], r[2]))[:left]:
        floors[code] += 1
    return {code: (Decimal(value) * CENT).quantize(CENT, rounding=ROUND_FLOOR) for code, value in floors.items()}
