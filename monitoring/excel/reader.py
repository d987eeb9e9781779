"""Upload of a scheda's workbook: a strict, all-or-nothing check of the whole file, then the input values."""

from __future__ import annotations

import io
import math
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from monitoring.engine import CompiledTemplate, NumberParseError, Result, format_it, parse_decimal, round_half_up
from monitoring.engine.template import CellDef

from ..changes import same_newlines
from ..models import Scheda
from ..services import normalise, scheda_raw_values
from .layout import (
    CODE_ROW,
    FIRST_COL,
    FIRST_ROW,
    INFO_SHEET,
    LABEL_ROW,
    CellKey,
    ExcelImportError,
    SheetLayout,
    sheet_layouts,
    xlsx_text,
)

MAX_ERRORS = 200


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _code_text(value: Any) -> str:
    """A code read from a cell: ISTAT codes typed as numbers lose their leading zeros (35033 → 035033)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return f"{int(value):06d}"
    return "" if value is None else str(value).strip()


def read_xlsx_marker(data: bytes) -> tuple[str, str]:
    """``(template code, ISTAT code)`` from cells A1 and B1 of the first sheet; ExcelImportError if unreadable."""
    wb = _open(data)
    ws = wb[wb.sheetnames[0]]
    template, comune = _code_text(ws["A1"].value), _code_text(ws["B1"].value)
    if not template or not comune:
        raise ExcelImportError(
            [f"Foglio «{ws.title}», celle A1 e B1: mancano il codice del modello e il codice ISTAT del Comune."]
        )
    return template, comune


def _open(data: bytes):
    """The workbook with formulas as typed (``data_only=False``): a formula is refused, never evaluated."""
    try:
        return load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # zip, XML or openpyxl errors: the file is not a readable .xlsx
        raise ExcelImportError(["Il file non è un file Excel (.xlsx) leggibile."]) from exc


def parse_scheda_xlsx(data: bytes, scheda: Scheda) -> dict[CellKey, str]:
    """The values of the scheda's input cells in a workbook written by :func:`scheda_to_xlsx`.

    Returns ``{(row, col): text}`` for every input cell of the quadri that apply ("" = empty); a number equal
    to the stored one keeps the stored text, so unchanged cells compare equal. Raises
    :class:`ExcelImportError` with every problem found (nothing is returned, nothing is saved).
    """
    compiled = scheda.modello.compiled()
    wb = _open(data)
    layouts = sheet_layouts(compiled)
    errors = _check_markers(wb, layouts, compiled, scheda) or _check_extra_sheets(wb, layouts)
    if errors:
        raise ExcelImportError(errors)
    for layout in layouts:
        errors += _check_formulas(wb[layout.title], layout)
    if errors:
        raise ExcelImportError(_cap(errors))
    for layout in layouts:
        errors += _check_structure(wb[layout.title], layout) + _check_outside_grid(wb[layout.title], layout)
    if errors:
        raise ExcelImportError(_cap(errors))
    stored = scheda_raw_values(scheda)
    result = compiled.compute(stored)
    values: dict[CellKey, str] = {}
    for layout in layouts:
        errors += _read_values(wb[layout.title], layout, compiled, result, stored, values)
    if errors:
        raise ExcelImportError(_cap(errors))
    return values


def _cap(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_ERRORS:
        return errors
    return [*errors[:MAX_ERRORS], f"… e altri {len(errors) - MAX_ERRORS} errori."]


def _check_markers(wb, layouts: list[SheetLayout], compiled: CompiledTemplate, scheda: Scheda) -> list[str]:
    comune = scheda.comune
    for layout in layouts:
        if layout.title not in wb.sheetnames:
            return [f"Manca il foglio «{layout.title}»: il file non è una scheda {compiled.code} del portale."]
    found: list[tuple[str, str]] = []
    for layout in layouts:
        ws = wb[layout.title]
        template, istat = _code_text(ws["A1"].value), _code_text(ws["B1"].value)
        if template != compiled.code:
            found.append(
                (ws.title, f"cella A1: il file è della scheda «{template or 'vuoto'}», non di {compiled.code}.")
            )
        elif istat != comune.codice_istat:
            found.append(
                (
                    ws.title,
                    f"cella B1: il file è del Comune con codice ISTAT «{istat or 'vuoto'}», "
                    f"non di {comune.nome} ({comune.codice_istat}).",
                )
            )
    if len(found) == len(layouts) and len({text for _, text in found}) == 1:
        found = found[:1]  # the same marker on every sheet: say it once
    return [f"Foglio «{sheet}», {text}" for sheet, text in found]


def _check_extra_sheets(wb, layouts: list[SheetLayout]) -> list[str]:
    """Sheets that are not the template's (a copy of a quadro, a sheet added for notes): their values would be lost."""
    expected = {layout.title for layout in layouts} | {INFO_SHEET}
    extra = [name for name in wb.sheetnames if name not in expected]
    if not extra:
        return []
    names = ", ".join(f"«{name}»" for name in extra)
    return [
        f"Il file contiene fogli che non fanno parte della scheda: {names}. "
        "Rimuoverli o copiare i valori nel foglio giusto."
    ]


def _formula(cell) -> str | None:
    """The formula in a cell as typed (``=100+80``), or None when the cell holds a value."""
    value = cell.value
    if isinstance(value, ArrayFormula):
        return value.text or "="
    if isinstance(value, DataTableFormula):
        return "=TABLE()"
    if cell.data_type == "f":
        return str(value)
    return None


def _stored_cells(ws: Worksheet) -> list[Cell]:
    """The cells present in the file, by row then column.

    Not ``ws.iter_rows()``, which visits every cell of the used range: one value typed in XFD1048576 would make
    it create seventeen billion cells. openpyxl has no public sparse iteration, hence ``_cells``.
    """
    cells = ws._cells
    return [cells[key] for key in sorted(cells)]


def _check_formulas(ws: Worksheet, layout: SheetLayout) -> list[str]:
    """Every cell holding a formula, anywhere in the sheet: values must be typed (formulas are never evaluated)."""
    errors = []
    for ref in _stored_cells(ws):
        formula = _formula(ref)
        if formula is None:
            continue
        where = f"Foglio «{ws.title}», cella {ref.coordinate}"
        i, j = ref.row - FIRST_ROW, ref.column - FIRST_COL
        if 0 <= i < len(layout.rows) and layout.rows[i].row is not None and 0 <= j < len(layout.columns):
            where += f" ({layout.rows[i].row.code}/{layout.columns[j]})"
        errors.append(f"{where}: contiene una formula («{formula}»): scrivere il valore, non una formula.")
    return errors


def _check_structure(ws: Worksheet, layout: SheetLayout) -> list[str]:
    where = f"Foglio «{ws.title}»"
    errors = []
    for j, code in enumerate(layout.columns):
        ref = ws.cell(CODE_ROW, FIRST_COL + j)
        got = _code_text(ref.value)
        if got != code:
            got = got or "vuoto"
            errors.append(f"{where}, cella {ref.coordinate}: codice di colonna «{got}» al posto di «{code}».")
    extra = ws.cell(CODE_ROW, FIRST_COL + len(layout.columns))
    if not _blank(extra.value):
        errors.append(f"{where}, cella {extra.coordinate}: colonna «{extra.value}» non prevista dal modello.")
    for i, item in enumerate(layout.rows):
        ref = ws.cell(FIRST_ROW + i, 1)
        got = _code_text(ref.value)
        expected = item.row.code if item.row else ""
        if got == expected:
            continue
        if not expected:
            errors.append(f"{where}, cella {ref.coordinate}: codice di riga «{got}» non previsto in questa posizione.")
        else:
            errors.append(
                f"{where}, cella {ref.coordinate}: codice di riga «{got or 'vuoto'}» al posto di «{expected}»."
            )
    for ref in _stored_cells(ws):
        if ref.column == 1 and ref.row >= FIRST_ROW + len(layout.rows) and not _blank(ref.value):
            errors.append(f"{where}, cella {ref.coordinate}: riga «{ref.value}» non prevista dal modello.")
    return errors


def _outside_grid(row: int, column: int, layout: SheetLayout) -> bool:
    """Whether the export leaves the cell empty and no other check reads it (so a value there would be lost).

    The export writes A1:C2 (marker, description, title, legend), A3:B3 and the column codes (row 3; the next
    cell is checked by :func:`_check_structure`), the column labels (row 4), then for every template row its
    code (column A, checked), its label, heading or note (column B) and, for a row of cells, the grid.
    """
    last = FIRST_COL + len(layout.columns) - 1
    if row < CODE_ROW:
        return column > 3
    if row == CODE_ROW:
        return column > last + 1
    if row == LABEL_ROW:
        return not FIRST_COL <= column <= last
    if column == 1:
        return False
    i = row - FIRST_ROW
    if i >= len(layout.rows):
        return True
    return column > 2 and (layout.rows[i].row is None or column > last)


def _check_outside_grid(ws: Worksheet, layout: SheetLayout) -> list[str]:
    """Values typed where nothing is read (right of the grid, in a heading row, below the last row)."""
    errors = []
    for ref in _stored_cells(ws):
        if _blank(ref.value) or not _outside_grid(ref.row, ref.column, layout):
            continue
        shown = _shown(ref.value)
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        errors.append(
            f"Foglio «{ws.title}», cella {ref.coordinate}: valore fuori dalla griglia della scheda; «{shown}» "
            "non verrebbe letto: cancellarlo o scriverlo in una cella bianca della scheda."
        )
    return errors


def _read_values(
    ws: Worksheet,
    layout: SheetLayout,
    compiled: CompiledTemplate,
    result: Result,
    stored: dict[CellKey, str],
    values: dict[CellKey, str],
) -> list[str]:
    applies = result.quadri.get(layout.quadro.number, True)
    errors = []
    for i, item in enumerate(layout.rows):
        if item.row is None:
            continue
        for j, col in enumerate(layout.columns):
            ref = ws.cell(FIRST_ROW + i, FIRST_COL + j)
            key = (item.row.code, col)
            where = f"Foglio «{ws.title}», cella {ref.coordinate} ({key[0]}/{key[1]})"
            cell = compiled.cells.get(key)
            raw = ref.value
            if cell is None:
                if not _blank(raw):
                    errors.append(f"{where}: cella non prevista dal modello, deve restare vuota («{raw}»).")
            elif cell.kind == "input" and applies:
                text, error = _read_input(cell, raw, stored.get(key, ""))
                if error:
                    errors.append(f"{where}: {error}")
                else:
                    values[key] = text
            elif not _blank(raw) and not _matches(cell, raw, result.values.get(key)):
                shown = compiled.format_value(key, result.values.get(key), grouping=False) or "vuota"
                kind = {"computed": "calcolata", "precompiled": "precompilata dal Ministero"}.get(
                    cell.kind, "di un quadro che non si applica"
                )
                errors.append(
                    f"{where}: la cella è {kind} e non si può modificare: «{_shown(raw)}» invece di «{shown}»."
                )
    return errors


def _shown(raw: Any) -> str:
    """A value read from a cell as the user sees it (numbers with a decimal comma, booleans as VERO/FALSO)."""
    if isinstance(raw, bool):
        return "VERO" if raw else "FALSO"
    if isinstance(raw, int | float):
        return normalise(_to_decimal(raw)) if math.isfinite(raw) else str(raw)
    return str(raw)


def _to_decimal(raw: int | float) -> Decimal:
    return Decimal(raw) if isinstance(raw, int) else Decimal(repr(raw))


def _number(raw: Any) -> Decimal | None:
    """A number read from Excel (already a number) or typed as text (parsed the Italian way); None if not."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return _to_decimal(raw) if math.isfinite(raw) else None
    if isinstance(raw, str):
        try:
            return parse_decimal(raw)
        except NumberParseError:
            return None
    return None


def _read_input(cell: CellDef, raw: Any, stored: str) -> tuple[str, str | None]:
    """``(text, error)`` for a value read from an input cell."""
    if _blank(raw):
        return "", None
    if cell.unit == "testo":
        text = _shown(raw)
        if cell.max_length is not None and len(text) > cell.max_length:
            limit, length = format_it(cell.max_length, 0), format_it(len(text), 0)
            return "", f"il testo supera il limite di {limit} caratteri ({length})."
        return (stored if same_newlines(xlsx_text(stored)) == same_newlines(text) else text), None
    if cell.unit == "sino":
        answer = {True: "SI", False: "NO"}.get(raw) if isinstance(raw, bool) else str(raw).strip().upper()
        answer = {"SÌ": "SI", "SÍ": "SI"}.get(answer, answer)
        if answer not in ("SI", "NO"):
            return "", f"«{raw}» non ammesso: indicare SI o NO."
        return answer, None
    number = _number(raw)
    if number is None:
        return "", f"«{_shown(raw)}» non è un numero."
    if number < 0 and not cell.allow_negative:
        return "", f"il valore {_shown(raw)} non può essere negativo."
    try:
        if stored and parse_decimal(stored) == number:
            return stored, None
    except NumberParseError:
        pass
    return normalise(number), None


def _matches(cell: CellDef, raw: Any, expected: Any) -> bool:
    """Whether a value found in a locked cell equals the scheda's value (numbers compared at the cell's decimals)."""
    if cell.is_numeric:
        number = _number(raw)
        if number is None or not isinstance(expected, Decimal):
            return False
        decimals = cell.decimals or 0
        return round_half_up(number, decimals) == round_half_up(expected, decimals)
    return str(raw).strip().upper() == str(expected or "").strip().upper()
