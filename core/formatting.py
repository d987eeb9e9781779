"""Italian number formatting shared by templates, tables and exports: 1.234,56 and 12,3%."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def it_number(value, decimals: int = 0) -> str:
    """Format a number the Italian way (thousands with '.', decimals with ','), rounding half up."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def it_percent(value, decimals: int = 1) -> str:
    text = it_number(value, decimals)
    return f"{text}%" if text else ""
