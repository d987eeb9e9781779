"""The bulk export of the schede writes, streamed to a file, the same cells as the workbook built in memory did."""

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from monitoring.bulk_export import export_schede_to_file
from monitoring.models import Scheda
from tests.monitoring.xlsx_cells import workbook_cells
from tests.schede_helpers import seed_schede

pytestmark = pytest.mark.django_db

# The cells of the bulk export of the demo schede of the active templates (the demo's past years, monitoring.demo's
# history, are left out), written by the in-memory export it replaced
# (value, number format and bold of every non-empty cell, frozen panes and filter of each sheet).
BEFORE = Path(__file__).parent / "data" / "schede_export_demo.json"


def test_export_to_file_writes_the_cells_of_the_previous_export(tmp_path):
    path = tmp_path / "schede.xlsx"
    calls = []
    # the three schede of monitoring/demo.py (the demo campaigns' schede came later than the reference export)
    written = export_schede_to_file(seed_schede(), path, progress=lambda *args: calls.append(args))
    assert written == seed_schede().count() == 3
    assert workbook_cells(path) == json.loads(BEFORE.read_text(encoding="utf-8"))
    assert calls[-1] == (3, 3, "Scritte 3 schede su 3")


def test_export_of_no_scheda_says_so(tmp_path):
    path = tmp_path / "vuoto.xlsx"
    assert export_schede_to_file(Scheda.objects.none(), path) == 0
    assert workbook_cells(path)["Schede"]["cells"] == [["A1", "Nessuna scheda", "General", False]]


def test_a_text_result_that_looks_like_a_formula_is_written_as_text(tmp_path):
    """A value typed by a Comune operator never becomes a formula in the export (no formula injection)."""
    scheda = next(s for s in seed_schede().select_related("modello") if s.modello.codice.startswith("SOC"))
    key = next(k for k, c in scheda.modello.compiled().cells.items() if c.kind != "na" and not c.is_numeric)
    injected = '=HYPERLINK("http://example.com","Apri")'
    Scheda.objects.filter(pk=scheda.pk).update(risultati={**scheda.risultati, f"{key[0]}.{key[1]}": injected})
    path = tmp_path / "schede.xlsx"
    export_schede_to_file(Scheda.objects.filter(pk=scheda.pk), path)
    ws = load_workbook(path)[scheda.modello.codice]
    column = next(c.column for c in ws[1] if c.value == f"{key[0]}/{key[1]}")
    cell = ws.cell(row=3, column=column)
    assert (cell.value, cell.data_type) == (injected, "s")
