"""Italian number parsing and formatting on ``Decimal``, and percentages of two figures.

Accepted inputs for :func:`parse_decimal` (surrounding whitespace is ignored, an optional ``+``/``-`` sign
is allowed):

* plain integers: ``"1234"``, ``"-5"``;
* Italian decimals: ``"1234,56"``;
* Italian thousands: ``"1.234"``, ``"1.234.567"``, ``"1.234,56"`` (groups of exactly three digits, first
  group 1-3 digits not starting with 0);
* plain dot decimals: ``"1234.56"``, ``"0.5"``, ``"1.2345"``.

Choice for the ambiguous case: a dot followed by exactly three digits, in a number whose first group has
1-3 digits not starting with 0 (``"1.234"``, ``"12.500"``), is read as an Italian thousands separator, so
``"1.234"`` is 1234 and not 1.234. Any other single dot (``"1.2345"``, ``"1234.567"``, ``"0.001"``) is a
decimal point. Everything else is rejected with :class:`NumberParseError`: mixed separators in the US order
(``"1,234.56"``), malformed groups (``"1.23.4,5"``), several commas (``"12,3,4"``), letters, exponents,
spaces inside the number, a leading or trailing separator (``",5"``, ``"5,"``).

:func:`format_it` formats as ``"1.234,56"`` (round half up); ``grouping=False`` gives ``"1234,56"``, the
style printed by the SOSE schede.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, getcontext, localcontext

__all__ = ["NumberParseError", "format_it", "parse_decimal", "percent", "round_half_up"]

_PLAIN_IT = re.compile(r"[+-]?\d+(?:,\d+)?")
_GROUPED_IT = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")
_DOT_DECIMAL = re.compile(r"[+-]?\d+\.\d+")


class NumberParseError(ValueError):
    """The text is not a number in an accepted format; the message is in Italian, for the user."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"Valore non numerico: «{text}». Usare il formato 1.234,56")


def parse_decimal(text: str) -> Decimal:
    """Parse an Italian (``1.234,56``) or plain (``1234.56``) number into a ``Decimal``.

    Raises :class:`NumberParseError` for empty, ambiguous or invalid text (see the module docstring).
    """
    if not isinstance(text, str):
        raise NumberParseError(str(text))
    s = text.strip()
    if _PLAIN_IT.fullmatch(s):
        return Decimal(s.replace(",", "."))
    if _GROUPED_IT.fullmatch(s):
        return Decimal(s.replace(".", "").replace(",", "."))
    if _DOT_DECIMAL.fullmatch(s):
        return Decimal(s)
    raise NumberParseError(text)


#: 1, 0.1, 0.01, …: the steps of the usual numbers of decimals, made once.
_STEPS = tuple(Decimal(1).scaleb(-n) for n in range(10))


def round_half_up(value: Decimal | int | str, decimals: int = 0) -> Decimal:
    """Round to ``decimals`` places, halves away from zero (3474.5 → 3475, -2.5 → -3)."""
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if not d.is_finite():
        raise ValueError(f"cannot round {d}")
    step = _STEPS[decimals] if decimals < len(_STEPS) else Decimal(1).scaleb(-decimals)
    needed = max(28, d.adjusted() + decimals + 3)
    if getcontext().prec >= needed:  # the usual case: the current context is precise enough (no copy of it)
        return d.quantize(step, rounding=ROUND_HALF_UP)
    with localcontext() as ctx:
        ctx.prec = needed
        try:
            return d.quantize(step, rounding=ROUND_HALF_UP)
        except InvalidOperation as exc:  # pragma: no cover - guarded by the precision above
            raise ValueError(f"cannot round {d}") from exc


def percent(part: Decimal | int | None, whole: Decimal | int | None, decimals: int | None = None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, rounded half up to ``decimals`` places when given (unrounded
    otherwise); ``None`` when a figure is missing or ``whole`` is zero, never a guess."""
    if part is None or not whole:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    return value if decimals is None else round_half_up(value, decimals)


def format_it(value: Decimal | int | None, decimals: int, grouping: bool = True) -> str:
    """Format a number the Italian way: ``format_it(Decimal("1234.565"), 2) == "1.234,57"``.

    ``None`` gives ``""``. Negative zero is printed without sign. ``grouping=False`` omits the thousands dots.
    """
    if value is None:
        return ""
    d = round_half_up(value, decimals)
    if d.is_zero():
        d = abs(d)
    digits = format(d.copy_abs(), "f")  # copy_abs: exact (abs() would round to the context's precision)
    int_part, _, frac = digits.partition(".")
    if grouping:
        int_part = f"{int(int_part):,}".replace(",", ".")
    text = int_part + ("," + frac if decimals > 0 else "")
    return "-" + text if d < 0 else text
