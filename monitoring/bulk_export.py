"""Export many schede to one .xlsx (openpyxl write-only): one sheet per template, one row per Comune,
one column per cell code (inputs and computed values), numbers as numbers."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from monitoring.engine import parse_decimal

from .models import Scheda

FIXED = ["Codice ISTAT", "Comune", "Stato", "Completezza %", "Errori", "Avvisi"]


def _number_format(decimals: int) -> str:
    return "#,##0" if not decimals else "#,##0." + "0" * decimals


def schede_to_xlsx(schede: QuerySet[Scheda]) -> bytes:
    """All the given schede in one workbook (streamed row by row: memory does not grow with the Comuni)."""
    wb = Workbook(write_only=True)
    by_model: dict[int, list] = {}
    schede = schede.select_related("modello", "comune").order_by("modello__codice", "comune__nome")
    for scheda in schede.iterator(chunk_size=500):
        by_model.setdefault(scheda.modello_id, []).append(scheda)
    for items in by_model.values():
        modello = items[0].modello
        compiled = modello.compiled()
        keys = [k for k, c in compiled.cells.items() if c.kind != "na"]
        ws = wb.create_sheet(title=modello.codice[:31])
        ws.freeze_panes = "C3"
        bold = Font(bold=True)
        header = [WriteOnlyCell(ws, value=v) for v in FIXED + [f"{r}/{c}" for r, c in keys]]
        labels = [WriteOnlyCell(ws, value="") for _ in FIXED] + [
            WriteOnlyCell(ws, value=compiled.rows[r].label[:120]) for r, _c in keys
        ]
        for cell in header:
            cell.font = bold
        ws.column_dimensions[get_column_letter(2)].width = 28
        ws.append(header)
        ws.append(labels)
        formats = {k: _number_format(compiled.cells[k].decimals or 0) for k in keys if compiled.cells[k].is_numeric}
        for scheda in items:
            row = [
                scheda.comune_id,
                scheda.comune.nome,
                scheda.get_stato_display(),
                float(scheda.completezza),
                scheda.n_errori,
                scheda.n_avvisi,
            ]
            cells = [WriteOnlyCell(ws, value=v) for v in row]
            for key in keys:
                text = scheda.risultati.get(f"{key[0]}.{key[1]}", "")
                cell = WriteOnlyCell(ws, value=text or None)
                if text and key in formats:
                    number: Decimal = parse_decimal(text)
                    cell.value = int(number) if number == number.to_integral_value() else float(number)
                    cell.number_format = formats[key]
                cells.append(cell)
            ws.append(cells)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"
    if not by_model:
        wb.create_sheet(title="Schede").append(["Nessuna scheda"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
