"""The table exports (core.exports): a text is never run as a formula, in XLSX and in CSV."""

import io

import pytest
from openpyxl import load_workbook

from core.exports import csv_response, xlsx_bytes


def _csv(rows) -> list[str]:
    body = b"".join(csv_response(rows, "prova").streaming_content).decode("utf-8-sig")
    return body.splitlines()


def test_xlsx_texts_that_look_like_formulas_or_errors_stay_text():
    data = xlsx_bytes([["Nome", "Valore"], ["=1+1", 5], ["#N/A", 2.5]], "Dati")
    ws = load_workbook(io.BytesIO(data)).active
    assert [(c.value, c.data_type) for c in (ws["A2"], ws["A3"])] == [("=1+1", "s"), ("#N/A", "s")]
    assert (ws["B2"].value, ws["B2"].data_type, ws["B2"].number_format) == (5, "n", "#,##0")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+39 02 1234", "'+39 02 1234"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("- elenco", "'- elenco"),
        ("\tTAB", "'\tTAB"),
        ("-5", "-5"),  # a number written as text stays as it is
        ("-1.234,56", "-1.234,56"),
        ("Magenta", "Magenta"),
        ("a=b", "a=b"),
    ],
)
def test_csv_texts_that_a_spreadsheet_would_run_get_an_apostrophe(text, written):
    assert _csv([["Nome"], [text]])[1] == written


def test_csv_numbers_are_not_touched():
    assert _csv([["A", "B"], [-5, -2.5]])[1] == "-5;-2,50"
