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
the file, and so does a value in a cell the export leaves empty and nothing reads (right of the grid, in a
heading or note row, below the last row, in rows 1-4 outside A1:C2 and the column codes and labels); the titles,
labels and notes the export writes are not read and may be left as they are. Size and extension are checked before
reading (:mod:`core.uploads`). Applying the values is
``monitoring.services.scheda_save(...)`` (atomic); :func:`preview_changes` lists what it would change.
"""

from ..changes import changed_values, preview_changes
from .layout import CODE_ROW, FIRST_COL, FIRST_ROW, INFO_SHEET, LABEL_ROW, ExcelImportError, SheetLayout, sheet_layouts
from .reader import parse_scheda_xlsx, read_xlsx_marker
from .writer import scheda_to_xlsx

__all__ = [
    "CODE_ROW",
    "FIRST_COL",
    "FIRST_ROW",
    "INFO_SHEET",
    "LABEL_ROW",
    "ExcelImportError",
    "SheetLayout",
    "changed_values",
    "parse_scheda_xlsx",
    "preview_changes",
    "read_xlsx_marker",
    "scheda_to_xlsx",
    "sheet_layouts",
]
