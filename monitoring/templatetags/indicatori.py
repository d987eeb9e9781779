"""Cells of the indicator tables (templates/monitoring/_overview_tables.html), written in Python: a page of 50
Comuni has hundreds of them, and a template include per cell costs more than the rest of the table.

{% indicator_cell i %} → <td class="text-end">73,3%</td> · {% target_cell c i %} → <td class="text-success">✔ raggiunto…
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.formatting import format_int, format_percent, it_number
from monitoring.indicators import IndicatorValue, TargetCheck

register = template.Library()


def _number(value, indicator: IndicatorValue) -> str:
    """A value in the indicator's unit: «1 ogni 4.000» inhabitants, 73,3% or with its decimals."""
    if indicator.unit == "abitanti":
        return f"1 ogni {format_int(value)}"
    if indicator.unit == "%":
        return format_percent(value)
    return it_number(value, indicator.decimals)


@register.simple_tag
def indicator_cell(indicator: IndicatorValue, testid: str = "") -> SafeString:
    """The value of an indicator (— when missing), right-aligned; `testid` names the cell for the tests."""
    text = "—" if indicator.value is None else _number(indicator.value, indicator)
    if testid:
        return format_html('<td class="text-end" data-testid="{}">{}</td>', testid, text)
    return format_html('<td class="text-end">{}</td>', text)


@register.simple_tag
def target_cell(check: TargetCheck, indicator: IndicatorValue) -> SafeString:
    """Whether a target is met, in words and colour, with the target in the indicator's unit."""
    css, text = {True: ("text-success", "✔ raggiunto"), False: ("text-danger fw-bold", "✘ non raggiunto")}.get(
        check.met, ("", "—")
    )
    if check.target is None:
        return format_html('<td class="{}">{}</td>', css, text)
    target = format_percent(check.target) if indicator.unit == "%" else it_number(check.target, indicator.decimals)
    return format_html('<td class="{}">{} <span class="small text-muted">({})</span></td>', css, text, target)
