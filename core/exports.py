"""Export the filtered rows of a django-tables2 table as CSV or XLSX (openpyxl write-only).

Numbers stay numbers in XLSX (with Italian-looking number formats); the CSV uses ';' and decimal
commas, the convention Italian spreadsheet users expect, with a UTF-8 BOM.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


class _Echo:
    def write(self, value):
        return value


def csv_response(rows, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def generate():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([_csv_value(v) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_bytes(rows, sheet_title: str) -> bytes:
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
            cell = WriteOnlyCell(ws, value=value)
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


def xlsx_response(rows, filename: str, sheet_title: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(rows, sheet_title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_export_response(table, fmt: str, filename: str, sheet_title: str = "Dati"):
    """The table's rows (all of them, unpaginated, with the current filters and ordering)."""
    rows = table.as_values(exclude_columns=getattr(table, "export_exclude", ()))
    if fmt == "csv":
        return csv_response(rows, filename)
    return xlsx_response(rows, filename, sheet_title)
