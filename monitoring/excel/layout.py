"""Where things are in a scheda's workbook: the sheets, their rows and columns (shared by writer and reader)."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.errors import FileImportError
from monitoring.engine import CompiledTemplate
from monitoring.engine.template import QuadroDef, RowDef

from ..layout import row_title

CellKey = tuple[str, str]
CODE_ROW, LABEL_ROW, FIRST_ROW, FIRST_COL = 3, 4, 5, 3
INFO_SHEET = "Istruzioni"
LEGEND = "Celle bianche: da compilare · azzurre: calcolate · gialle: precompilate dal Ministero · grigie: non previste"


class ExcelImportError(FileImportError):
    """The uploaded file was rejected as a whole; ``errors`` are Italian messages naming sheet and cell."""


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
                rows.append(SheetRow("row", row_title(row), row))
        columns = tuple(code for code in order if code in used)
        layouts.append(SheetLayout(quadro, f"Quadro {quadro.number}", columns, tuple(rows)))
    return layouts


def xlsx_text(text: str) -> str:
    """Text without the control characters an .xlsx cannot hold (pasted from word processors)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)
