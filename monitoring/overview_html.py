"""The HTML of the overview table (monitoring.tables.OverviewTable): its frame (headers with their sorting links,
the pages) cached by what it is made of, the rows of the page written for each request.

The frame depends on the query string (sorting, page, filters), the number of rows, the rows per page and the
language, not on the schede's data: after a save anywhere in the Ambito it is found again, and only the page's rows
(`overview_rows`, written in Python) are made anew. A table without rows is rendered whole (its empty text)."""

from __future__ import annotations

from typing import Any

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.fragments import cached_fragment

from .templatetags.indicatori import overview_rows

ROWS = "<!--righe della pagina-->"


def overview_table_html(table: Any, request: Any, parts: list) -> SafeString:
    """The table (configured by RequestConfig: sorted and paged) as `{% render_table %}` writes it; `parts`: what
    else the frame is made of (the Ambito, the query string, the number of rows, the rows per page)."""
    rows = overview_rows(table)
    if not rows:
        return mark_safe(_render(table, request))
    frame = cached_fragment("quadro-schede-cornice", [*parts, get_language()], lambda: _render(table, request, ROWS))
    return mark_safe(frame.replace(ROWS, rows, 1))  # rendered by our own templates, autoescaped


def _render(table: Any, request: Any, rows_placeholder: str = "") -> str:
    """The table rendered as django-tables2's `render_table` tag does; with `rows_placeholder`, that text in place
    of the rows (monitoring/_overview_table.html)."""
    table.rows_placeholder = rows_placeholder
    table.before_render(request)
    return get_template(table.template_name).render({"table": table}, request)
