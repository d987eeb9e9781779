"""Excel round-trip of a scheda: download, read back, locked/unlocked cells, preview and apply, bad uploads."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl.worksheet.formula import ArrayFormula

from monitoring.excel import ExcelImportError, parse_scheda_xlsx, preview_changes, scheda_to_xlsx
from monitoring.services import scheda_raw_values, scheda_save
from tests.documents import read_xlsx

from .helpers import cell_ref, copy_sheet, edit_xlsx, padded, row_ref, snapshot, with_cached_result


def workbook(scheda):
    return read_xlsx(scheda_to_xlsx(scheda))


def cell(wb, scheda, row: str, col: str):
    sheet, coordinate = cell_ref(scheda, row, col)
    return wb[sheet][coordinate]


def test_one_sheet_per_quadro_with_template_and_comune_marker(reggio_nid):
    wb = workbook(reggio_nid)
    assert wb.sheetnames == ["Quadro 1", "Quadro 2", "Quadro 3", "Quadro 4", "Istruzioni"]
    for title in wb.sheetnames[:4]:
        assert (wb[title]["A1"].value, wb[title]["B1"].value) == ("NID26", "035033")
    ws = wb["Quadro 1"]
    assert [ws.cell(3, c).value for c in range(3, 9)] == ["F18", "N18", "N25", "S25", "P25", "A25"]
    assert ws["E4"].value == "2025 - Asili nido"
    assert ws.freeze_panes == "C5"


def test_rows_in_template_order_with_code_and_label(reggio_nid):
    wb = workbook(reggio_nid)
    codes = [c.value for c in wb["Quadro 1"]["A"][4:] if c.value]
    assert codes[:6] == ["R01", "R02", "R02A", "R03", "R04", "R05"]
    assert "R19_0" in codes
    assert codes[-1] == "R23"
    sheet, ref = row_ref(reggio_nid, "R05")
    assert wb[sheet][ref.replace("A", "B")].value == "R05 - Bambini gestiti dal comune direttamente (numero)"


def test_input_cells_unlocked_computed_and_precompiled_locked(reggio_nid):
    wb = workbook(reggio_nid)
    assert all(wb[t].protection.sheet for t in wb.sheetnames)
    assert cell(wb, reggio_nid, "R05", "N25").protection.locked is False
    assert cell(wb, reggio_nid, "R10", "N25").protection.locked is True  # computed
    assert cell(wb, reggio_nid, "R19_0", "IST").protection.locked is True  # precompiled
    assert cell(wb, reggio_nid, "R01", "F18").protection.locked is True  # not applicable
    assert cell(wb, reggio_nid, "R01", "F18").fill.fgColor.rgb.endswith("BFBFBF")


def test_numbers_are_numbers_with_italian_formats(reggio_nid):
    wb = workbook(reggio_nid)
    r04 = cell(wb, reggio_nid, "R04", "N25")
    assert r04.value == pytest.approx(4935260.53)
    assert r04.number_format == "#,##0.00"
    r05 = cell(wb, reggio_nid, "R05", "N25")
    assert r05.value == 748
    assert r05.number_format == "#,##0"
    r10 = cell(wb, reggio_nid, "R10", "N25")
    assert r10.value == 1800  # computed values are filled in
    assert cell(wb, reggio_nid, "R21", "PCT25").value == pytest.approx(51.8)
    assert cell(wb, reggio_nid, "R16", "UF18").number_format == "#,##0.00000000"


def test_texts_are_text_cells(reggio_nid):
    wb = workbook(reggio_nid)
    r61 = cell(wb, reggio_nid, "R61", "TXT")
    assert r61.value.startswith("Si intende precisare")
    assert r61.number_format == "@"
    assert cell(wb, reggio_nid, "R30", "COM").value == "CAMPEGINE(RE)"
    assert cell(wb, reggio_nid, "R10A", "SN").value == "NO"


def test_inputs_of_a_quadro_that_does_not_apply_are_locked(reggio_soc):
    wb = workbook(reggio_soc)
    assert cell(wb, reggio_soc, "R13", "SPA").protection.locked is True
    assert "non si applica" in wb["Quadro 3"]["C2"].value


def test_unchanged_file_has_no_changes(reggio_nid, reggio_soc, magenta_nid):
    for scheda in (reggio_nid, reggio_soc, magenta_nid):
        values = parse_scheda_xlsx(scheda_to_xlsx(scheda), scheda)
        assert preview_changes(scheda, values) == []
        assert values[("R05", "N25") if scheda.modello.codice == "NID26" else ("M12", "U25")] != ""


def test_modified_input_previews_exactly_that_change_and_applies(magenta_nid, udp_user):
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), {cell_ref(magenta_nid, "R05", "N25"): 200})
    values = parse_scheda_xlsx(data, magenta_nid)
    changes = preview_changes(magenta_nid, values)
    assert changes == [
        {
            "cella": "R05/N25",
            "riga": "R05",
            "colonna": "N25",
            "riga_label": "R05 - Bambini gestiti dal comune direttamente (numero)",
            "colonna_label": "2025 - Asili nido",
            "prima": "180",
            "dopo": "200",
        }
    ]
    result = scheda_save(scheda=magenta_nid, user=udp_user, values=values, expected_version=magenta_nid.versione)
    assert scheda_raw_values(magenta_nid)[("R05", "N25")] == "200"
    assert result.values[("R10", "N25")] == Decimal(386)  # 200 + 150 + 36
    assert magenta_nid.valori.get(riga="R05", colonna="N25").history.count() == 2  # only that cell changed
    assert magenta_nid.valori.get(riga="R01", colonna="N25").history.count() == 1


def test_number_typed_as_italian_text_is_accepted(magenta_nid):
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), {cell_ref(magenta_nid, "R23", "E25"): "1.234,56"})
    values = parse_scheda_xlsx(data, magenta_nid)
    assert values[("R23", "E25")] == "1234,56"
    assert [c["cella"] for c in preview_changes(magenta_nid, values)] == ["R23/E25"]


def test_clearing_an_input_is_a_change(magenta_nid):
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), {cell_ref(magenta_nid, "R01", "N25"): None})
    changes = preview_changes(magenta_nid, parse_scheda_xlsx(data, magenta_nid))
    assert [(c["cella"], c["prima"], c["dopo"]) for c in changes] == [("R01/N25", "420", "")]


# --- Bad uploads: the whole file is rejected, with sheet and cell, and nothing is saved ---------------------


def rejected(scheda, data: bytes) -> list[str]:
    before = snapshot(scheda)
    with pytest.raises(ExcelImportError) as excinfo:
        parse_scheda_xlsx(data, scheda)
    assert snapshot(scheda) == before
    return excinfo.value.errors


def test_wrong_template_is_rejected(magenta_nid, reggio_soc):
    errors = rejected(magenta_nid, scheda_to_xlsx(reggio_soc))
    assert errors == ["Foglio «Quadro 1», cella A1: il file è della scheda «SOC26», non di NID26."]


def test_wrong_comune_is_rejected(magenta_nid, reggio_nid):
    errors = rejected(magenta_nid, scheda_to_xlsx(reggio_nid))
    assert errors == [
        "Foglio «Quadro 1», cella B1: il file è del Comune con codice ISTAT «035033», non di Magenta (015130)."
    ]


def test_changed_row_code_is_rejected(magenta_nid):
    sheet, ref = row_ref(magenta_nid, "R05")
    errors = rejected(magenta_nid, edit_xlsx(scheda_to_xlsx(magenta_nid), {(sheet, ref): "R5"}))
    assert errors == [f"Foglio «Quadro 1», cella {ref}: codice di riga «R5» al posto di «R05»."]


def test_unknown_row_added_at_the_end_is_rejected(magenta_nid):
    ws_rows = read_xlsx(scheda_to_xlsx(magenta_nid))["Quadro 2"].max_row
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), {("Quadro 2", f"A{ws_rows + 1}"): "R99"})
    assert rejected(magenta_nid, data) == [
        f"Foglio «Quadro 2», cella A{ws_rows + 1}: riga «R99» non prevista dal modello."
    ]


def test_changed_column_code_is_rejected(magenta_nid):
    errors = rejected(magenta_nid, edit_xlsx(scheda_to_xlsx(magenta_nid), {("Quadro 1", "E3"): "N26"}))
    assert errors == ["Foglio «Quadro 1», cella E3: codice di colonna «N26» al posto di «N25»."]


def test_text_in_a_number_cell_is_rejected(magenta_nid):
    sheet, ref = cell_ref(magenta_nid, "R05", "N25")
    errors = rejected(magenta_nid, edit_xlsx(scheda_to_xlsx(magenta_nid), {(sheet, ref): "abc"}))
    assert errors == [f"Foglio «Quadro 1», cella {ref} (R05/N25): «abc» non è un numero."]


def test_negative_count_is_rejected(magenta_nid):
    sheet, ref = cell_ref(magenta_nid, "R06", "N25")
    errors = rejected(magenta_nid, edit_xlsx(scheda_to_xlsx(magenta_nid), {(sheet, ref): -3}))
    assert errors == [f"Foglio «Quadro 1», cella {ref} (R06/N25): il valore -3 non può essere negativo."]


def test_text_over_its_limit_is_rejected(magenta_nid):
    sheet, ref = cell_ref(magenta_nid, "R61", "TXT")
    errors = rejected(magenta_nid, edit_xlsx(scheda_to_xlsx(magenta_nid), {(sheet, ref): "x" * 6001}))
    assert errors == [
        f"Foglio «Quadro 4», cella {ref} (R61/TXT): il testo supera il limite di 6.000 caratteri (6.001)."
    ]


def test_text_at_its_limit_is_accepted(magenta_nid):
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), {cell_ref(magenta_nid, "R61", "TXT"): "x" * 6000})
    assert parse_scheda_xlsx(data, magenta_nid)[("R61", "TXT")] == "x" * 6000


@pytest.mark.parametrize(
    ("scheda_fixture", "riga", "colonna", "typed", "reason"),
    [
        ("reggio_nid", "R10", "N25", 1799, "la cella è calcolata e non si può modificare: «1799» invece di «1800»."),
        (
            "magenta_nid",
            "R19_0",
            "IST",
            170,
            "la cella è precompilata dal Ministero e non si può modificare: «170» invece di «168».",
        ),
        ("magenta_nid", "R01", "F18", 5, "cella non prevista dal modello, deve restare vuota («5»)."),
    ],
    ids=["computed", "precompiled", "not_in_the_model"],
)
def test_value_typed_into_a_cell_that_cannot_take_it_is_rejected(
    db, request, scheda_fixture, riga, colonna, typed, reason
):
    """`db` is named so that the test runs among the database tests (the scheda fixture is only looked up)."""
    scheda = request.getfixturevalue(scheda_fixture)
    sheet, ref = cell_ref(scheda, riga, colonna)
    errors = rejected(scheda, edit_xlsx(scheda_to_xlsx(scheda), {(sheet, ref): typed}))
    assert errors == [f"Foglio «Quadro 1», cella {ref} ({riga}/{colonna}): {reason}"]


def test_every_problem_is_listed_and_none_is_applied(magenta_nid):
    edits = {
        cell_ref(magenta_nid, "R05", "N25"): 999,  # valid, but the file is rejected as a whole
        cell_ref(magenta_nid, "R06", "N25"): "dieci",
        cell_ref(magenta_nid, "R29A", "SN"): "forse",
        cell_ref(magenta_nid, "R09", "N25"): -1,
    }
    errors = rejected(magenta_nid, edit_xlsx(scheda_to_xlsx(magenta_nid), edits))
    assert len(errors) == 3
    assert any("(R06/N25): «dieci» non è un numero" in e for e in errors)
    assert any("Foglio «Quadro 4»" in e and "(R29A/SN): «forse» non ammesso: indicare SI o NO." in e for e in errors)
    assert any("(R09/N25): il valore -1 non può essere negativo" in e for e in errors)


def test_missing_sheet_is_rejected(magenta_nid):
    wb = read_xlsx(scheda_to_xlsx(magenta_nid))
    del wb["Quadro 3"]
    out = io.BytesIO()
    wb.save(out)
    assert rejected(magenta_nid, out.getvalue()) == [
        "Manca il foglio «Quadro 3»: il file non è una scheda NID26 del portale."
    ]


def test_a_file_that_is_not_excel_is_rejected(magenta_nid):
    assert rejected(magenta_nid, b"R05;N25;748\n") == ["Il file non è un file Excel (.xlsx) leggibile."]


def test_empty_number_cells_keep_a_number_format(magenta_nid):
    wb = workbook(magenta_nid)
    r05_s25 = cell(wb, magenta_nid, "R05", "S25")
    assert r05_s25.value is None
    assert r05_s25.number_format == "#,##0"
    assert cell(wb, magenta_nid, "R61", "TXT").number_format == "@"


def test_text_with_windows_line_ends_is_not_a_change(magenta_nid, udp_user):
    text = "Prima riga.\r\nSeconda riga."  # as a browser sends a textarea
    scheda_save(scheda=magenta_nid, user=udp_user, values={("R61", "TXT"): text}, expected_version=magenta_nid.versione)
    values = parse_scheda_xlsx(scheda_to_xlsx(magenta_nid), magenta_nid)
    assert values[("R61", "TXT")] == text
    assert preview_changes(magenta_nid, values) == []


def test_control_characters_in_a_text_do_not_break_the_download(magenta_nid, udp_user):
    text = "Testo incollato\x0bda un editor"
    scheda_save(scheda=magenta_nid, user=udp_user, values={("R61", "TXT"): text}, expected_version=magenta_nid.versione)
    values = parse_scheda_xlsx(scheda_to_xlsx(magenta_nid), magenta_nid)
    assert preview_changes(magenta_nid, values) == []


# --- Nothing is lost silently: formulas and extra sheets refuse the file ------------------------------------

FORMULA = "contiene una formula («{}»): scrivere il valore, non una formula."


def test_formula_in_an_input_cell_is_rejected_not_read_as_empty(magenta_nid):
    sheet, ref = cell_ref(magenta_nid, "R05", "N25")
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), {(sheet, ref): "=100+80"})  # saved without a result
    errors = rejected(magenta_nid, data)
    assert errors == [f"Foglio «Quadro 1», cella {ref} (R05/N25): " + FORMULA.format("=100+80")]


def test_formula_with_the_result_saved_by_excel_is_rejected_too(magenta_nid):
    sheet, ref = cell_ref(magenta_nid, "R05", "N25")
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), {(sheet, ref): "=100+80"})
    data = with_cached_result(data, 1, "100+80", "180")  # the value stored equals the result: still refused
    assert rejected(magenta_nid, data) == [f"Foglio «Quadro 1», cella {ref} (R05/N25): " + FORMULA.format("=100+80")]


def test_formula_in_any_cell_is_rejected(magenta_nid):
    computed = cell_ref(magenta_nid, "R10", "N25")
    text = cell_ref(magenta_nid, "R61", "TXT")
    edits = {computed: "=SUM(E9:E14)", text: '="vedi "&B5', ("Quadro 2", "Z90"): "=1+1"}
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), edits)
    wb = read_xlsx(data)
    wb["Quadro 3"]["C5"] = ArrayFormula("C5:C5", "=SUM(1,2)")
    out = io.BytesIO()
    wb.save(out)
    assert rejected(magenta_nid, out.getvalue()) == [
        f"Foglio «Quadro 1», cella {computed[1]} (R10/N25): " + FORMULA.format("=SUM(E9:E14)"),
        "Foglio «Quadro 2», cella Z90: " + FORMULA.format("=1+1"),
        "Foglio «Quadro 3», cella C5: " + FORMULA.format("=SUM(1,2)"),
        f"Foglio «Quadro 4», cella {text[1]} (R61/TXT): " + FORMULA.format('="vedi "&B5'),
    ]


def test_stored_text_starting_with_equals_is_written_as_text(magenta_nid, udp_user):
    text = "=== Nota: dati provvisori"
    scheda_save(scheda=magenta_nid, user=udp_user, values={("R61", "TXT"): text}, expected_version=magenta_nid.versione)
    data = scheda_to_xlsx(magenta_nid)
    target = cell(read_xlsx(data), magenta_nid, "R61", "TXT")
    assert (target.value, target.data_type) == (text, "s")  # not a formula
    values = parse_scheda_xlsx(data, magenta_nid)
    assert values[("R61", "TXT")] == text
    assert preview_changes(magenta_nid, values) == []


def test_copy_of_a_sheet_is_rejected_naming_it(magenta_nid):
    sheet, ref = cell_ref(magenta_nid, "R05", "N25")
    data = copy_sheet(scheda_to_xlsx(magenta_nid), sheet, "Quadro 1 (2)", {ref: 200})  # the edit is in the copy
    assert read_xlsx(data).sheetnames[:3] == ["Quadro 1", "Quadro 1 (2)", "Quadro 2"]
    assert rejected(magenta_nid, data) == [
        "Il file contiene fogli che non fanno parte della scheda: «Quadro 1 (2)». "
        "Rimuoverli o copiare i valori nel foglio giusto."
    ]


def test_every_extra_sheet_is_named(magenta_nid):
    wb = read_xlsx(scheda_to_xlsx(magenta_nid))
    wb.create_sheet("Appunti")
    wb.create_sheet("Foglio1", 0)
    out = io.BytesIO()
    wb.save(out)
    assert rejected(magenta_nid, out.getvalue()) == [
        "Il file contiene fogli che non fanno parte della scheda: «Foglio1», «Appunti». "
        "Rimuoverli o copiare i valori nel foglio giusto."
    ]


def test_instructions_sheet_may_be_removed(magenta_nid):
    wb = read_xlsx(scheda_to_xlsx(magenta_nid))
    del wb["Istruzioni"]  # it holds no value of the scheda
    out = io.BytesIO()
    wb.save(out)
    assert preview_changes(magenta_nid, parse_scheda_xlsx(out.getvalue(), magenta_nid)) == []


def test_padding_keeps_a_valid_workbook(magenta_nid):
    """The oversized files of the upload tests would be accepted but for their size."""
    data = padded(edit_xlsx(scheda_to_xlsx(magenta_nid), {cell_ref(magenta_nid, "R05", "N25"): 200}), 300_000)
    assert len(data) > 300_000
    assert [c["cella"] for c in preview_changes(magenta_nid, parse_scheda_xlsx(data, magenta_nid))] == ["R05/N25"]


OUTSIDE = (
    "valore fuori dalla griglia della scheda; «{}» non verrebbe letto: "
    "cancellarlo o scriverlo in una cella bianca della scheda."
)


@pytest.mark.parametrize(
    ("ref", "value"),
    [
        ("W15", 999),  # row R05, two columns right of the last one (U)
        ("V15", 999),  # row R05, just right of the last column
        ("D5", 123),  # a heading row
        ("D47", 456),  # below the last row (44), column A blank
        ("B46", "nota"),  # below the last row, in the label column
        ("A4", "x"),  # left of the column labels
        ("V4", "x"),  # right of the column labels
        ("W3", "N26"),  # row 3 past the cell checked as an extra column code
        ("D1", "appunto"),  # right of the marker and description
    ],
)
def test_value_outside_the_grid_is_rejected_naming_sheet_and_cell(magenta_nid, ref, value):
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), {("Quadro 1", ref): value})
    assert rejected(magenta_nid, data) == [f"Foglio «Quadro 1», cella {ref}: " + OUTSIDE.format(value)]


def test_edited_labels_headings_and_notes_are_not_outside_the_grid(magenta_nid):
    """Only cells the export leaves empty are checked: what it writes (and is not read) may be edited."""
    edits = {
        ("Quadro 1", "C1"): "descrizione cambiata",
        ("Quadro 1", "C2"): "legenda cambiata",
        ("Quadro 1", "B3"): "Voce cambiata",
        ("Quadro 1", "E4"): "intestazione cambiata",
        ("Quadro 1", "B5"): "titolo cambiato",
        ("Quadro 1", "B15"): "etichetta cambiata",
        ("Quadro 4", "B12"): "nota cambiata",
        ("Quadro 2", "G6"): "7",  # the only value out of the grid: row R24, right of the last column (E)
    }
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), edits)
    assert rejected(magenta_nid, data) == ["Foglio «Quadro 2», cella G6: " + OUTSIDE.format("7")]


def test_every_value_outside_the_grid_is_listed_with_the_other_problems(magenta_nid):
    edits = {("Quadro 1", "W15"): 999, ("Quadro 1", "E3"): "N26", ("Quadro 3", "C5"): "nota a margine"}
    assert rejected(magenta_nid, edit_xlsx(scheda_to_xlsx(magenta_nid), edits)) == [
        "Foglio «Quadro 1», cella E3: codice di colonna «N26» al posto di «N25».",
        "Foglio «Quadro 1», cella W15: " + OUTSIDE.format(999),
        "Foglio «Quadro 3», cella C5: " + OUTSIDE.format("nota a margine"),
    ]


def test_value_in_the_last_cell_of_a_sheet_is_rejected(magenta_nid):
    """XFD1048576: the sheet's used range becomes 17 billion cells, only the cells in the file are visited."""
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), {("Quadro 2", "XFD1048576"): 1})
    assert rejected(magenta_nid, data) == ["Foglio «Quadro 2», cella XFD1048576: " + OUTSIDE.format(1)]
