"""A write-only sheet of the plan's workbook (`Sheet`, `Col`): styled header row, frozen panes, column widths, real
numbers with their number format, and the header and data rows as an Excel table named as the sheet.

Texts are written as texts, whatever they start with (a title typed as «=…» is no formula: core.xlsx_rows); the
workbook's own formulas are marked as such (`Formula`)."""

from __future__ import annotations

import datetime
import warnings
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from core.xlsx_rows import keep_text


class Formula(str):
    """A formula of the workbook's own (a text that starts with «=»): the one kind of text written as a formula."""


EURO = '#,##0.00 "€"'
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
PERCENT = "0.0%"  # a share computed as a fraction (G2/D2)
PERCENT_POINTS = "#,##0.0"  # a percentage stored as points (45.5 = 45,5%), as typed in the portal
DATE = "DD/MM/YYYY"
TEXT = "@"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="17324D")
TOTAL_FONT = Font(bold=True)
TOTAL_FILL = PatternFill("solid", fgColor="DBE5F1")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
THIN = Border(top=Side(style="thin", color="17324D"))
TABLE_STYLE = "TableStyleLight9"


@dataclass
class Col:
    """A column: header, width (characters), number format, wrapped text."""

    header: str
    width: int = 14
    fmt: str | None = None
    wrap: bool = False


def table_headers(headers: list[str]) -> list[str]:
    """Header texts an Excel table accepts as column names: one line, not empty, at most 255 characters, unique
    regardless of case (a repeated label gets « (2)»); the header cells show the same text."""
    out: list[str] = []
    seen: set[str] = set()
    for n, header in enumerate(headers, start=1):
        text = " ".join(str(header or "").split())[:250] or f"Colonna {n}"
        name, k = text, 1
        while name.casefold() in seen:
            k += 1
            name = f"{text} ({k})"
        seen.add(name.casefold())
        out.append(name)
    return out


class Sheet:
    """A write-only sheet: styled header row, frozen panes, column widths; `add_table()` at the end makes the header
    and data rows an Excel table named as the sheet (with its own filter buttons)."""

    def __init__(self, wb: Workbook, title: str, cols: list[Col], freeze: str = "A2"):
        self.ws = wb.create_sheet(title=title[:31])
        self.headers = table_headers([c.header for c in cols])
        self.cols = cols
        self.rows = 0
        for i, col in enumerate(cols, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = col.width
        self.ws.freeze_panes = freeze
        self.append_cells([self.cell(h, font=HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGN) for h in self.headers])

    def cell(self, value, *, fmt=None, font=None, fill=None, align=None, border=None) -> WriteOnlyCell:
        if isinstance(value, Decimal):
            value = float(value)
        cell = WriteOnlyCell(self.ws, value=str(value) if isinstance(value, Formula) else value)
        if not isinstance(value, Formula):
            keep_text(cell)
        if fmt:
            cell.number_format = fmt
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if align:
            cell.alignment = align
        if border:
            cell.border = border
        return cell

    def append_cells(self, cells: list) -> int:
        self.ws.append(cells)
        self.rows += 1
        return self.rows

    def append(self, values: list, formats: dict[int, str] | None = None) -> int:
        """A data row: each value with its column's format (numbers stay numbers, dates stay dates); `formats`
        ({column index: format}) sets the format of this row's cells, empty ones included (a unit per row)."""
        cells = []
        for k, (value, col) in enumerate(zip(values, self.cols, strict=False)):
            fmt = col.fmt if value is not None else None
            if fmt is None and isinstance(value, datetime.date):
                fmt = DATE
            if formats and k in formats:
                fmt = formats[k]
            cells.append(self.cell(value, fmt=fmt, align=WRAP if col.wrap else TOP))
        return self.append_cells(cells)

    def add_table(self, name: str | None = None) -> Table:
        """The header and data rows as an Excel table (at least one data row, empty if there is no data)."""
        if self.rows < 2:
            self.append_cells([])
        ref = f"A1:{get_column_letter(len(self.cols))}{self.rows}"
        table = Table(
            displayName=name or self.ws.title,
            ref=ref,
            autoFilter=AutoFilter(ref=ref),
            tableColumns=[TableColumn(id=i, name=h) for i, h in enumerate(self.headers, start=1)],
            tableStyleInfo=TableStyleInfo(name=TABLE_STYLE, showRowStripes=True),
        )
        with warnings.catch_warnings():  # the columns are named above, as write-only mode asks
            warnings.filterwarnings("ignore", "In write-only mode you must add table columns manually")
            self.ws.add_table(table)
        return table
