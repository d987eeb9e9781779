"""Template filters of the portal: Italian numbers by kind (see core.formatting for the rule) and Markdown.

{{ n|it_int }} → 1.420 · {{ euro|it_amount }} → 1.234,50 · {{ p|it_pct }} → 85,7% · {{ v|it_qty:unita }} → by unit ·
{{ v|it_num:2 }} → explicit decimals (values that carry their own precision).
"""

from django import template
from django.utils.safestring import SafeString

from core.formatting import (
    Numeric,
    format_amount,
    format_int,
    format_percent,
    format_quantity,
    it_number,
    it_percent,
)
from core.markdown import render_markdown

register = template.Library()


@register.filter
def it_num(value: Numeric, decimals: int | str = 0) -> str:
    return it_number(value, int(decimals))


@register.filter
def it_int(value: Numeric) -> str:
    return format_int(value)


@register.filter
def it_amount(value: Numeric) -> str:
    return format_amount(value)


@register.filter
def it_pct(value: Numeric, decimals: int | str | None = None) -> str:
    return format_percent(value) if decimals is None else it_percent(value, int(decimals))


@register.filter
def it_qty(value: Numeric, unit: str | None = "") -> str:
    return format_quantity(value, unit or "")


@register.filter
def markdown(value: str | None) -> SafeString:
    """{{ text|markdown }}: Markdown rendered to sanitised HTML (see core.markdown)."""
    return render_markdown(value)
