"""Download of a scheda as an .xlsx workbook (the layout is described in :mod:`monitoring.excel`)."""

from __future__ import annotations

import io
import math
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.xlsx_rows import keep_text
from monitoring.engine import CompiledTemplate, Result
from monitoring.engine.template import CellDef

from ..models import Scheda
from ..services import scheda_raw_values
from .layout import (
    CODE_ROW,
    FIRST_COL,
    FIRST_ROW,
    INFO_SHEET,
    LABEL_ROW,
    LEGEND,
    SheetLayout,
    SheetRow,
    sheet_layouts,
    xlsx_text,
)

_FILL = {
    "computed": PatternFill("solid", fgColor="DDEBF7"),
    "precompiled": PatternFill("solid", fgColor="FFF2CC"),
    "na": PatternFill("solid", fgColor="BFBFBF"),
    "off": PatternFill("solid", fgColor="E7E6E6"),
    "heading": PatternFill("solid", fgColor="17324D"),
    "header": PatternFill("solid", fgColor="D9E1EA"),
}
_THIN = Side(style="thin", color="9AA5B1")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _number_format(cell: CellDef) -> str:
    decimals = cell.decimals or 0
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    prefix, suffix = cell.prefix.replace('"', ""), cell.suffix.replace('"', "")
    return (f'"{prefix} "' if prefix else "") + fmt + (f'" {suffix}"' if suffix else "")


# --- Download -------------------------------------------------------------------------------------------


def scheda_to_xlsx(scheda: Scheda) -> bytes:
    """The scheda as an .xlsx workbook (see the module docstring for the layout)."""
    compiled = scheda.modello.compiled()
    result = compiled.compute(scheda_raw_values(scheda))
    wb = Workbook()
    wb.remove(wb.active)
    for layout in sheet_layouts(compiled):
        _write_sheet(wb.create_sheet(layout.title), layout, compiled, result, scheda)
    _write_info(wb.create_sheet(INFO_SHEET), scheda, compiled)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_sheet(
    ws: Worksheet, layout: SheetLayout, compiled: CompiledTemplate, result: Result, scheda: Scheda
) -> None:
    applies = result.quadri.get(layout.quadro.number, True)
    last_col = FIRST_COL + len(layout.columns) - 1
    _write_header(ws, layout, compiled, scheda, applies, last_col)
    sino = DataValidation(type="list", formula1='"SI,NO"', allow_blank=True, showErrorMessage=True)
    sino.error, sino.errorTitle = "Indicare SI o NO", "Valore non ammesso"
    ws.add_data_validation(sino)
    for i, item in enumerate(layout.rows):
        if item.kind != "row":
            _write_text_row(ws, FIRST_ROW + i, item, last_col)
        else:
            _write_row(ws, FIRST_ROW + i, item, layout, compiled, result, applies, sino)
    _finish_sheet(ws, layout)


def _write_header(
    ws: Worksheet, layout: SheetLayout, compiled: CompiledTemplate, scheda: Scheda, applies: bool, last_col: int
) -> None:
    """Rows 1-4: the marker (template, Comune), the quadro's title and legend, the column codes and labels."""
    labels = {c.code: c.label for c in compiled.definition.columns}
    ws["A1"], ws["B1"] = compiled.code, scheda.comune.codice_istat
    ws["B1"].number_format = "@"
    ws["C1"] = f"{scheda.comune.nome.upper()} — {compiled.definition.title}"
    for ref in ("A1", "B1", "C1"):
        ws[ref].font = Font(bold=True)
    ws["A2"], ws["B2"] = layout.title, layout.quadro.title
    ws["A2"].font = ws["B2"].font = Font(bold=True, size=12, color="17324D")
    ws["C2"] = LEGEND if applies else "Il quadro non si applica a questa scheda: le celle sono bloccate."
    ws["C2"].font = Font(italic=True, color="5C6F82")
    ws.cell(CODE_ROW, 1, "Codice"), ws.cell(CODE_ROW, 2, "Voce")
    for j, code in enumerate(layout.columns):
        ws.cell(CODE_ROW, FIRST_COL + j, code)
        ws.cell(LABEL_ROW, FIRST_COL + j, labels.get(code) or "")
    for r in (CODE_ROW, LABEL_ROW):
        for c in range(1, last_col + 1):
            cell = ws.cell(r, c)
            cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), _FILL["header"], _BORDER, _WRAP
    ws.row_dimensions[LABEL_ROW].height = 48


def _write_row(
    ws: Worksheet,
    r: int,
    item: SheetRow,
    layout: SheetLayout,
    compiled: CompiledTemplate,
    result: Result,
    applies: bool,
    sino: DataValidation,
) -> None:
    """A template row: code, label, then its cells (a taller row for long texts)."""
    assert item.row is not None  # a "row" item always has its template row
    ws.cell(r, 1, item.row.code).font = Font(bold=True)
    ws.cell(r, 2, item.text).alignment = _WRAP
    longest = 0
    for j, col in enumerate(layout.columns):
        target = ws.cell(r, FIRST_COL + j)
        target.border = _BORDER
        cell = compiled.cells.get((item.row.code, col))
        if cell is None:
            target.fill = _FILL["na"]
            continue
        value = result.values.get(cell.key)
        _write_value(target, cell, value)
        _protect(target, cell, applies, sino)
        if cell.unit == "testo":
            longest = max(longest, len(str(value or "")), 300 if cell.max_length else 0)
    if longest > 80:
        ws.row_dimensions[r].height = min(409, 15 * math.ceil(longest / 80))


def _protect(target: Any, cell: CellDef, applies: bool, sino: DataValidation) -> None:
    """Inputs of a quadro that applies are unlocked (SI/NO from a list); every other cell is coloured and locked."""
    if cell.kind != "input":
        target.fill = _FILL[cell.kind]
    elif not applies:
        target.fill = _FILL["off"]
    else:
        target.protection = _UNLOCKED
        if cell.unit == "sino":
            sino.add(target)


def _write_text_row(ws: Worksheet, r: int, item: SheetRow, last_col: int) -> None:
    cell = ws.cell(r, 2, item.text)
    if item.kind == "heading":
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), _FILL["heading"]
        for c in range(1, last_col + 1):
            ws.cell(r, c).fill = _FILL["heading"]
    else:
        cell.font = Font(italic=True, color="5C6F82")
    cell.alignment = _WRAP
    if len(item.text) > 70:
        ws.row_dimensions[r].height = 15 * math.ceil(len(item.text) / 70)


def _write_value(target, cell: CellDef, value: Any) -> None:
    """Numbers as numbers with their format (empty number cells keep it, for what the user types); texts as text."""
    if cell.is_numeric:
        target.value = value if isinstance(value, Decimal) else (None if value is None else str(value))
        target.number_format = _number_format(cell)
    else:
        target.value = None if value is None else xlsx_text(str(value))
        target.number_format = "@"
        if cell.unit == "testo":
            target.alignment = _WRAP
    keep_text(target)  # a stored text starting with "=" stays a text (openpyxl takes it for a formula)


def _finish_sheet(ws: Worksheet, layout: SheetLayout) -> None:
    ws.column_dimensions["A"].width = 9
    ws.column_dimensions["B"].width = 62
    for j, code in enumerate(layout.columns):
        wide = code in ("TXT", "COM", "MOD") or (code == "VAL" and layout.quadro.number == 4)
        ws.column_dimensions[get_column_letter(FIRST_COL + j)].width = 90 if wide else 17
    ws.freeze_panes = ws.cell(FIRST_ROW, FIRST_COL).coordinate
    ws.protection.sheet = True  # no password: protection against accidental edits only
    ws.protection.formatColumns = ws.protection.formatRows = False  # resizing stays allowed


def _write_info(ws: Worksheet, scheda: Scheda, compiled: CompiledTemplate) -> None:
    when = timezone.localtime(timezone.now()).strftime("%d/%m/%Y %H:%M")
    lines = [
        ("Scheda", compiled.definition.title),
        ("Modello", compiled.code),
        ("Comune", f"{scheda.comune.nome} ({scheda.comune.codice_istat})"),
        ("Anno di riferimento", compiled.definition.reference_year),
        ("Stato", scheda.get_stato_display()),
        ("Versione della scheda", scheda.versione),
        ("Esportata il", when),
        ("", ""),
        ("Come compilare", "Compilare solo le celle bianche; " + LEGEND.lower() + "."),
        ("", "I numeri si scrivono come numeri (1234,56); SI/NO nelle celle Si/No."),
        ("", "Non modificare i codici della colonna A e delle righe 1 e 3, non aggiungere o togliere righe:"),
        ("", "il file verrebbe rifiutato per intero. I fogli sono protetti senza password."),
        ("", "Al caricamento il portale mostra l'elenco dei valori che cambiano prima di salvarli."),
    ]
    for i, (label, value) in enumerate(lines, start=1):
        ws.cell(i, 1, label).font = Font(bold=True)
        ws.cell(i, 2, value)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    ws.protection.sheet = True
