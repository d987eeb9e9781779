"""Italian number formatting shared by templates, tables and exports: 1.234,56 and 12,3%.

The one rule of the portal (pages, PDFs, messages), by kind of number:

=================  ============================================  ==================  ==================
kind               function / template filter                    example value       shown as
=================  ============================================  ==================  ==================
integer (count)    :func:`format_int` / ``|it_int``              ``Decimal("120.00")``  ``120``
amount (euro)      :func:`format_amount` / ``|it_amount``        ``1234.5``          ``1.234,50``
percentage         :func:`format_percent` / ``|it_pct``          ``85.714``          ``85,7%``
other quantity     :func:`format_quantity` / ``|it_qty:unità``   ``12.50``, ``3``    ``12,5``, ``3``
=================  ============================================  ==================  ==================

Thousands are always separated by «.», decimals by «,»; rounding is half up (2,5 → 3). ``None`` and ``""``
give ``""`` (templates add their «—» with ``|default``). A quantity whose unit of measure names euro or percent
(``|it_qty:indicatore.unita``) follows the amount or percentage rule; any other quantity is shown as an integer
when it is whole, otherwise with its decimals (at most two, trailing zeros dropped).

:func:`it_number` / ``|it_num:decimali`` (an explicit number of decimals) remains for values that carry their
own precision, such as a figure printed in a document with its decimals or a SOSE cell.
"""

from decimal import ROUND_HALF_UP, Decimal

from core.numbers import format_it  # plain Python: usable by the rules modules that do not import Django

#: What the formatters accept: a number, its text ("1234.5"), or nothing (None, "") shown as "".
Numeric = Decimal | int | float | str | None


def it_number(value: Numeric, decimals: int = 0) -> str:
    """Format a number the Italian way (thousands with '.', decimals with ','), rounding half up."""
    if type(value) is int and decimals == 0:  # a count (errors, days, Comuni): no rounding to do
        return f"{value:,}".replace(",", ".")
    if value is None or value == "":
        return ""
    return format_it(value if isinstance(value, Decimal) else Decimal(str(value)), decimals)


def it_percent(value: Numeric, decimals: int = 1) -> str:
    text = it_number(value, decimals)
    return f"{text}%" if text else ""


def format_int(value: Numeric) -> str:
    """A count or any integer: ``Decimal("1420.00")`` → «1.420»."""
    return it_number(value, 0)


def format_amount(value: Numeric) -> str:
    """An amount in euro, always with two decimals: ``1234.5`` → «1.234,50» (the «€» is the caller's)."""
    return it_number(value, 2)


def format_percent(value: Numeric) -> str:
    """A percentage, always with one decimal and the sign: ``100`` → «100,0%», ``85.714`` → «85,7%»."""
    return it_percent(value, 1)


def _unit_kind(unit: str) -> str:
    unit = (unit or "").strip().lower()
    if "%" in unit or unit.startswith("percent"):
        return "percent"
    if "€" in unit or "euro" in unit:
        return "amount"
    return ""


def format_quantity(value: Numeric, unit: str = "") -> str:
    """A measured value: by its unit (euro → amount, % → percentage), else whole → integer, else ≤ 2 decimals."""
    if value is None or value == "":
        return ""
    kind = _unit_kind(unit)
    if kind == "percent":
        return format_percent(value)
    if kind == "amount":
        return format_amount(value)
    rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return format_int(rounded)
    return it_number(rounded, 1 if rounded * 10 == (rounded * 10).to_integral_value() else 2)
