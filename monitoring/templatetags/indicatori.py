"""Cells and rows of the overview's tables (templates/monitoring/_overview_tables.html and _overview_table.html),
written in Python (the indicator cells by monitoring.indicator_html): a page of 50 Comuni has hundreds of cells,
and the template engine's work per cell (a loop, a tag, a URL) costs more than the rest of the page.

{% indicator_cell i %} → <td class="text-end">73,3%</td> · {% target_cell c i %} → <td class="text-success">✔ raggiunto…
"""

from collections.abc import Callable
from datetime import datetime, tzinfo
from html import escape

from django import template
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone

from core.formatting import it_number
from core.routes import FilledUrl
from monitoring.indicator_html import indicator_td, scheda_url, target_td
from monitoring.indicators import IndicatorValue, TargetCheck

register = template.Library()


@register.simple_tag
def indicator_cell(indicator: IndicatorValue, testid: str = "") -> SafeString:
    """The value of an indicator (— when missing), right-aligned; `testid` names the cell for the tests."""
    return mark_safe(indicator_td(indicator, testid))  # every text escaped


@register.simple_tag
def target_cell(check: TargetCheck, indicator: IndicatorValue) -> SafeString:
    """Whether a target is met, in words and colour, with the target in the indicator's unit."""
    return mark_safe(target_td(check, indicator))  # every text escaped


def _or_dash(value, text) -> str:
    return "—" if value is None else text(value)


# Django's date format letters that strftime writes the same way (zero-padded numbers): d/m/Y H:i → %d/%m/%Y %H:%M
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}


def date_writer(django_format: str) -> Callable[[datetime], str]:
    """A function writing a datetime in `django_format` (e.g. SHORT_DATETIME_FORMAT): strftime when every letter
    of the format has a strftime twin (one C call instead of Django's formatter per date), else Django's own."""
    if all((not c.isalpha() and c not in "\\%") or c in _STRFTIME for c in django_format):
        pattern = "".join(_STRFTIME.get(c, c) for c in django_format)
        return lambda value: value.strftime(pattern)
    return lambda value: dateformat.format(value, django_format)


def _overview_row(r, parity: str, url: FilledUrl, when: tuple[Callable[[datetime], str], tzinfo]) -> str:
    """The cells of monitoring.tables.OverviewTable for one row (monitoring.overview.OverviewRow), as its columns'
    render methods write them (tests/monitoring/test_overview_pages.py compares the two); every text escaped.
    `when`: the writer of the date and time (SHORT_DATETIME_FORMAT) and the time zone, made once per table."""
    modello = f'<a href="{url(r.scheda_id)}">{escape(r.modello)}</a>' if r.scheda_id else escape(r.modello)
    if r.stato in ("inviata", "validata"):
        giorni = "—"
    elif r.giorni < 0:
        giorni = f'<span class="text-danger fw-bold">scaduta da {escape(it_number(-r.giorni))} gg</span>'
    else:
        giorni = escape(it_number(r.giorni))
    changed = _or_dash(r.modificata_il, lambda v: when[0](v.astimezone(when[1])))
    completezza = _or_dash(r.completezza, lambda v: it_number(v, 1))
    errori, avvisi = _or_dash(r.errori, it_number), _or_dash(r.avvisi, it_number)
    return (
        f'<tr class="{parity}"><td>{escape(r.comune_codice)}</td><td>{escape(r.comune_nome)}</td><td>{modello}</td>'
        f'<td><span class="badge bg-{escape(r.badge)}">{escape(r.stato_label)}</span></td>'
        f'<td class="text-end">{escape(completezza)}</td><td class="text-end">{escape(errori)}</td>'
        f'<td class="text-end">{escape(avvisi)}</td><td>{escape(changed)}</td><td class="text-end">{giorni}</td></tr>'
    )


@register.simple_tag
def overview_rows(table) -> SafeString:
    """The body rows of the page of the overview table (monitoring.tables.OverviewTable), written in Python."""
    url, when = scheda_url(), (date_writer(get_format("SHORT_DATETIME_FORMAT")), get_current_timezone())
    rows = [row.record for row in table.paginated_rows]
    return mark_safe("".join(_overview_row(r, ("even", "odd")[i % 2], url, when) for i, r in enumerate(rows)))
