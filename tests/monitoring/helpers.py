"""Helpers for the monitoring tests: find a cell in the exported workbook, edit a workbook, read a scheda."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl.utils import get_column_letter

from monitoring.excel import FIRST_COL, FIRST_ROW, sheet_layouts
from monitoring.models import Scheda, ValoreCella
from monitoring.services import scheda_raw_values
from tests.documents import read_xlsx


def cell_ref(scheda: Scheda, row: str, col: str) -> tuple[str, str]:
    """(sheet title, coordinate) of a template cell in the workbook written by scheda_to_xlsx."""
    for layout in sheet_layouts(scheda.modello.compiled()):
        for i, item in enumerate(layout.rows):
            if item.row is not None and item.row.code == row and col in layout.columns:
                letter = get_column_letter(FIRST_COL + layout.columns.index(col))
                return layout.title, f"{letter}{FIRST_ROW + i}"
    raise KeyError((row, col))


def row_ref(scheda: Scheda, row: str) -> tuple[str, str]:
    """(sheet title, coordinate of column A) of a template row."""
    for layout in sheet_layouts(scheda.modello.compiled()):
        for i, item in enumerate(layout.rows):
            if item.row is not None and item.row.code == row:
                return layout.title, f"A{FIRST_ROW + i}"
    raise KeyError(row)


def edit_xlsx(data: bytes, edits: dict[tuple[str, str], object]) -> bytes:
    """The workbook with ``{(sheet, coordinate): value}`` written in (as a user would, protection aside)."""
    wb = read_xlsx(data)
    for (sheet, coordinate), value in edits.items():
        wb[sheet][coordinate] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def copy_sheet(data: bytes, sheet: str, title: str, edits: dict[str, object]) -> bytes:
    """The workbook with a copy of ``sheet`` named ``title`` (as Excel's "Sposta o copia") holding ``edits``."""
    wb = read_xlsx(data)
    copy = wb.copy_worksheet(wb[sheet])
    copy.title = title
    wb.move_sheet(copy, offset=wb.sheetnames.index(sheet) + 1 - wb.sheetnames.index(title))
    for coordinate, value in edits.items():
        copy[coordinate] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_cached_result(data: bytes, sheet_index: int, formula: str, result: str) -> bytes:
    """The workbook with the cached result that Excel stores next to a formula (openpyxl saves none)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    part = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                pattern = rf"<f>{re.escape(formula)}</f>(<v\s*/>|<v></v>)?".encode()
                content, count = re.subn(pattern, f"<f>{formula}</f><v>{result}</v>".encode(), content)
                assert count == 1, "formula not found"
            target.writestr(item, content)
    return out.getvalue()


def padded(data: bytes, size: int) -> bytes:
    """The .xlsx made at least ``size`` bytes long by an extra stored part (still a valid workbook)."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("customXml/padding.bin", b"\0" * max(0, size - len(data)))
    return out.getvalue()


def snapshot(scheda: Scheda) -> tuple[dict, int, int]:
    """Stored values, version and number of history records: to check that nothing was saved."""
    scheda.refresh_from_db()
    return scheda_raw_values(scheda), scheda.versione, ValoreCella.history.filter(scheda_id=scheda.pk).count()
