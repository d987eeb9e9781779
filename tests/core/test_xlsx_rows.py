"""Plain rows of a write-only sheet (core.xlsx_rows): the same cells as openpyxl's own cells, text always text."""

import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import IllegalCharacterError

from core.xlsx_rows import plain_rows

FORMATS = [None, "#,##0", "#,##0.00", None]


def _saved(wb: Workbook):
    buffer = io.BytesIO()
    wb.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue())).active


def _cells(ws) -> list[tuple]:
    cells = (c for row in ws.iter_rows() for c in row if c.value is not None)
    return [(c.coordinate, c.value, c.data_type, c.number_format) for c in cells]


def _sheet(rows, plain: bool):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Dati")
    ws.append([WriteOnlyCell(ws, value="Intestazione")])
    if plain:
        plain_rows(ws, FORMATS)
    for row in rows:
        if plain:
            ws.append(row)
        else:  # openpyxl's own way: a styled cell per formatted value
            cells = []
            for value, number_format in zip(row, FORMATS, strict=False):
                cell = WriteOnlyCell(ws, value=value)
                if number_format and value is not None:
                    cell.number_format = number_format
                cells.append(cell)
            ws.append(cells)
    return _saved(wb)


def test_plain_rows_write_the_cells_openpyxl_writes():
    rows = [["015130", 1234, 1234.5, "Magenta"], [None, -7, 0.25, True], ["Robecco", None, 3, None], ["a  b ", 0]]
    assert _cells(_sheet(rows, plain=True)) == _cells(_sheet(rows, plain=False))
    plain = _sheet(rows, plain=True)
    assert plain["B2"].number_format == "#,##0"
    assert plain["C3"].number_format == "#,##0.00"
    assert plain["A2"].value == "015130"  # a code stays text, leading zero kept
    assert plain["D3"].value is True


@pytest.mark.parametrize("text", ["=1+1", '=HYPERLINK("http://example.com","clic")', "#N/A", "#DIV/0!"])
def test_text_that_looks_like_a_formula_or_an_error_stays_text(text):
    ws = _sheet([[text, 1, 1.5, text]], plain=True)
    assert (ws["A2"].value, ws["A2"].data_type) == (text, "s")
    assert (ws["D2"].value, ws["D2"].data_type) == (text, "s")


def test_a_character_a_worksheet_cannot_hold_is_refused_as_openpyxl_refuses_it():
    with pytest.raises(IllegalCharacterError):
        _sheet([["bell\x07", 1]], plain=True)


def test_a_row_longer_than_the_columns_is_refused_with_its_row():
    with pytest.raises(ValueError, match="Riga 2: 5 valori per 4 colonne"):
        _sheet([["a", 1, 2, "b", "in più"]], plain=True)


def test_a_value_of_another_type_is_refused():
    with pytest.raises(TypeError, match="Valore non previsto"):
        _sheet([[object()]], plain=True)
