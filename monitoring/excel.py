"""Excel round-trip of a scheda: download as .xlsx, upload back with a strict check, preview of the changes.

Layout of the workbook written by :func:`scheda_to_xlsx` (and expected by :func:`parse_scheda_xlsx`):

* one sheet per quadro, titled ``Quadro N``, plus a last sheet ``Istruzioni`` (legend, scheda version);
* row 1 is the marker: ``A1`` the template code (``NID26``), ``B1`` the Comune's ISTAT code (``035033``),
  ``C1`` a readable description; row 2 the quadro title and the colour legend;
* row 3 the column codes (from ``C``), row 4 the column labels; from row 5 the template rows in order: column
  ``A`` the row code, ``B`` the label, then one column per template column used by the quadro (the union of
  its blocks' columns, in template order). Block headings and help texts are rows with an empty ``A``;
* inputs are white and unlocked; computed (blue), precompiled (yellow) and not applicable (grey) cells are
  locked; the inputs of a quadro that does not apply are greyed and locked too;
* numbers are real numbers with the formats ``#,##0`` / ``#,##0.00`` (one zero per decimal of the cell),
  which Excel shows the Italian way (1.234,56) in an Italian locale; texts are text cells (format ``@``).

Every sheet is protected **without a password**, only to prevent accidental edits: anyone can remove the
protection (Revisione → Rimuovi protezione foglio), which is why the upload checks everything again.

The upload is all-or-nothing: :func:`parse_scheda_xlsx` returns the input values or raises
:class:`ExcelImportError` listing every problem with its sheet and cell. Nothing is ignored silently: a sheet
that is not the template's (a copy such as ``Quadro 1 (2)``) and a formula in any cell of a quadro (read as it
was typed, never evaluated: a formula saved without its result would otherwise read as an empty cell) refuse
the file. Size and extension are checked before reading (:mod:`monitoring.uploads`). Applying the values is
``monitoring.services.scheda_save(...)`` (atomic); :func:`preview_changes` lists what it would change.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from monitoring.engine import CompiledTemplate, NumberParseError, Result, format_it, parse_decimal, round_half_up
from monitoring.engine.template import CellDef, QuadroDef, RowDef

from .changes import changed_values, preview_changes, same_newlines
from .models import Scheda
from .services import normalise, scheda_raw_values

__all__ = [
    "ExcelImportError",
    "SheetLayout",
    "changed_values",
    "parse_scheda_xlsx",
    "preview_changes",
    "read_xlsx_marker",
    "scheda_to_xlsx",
    "sheet_layouts",
]

CellKey = tuple[str, str]
CODE_ROW, LABEL_ROW, FIRST_ROW, FIRST_COL = 3, 4, 5, 3
INFO_SHEET = "Istruzioni"
MAX_ERRORS = 200

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
LEGEND = "Celle bianche: da compilare · azzurre: calcolate · gialle: precompilate dal Ministero · grigie: non previste"


class ExcelImportError(Exception):
    """The uploaded file was rejected as a whole; ``errors`` are Italian messages naming sheet and cell."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class SheetRow:
    kind: str  # "heading", "note" or "row"
    text: str
    row: RowDef | None = None


@dataclass(frozen=True)
class SheetLayout:
    quadro: QuadroDef
    title: str
    columns: tuple[str, ...]
    rows: tuple[SheetRow, ...]


def sheet_layouts(compiled: CompiledTemplate) -> list[SheetLayout]:
    """The position of every heading, row and column in the sheets (shared by the writer and the reader)."""
    order = [c.code for c in compiled.definition.columns]
    layouts = []
    for quadro in compiled.definition.quadri:
        used: set[str] = set()
        rows: list[SheetRow] = [SheetRow("note", quadro.help)] if quadro.help else []
        for block in quadro.blocks:
            used.update(block.columns)
            rows += [SheetRow("heading", h) for h in block.headings]
            rows += [SheetRow("note", block.help)] if block.help else []
            for row in block.rows:
                used.update(c.col for c in row.cells)
                rows.append(SheetRow("row", _row_label(row), row))
        columns = tuple(code for code in order if code in used)
        layouts.append(SheetLayout(quadro, f"Quadro {quadro.number}", columns, tuple(rows)))
    return layouts


def _row_label(row: RowDef) -> str:
    return f"{row.display_code} - {row.label}" if row.label else row.display_code


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
    labels = {c.code: c.label for c in compiled.definition.columns}
    last_col = FIRST_COL + len(layout.columns) - 1
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
    sino = DataValidation(type="list", formula1='"SI,NO"', allow_blank=True, showErrorMessage=True)
    sino.error, sino.errorTitle = "Indicare SI o NO", "Valore non ammesso"
    ws.add_data_validation(sino)
    for i, item in enumerate(layout.rows):
        r = FIRST_ROW + i
        if item.kind != "row":
            _write_text_row(ws, r, item, last_col)
            continue
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
            if cell.kind != "input":
                target.fill = _FILL[cell.kind]
            elif not applies:
                target.fill = _FILL["off"]
            else:
                target.protection = _UNLOCKED
                if cell.unit == "sino":
                    sino.add(target)
            if cell.unit == "testo":
                longest = max(longest, len(str(value or "")), 300 if cell.max_length else 0)
        if longest > 80:
            ws.row_dimensions[r].height = min(409, 15 * math.ceil(longest / 80))
    _finish_sheet(ws, layout)


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
        target.value = None if value is None else _xlsx_text(str(value))
        target.number_format = "@"
        if cell.unit == "testo":
            target.alignment = _WRAP
    if target.data_type == "f":
        target.data_type = "s"  # a stored text starting with "=" stays a text (openpyxl takes it for a formula)


def _xlsx_text(text: str) -> str:
    """Text without the control characters an .xlsx cannot hold (pasted from word processors)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


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


# --- Upload ---------------------------------------------------------------------------------------------


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
        errors += _check_structure(wb[layout.title], layout)
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
    return errors[:MAX_ERRORS] + [f"… e altri {len(errors) - MAX_ERRORS} errori."]


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


def _check_formulas(ws: Worksheet, layout: SheetLayout) -> list[str]:
    """Every cell holding a formula, anywhere in the sheet: values must be typed (formulas are never evaluated)."""
    errors = []
    for line in ws.iter_rows():
        for ref in line:
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
    for r in range(FIRST_ROW + len(layout.rows), ws.max_row + 1):
        ref = ws.cell(r, 1)
        if not _blank(ref.value):
            errors.append(f"{where}, cella {ref.coordinate}: riga «{ref.value}» non prevista dal modello.")
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
        return (stored if same_newlines(_xlsx_text(stored)) == same_newlines(text) else text), None
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
