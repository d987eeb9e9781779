"""Export the filtered rows of a django-tables2 table as CSV or XLSX (openpyxl write-only).

Numbers stay numbers in XLSX (with Italian-looking number formats); the CSV uses ';' and decimal
commas, the convention Italian spreadsheet users expect, with a UTF-8 BOM.

A text is never a formula: in XLSX it is written as text (core.xlsx_rows.keep_text); in the CSV a text that a
spreadsheet would run as a formula (it starts with «=», «+», «@», a tab, a carriage return, or «-» not followed by
a number) gets a leading apostrophe, as OWASP advises against CSV injection.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .xlsx_rows import keep_text

if TYPE_CHECKING:  # the views ExportMixin goes into: a FilterView with a django-tables2 table
    from django_filters.views import FilterView
    from django_tables2 import SingleTableMixin

    class _TableFilterView(SingleTableMixin, FilterView): ...
else:
    _TableFilterView = object

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_START = ("=", "+", "@", "\t", "\r")
SIGNED_NUMBER = re.compile(r"-[\d.,\s]*\d[\d.,\s]*")


def _csv_text(text: str) -> str:
    """A text as a spreadsheet shows it: with an apostrophe in front when it would be run as a formula."""
    if text.startswith(FORMULA_START) or (text.startswith("-") and not SIGNED_NUMBER.fullmatch(text)):
        return "'" + text
    return text


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, str):
        return _csv_text(value)
    return str(value)


class _Echo:
    """A file that gives back what is written: csv.writer then returns each line."""

    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterable[Sequence[Any]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def generate() -> Iterator[str]:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([_csv_value(v) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_bytes(rows: Iterable[Sequence[Any]], sheet_title: str) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    ws.freeze_panes = "A2"
    header_written = False
    widths: dict[int, int] = {}
    for row in rows:
        out = []
        for i, value in enumerate(row, start=1):
            if isinstance(value, Decimal):
                value = float(value)
            cell = keep_text(WriteOnlyCell(ws, value=value))
            if not header_written:
                cell.font = Font(bold=True)
            elif isinstance(value, float):
                cell.number_format = "#,##0.00"
            elif isinstance(value, int):
                cell.number_format = "#,##0"
            widths[i] = max(widths.get(i, 8), min(len(str(value or "")) + 2, 60))
            out.append(cell)
        if not header_written:
            for i, width in widths.items():
                ws.column_dimensions[get_column_letter(i)].width = max(width, 12)
            ncols = len(out)
            header_written = True
        ws.append(out)
    if header_written:
        ws.auto_filter.ref = f"A1:{get_column_letter(max(ncols, 1))}1"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(rows: Iterable[Sequence[Any]], filename: str, sheet_title: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(rows, sheet_title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_export_response(table: Any, fmt: str, filename: str, sheet_title: str = "Dati") -> HttpResponseBase:
    """The table's rows (all of them, unpaginated, with the current filters and ordering)."""
    rows = table.as_values(exclude_columns=getattr(table, "export_exclude", ()))
    if fmt == "csv":
        return csv_response(rows, filename)
    return xlsx_response(rows, filename, sheet_title)


class ExportMixin(_TableFilterView):
    """For a django-filter `FilterView` with a django-tables2 table: `?_export=csv|xlsx` exports the filtered rows.

    `export_filename()` names the file (override it to add, say, the plan's slug); the page gets `query_string`
    (the filters without `_export` and `page`) to build its export links.
    """

    export_name = "dati"
    sheet_title = "Dati"

    def export_filename(self) -> str:
        return self.export_name

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        fmt = request.GET.get("_export")
        if fmt:
            if fmt not in EXPORT_FORMATS:
                raise Http404(_("Formato di esportazione non disponibile."))
            self.object_list = self.get_filterset(self.get_filterset_class()).qs
            table = self.get_table(**self.get_table_kwargs())
            return table_export_response(table, fmt, filename=self.export_filename(), sheet_title=self.sheet_title)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("_export", None)
        params.pop("page", None)
        context["query_string"] = params.urlencode()
        return context
