"""The body rows of the Ambito page's table of Comuni (planning.tables.ComuneTable), written in Python: a page of
100 Comuni has 800 cells, and django-tables2's work per cell (the render method's signature inspected, the
accessor resolved, the attributes built) cost two thirds of the page. The cells are those the table's columns
render (tests/planning/test_ambito_page.py compares the two); every text escaped."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.formatting import it_number, it_percent
from core.routes import FilledUrl

register = template.Library()

EMPTY = "—"  # django-tables2's default for an empty value


def _number(value, decimals: int = 0, percent: bool = False) -> str:
    if value is None:
        return EMPTY
    return escape(it_percent(value, decimals) if percent else it_number(value, decimals))


def _text(value) -> str:
    return EMPTY if value in (None, "") else escape(str(value))


def _row(comune, parity: str, columns: set[str], url: FilledUrl) -> str:
    nome = f'<a href="{url(comune.codice_istat)}">{escape(comune.nome)}</a>' if comune.nome else EMPTY
    cells = [
        f"<td >{_text(comune.codice_istat)}</td>",
        f"<td >{nome}</td>",
        f"<td >{_text(comune.sigla_provincia)}</td>",
        f'<td class="text-end">{_number(comune.pop_totale)}</td>',
        f'<td class="text-end">{_number(comune.pct_stranieri, 1, percent=True)}</td>',
        f'<td class="text-end">{_number(comune.pct_65, 1, percent=True)}</td>',
        f'<td class="text-end">{_number(comune.pct_0_17, 1, percent=True)}</td>',
    ]
    if "indice_vecchiaia" in columns:
        cells.append(f'<td class="text-end">{_number(comune.indice_vecchiaia, 1)}</td>')
    return f'<tr class="{parity}">{"".join(cells)}</tr>'


@register.simple_tag
def comuni_rows(table) -> SafeString:
    """The body rows of the page of the Comuni table, written in Python."""
    url, columns = FilledUrl("planning:comune_detail", "codice_istat"), {column.name for column in table.columns}
    rows = (_row(row.record, ("even", "odd")[i % 2], columns, url) for i, row in enumerate(table.paginated_rows))
    return mark_safe("".join(rows))  # every text escaped
