"""Rows of plain values written to an openpyxl write-only sheet without building openpyxl's cell objects.

openpyxl's `WriteOnlyWorksheet.append` makes a `Cell` of every value (its type checked; a cell with a number format
is passed as a `Cell`, which openpyxl first tries as a value and rejects with an exception, then replaces by a new
Cell, and whose style is looked up again) before its writer (`openpyxl.cell._writer.write_cell`) turns it into XML.
After `plain_rows(ws, formats)`, each row appended to `ws` goes to the same writer as one reused light cell:

- the style of each column (its number format, or none) is looked up once;
- text is checked as openpyxl checks it (characters a worksheet cannot hold are refused, at most 32,767 characters
  are kept) and is always written as text: never as a formula or an error code, whatever it starts with (a value
  typed by a user that starts with «=» stays what was typed);
- values are None (no cell), str, int, float or bool.

The rows appended before the call (headers with fonts, say) are written by openpyxl as usual. `keep_text(cell)` gives
the same guarantee to a cell openpyxl builds: a text it took for a formula or an error code is a text again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet


class _Cell:
    """What the writer reads of a cell (openpyxl.cell._writer and WorksheetWriter.write_row)."""

    __slots__ = ("_value", "coordinate", "data_type", "has_style", "style_id")
    _value: object
    coordinate: str
    data_type: str
    has_style: bool
    style_id: int | None
    _comment = None
    hyperlink = None


def _style_id(ws: WriteOnlyWorksheet, number_format: str | None) -> int | None:
    if number_format is None:
        return None
    cell = WriteOnlyCell(ws)
    cell.number_format = number_format
    return cell.style_id


def _data_type(value: object) -> str:
    if isinstance(value, str):
        return "s"
    if isinstance(value, bool):
        return "b"
    if isinstance(value, int | float):
        return "n"
    raise TypeError(f"Valore non previsto in un foglio Excel: {value!r}")


def keep_text(cell: Any) -> Any:
    """The cell, its text kept as text: openpyxl takes a text that starts with «=» for a formula and «#N/A» (or
    another error code) for an error. For values typed by users: a formula of the portal's own is never passed."""
    if isinstance(cell.value, str) and cell.data_type in ("f", "e"):
        cell.data_type = "s"
    return cell


def plain_rows(ws: WriteOnlyWorksheet, number_formats: Sequence[str | None]) -> None:
    """Write the rows appended to `ws` from now on as plain values, column i with `number_formats[i]` (None: no
    format). A row has at most as many values as there are formats."""
    letters = [get_column_letter(i) for i in range(1, len(number_formats) + 1)]
    styles = [_style_id(ws, number_format) for number_format in number_formats]
    check_string = WriteOnlyCell(ws).check_string
    cell = _Cell()  # the writer writes each cell before the next is made: one object serves every cell

    def values_to_row(values: Sequence[object], row_idx: int) -> Iterator[_Cell]:
        if len(values) > len(letters):
            raise ValueError(f"Riga {row_idx}: {len(values)} valori per {len(letters)} colonne.")
        suffix = str(row_idx)
        for value, letter, style in zip(values, letters, styles, strict=False):
            if value is None:
                continue
            cell.data_type = _data_type(value)
            cell._value = check_string(value) if cell.data_type == "s" else value
            cell.coordinate = letter + suffix
            cell.has_style = style is not None
            cell.style_id = style
            yield cell

    ws._values_to_row = values_to_row
