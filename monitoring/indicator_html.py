"""The HTML of the overview's indicator cells and rows, written in Python: a page of 50 Comuni has hundreds of
cells, and the template engine's work per cell (a loop, a tag, a URL) costs more than the rest of the page. Every
text is escaped (html.escape, what django.utils.html.escape does): format_html per cell costs as much as a row.

Used by the template tags of templates/monitoring/_overview_tables.html (monitoring.templatetags.indicatori) and by
the cached rows of the overview's indicator tables (monitoring.indicator_page)."""

from html import escape

from core.formatting import format_int, format_percent, it_number
from core.routes import FilledUrl

from .indicators import IndicatorValue, TargetCheck

NO_ROWS = '<tr><td colspan="9">Nessuna scheda.</td></tr>'
_MET = {True: ("text-success", "✔ raggiunto"), False: ("text-danger fw-bold", "✘ non raggiunto")}


def _number(value, indicator: IndicatorValue) -> str:
    """A value in the indicator's unit: «1 ogni 4.000» inhabitants, 73,3% or with its decimals."""
    if indicator.unit == "abitanti":
        return f"1 ogni {format_int(value)}"
    if indicator.unit == "%":
        return format_percent(value)
    return it_number(value, indicator.decimals)


def indicator_td(indicator: IndicatorValue, testid: str = "") -> str:
    """The value of an indicator (— when missing), right-aligned; `testid` names the cell for the tests."""
    text = "—" if indicator.value is None else escape(_number(indicator.value, indicator))
    if testid:
        return f'<td class="text-end" data-testid="{escape(testid)}">{text}</td>'
    return f'<td class="text-end">{text}</td>'


def target_td(check: TargetCheck, indicator: IndicatorValue) -> str:
    """Whether a target is met, in words and colour, with the target in the indicator's unit."""
    css, text = _MET.get(check.met, ("", "—"))
    if check.target is None:
        return f'<td class="{css}">{text}</td>'
    target = format_percent(check.target) if indicator.unit == "%" else it_number(check.target, indicator.decimals)
    return f'<td class="{css}">{text} <span class="small text-muted">({escape(target)})</span></td>'


def scheda_url() -> FilledUrl:
    """The scheda page's URL of a scheda id, reversed once per table."""
    return FilledUrl("monitoring:scheda_detail", "pk")


def indicator_row(nome: str, scheda_id: int, values: list[IndicatorValue], url: FilledUrl) -> str:
    """A Comune's row of an indicator table: its name linking to its scheda, then its indicator and target cells."""
    cells = "".join(indicator_td(i) + "".join(target_td(c, i) for c in i.checks) for i in values)
    return f'<tr><th scope="row"><a href="{url(scheda_id)}">{escape(nome)}</a></th>{cells}</tr>'
