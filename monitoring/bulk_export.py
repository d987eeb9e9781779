"""Export many schede to one .xlsx (openpyxl write-only, with lxml): one sheet per template, one row per Comune,
one column per cell code (inputs and computed values), numbers as numbers.

Rows are streamed from the database in chunks and written as they come: memory stays flat whatever the number of
Comuni. The rows of values go to openpyxl's writer as plain values (core.xlsx_rows): each column's number format
is looked up once, no cell object is built per value, and a text result is always written as text (one that starts
with «=» is not a formula).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.xlsx_rows import plain_rows
from monitoring.engine import parse_decimal

from .models import ModelloScheda, Scheda, Stato

FIXED = ["Codice ISTAT", "Comune", "Stato", "Completezza %", "Errori", "Avvisi"]
CHUNK = 2000
Progress = Callable[[int, int, str], None]


def _number_format(decimals: int) -> str:
    return "#,##0" if not decimals else "#,##0." + "0" * decimals


def _excel_number(text: str) -> int | float:
    """The stored text of a number (decimal comma, no grouping) as Excel's number: an int when integral."""
    try:
        if "," not in text:
            return int(text)
        value = float(text.replace(",", "."))
    except ValueError:
        number: Decimal = parse_decimal(text)
        return int(number) if number == number.to_integral_value() else float(number)
    return int(value) if value.is_integer() else value


def _write_sheet(wb: Workbook, modello: ModelloScheda, rows, step: Callable[[], None]) -> None:
    compiled = modello.compiled()
    keys = [k for k, c in compiled.cells.items() if c.kind != "na"]
    ws = wb.create_sheet(title=modello.codice[:31])
    ws.freeze_panes = "C3"
    bold = Font(bold=True)
    header = [WriteOnlyCell(ws, value=v) for v in FIXED + [f"{r}/{c}" for r, c in keys]]
    for cell in header:
        cell.font = bold
    ws.column_dimensions[get_column_letter(2)].width = 28
    ws.append(header)
    ws.append([""] * len(FIXED) + [compiled.rows[r].label[:120] for r, _c in keys])
    cells = [compiled.cells[key] for key in keys]
    plain_rows(ws, [None] * len(FIXED) + [_number_format(c.decimals or 0) if c.is_numeric else None for c in cells])
    columns = [(f"{r}.{c}", cell.is_numeric) for (r, c), cell in zip(keys, cells, strict=True)]  # results key
    labels = {value: str(label) for value, label in Stato.choices}
    for codice, nome, stato, completezza, errori, avvisi, risultati in rows:
        row: list = [codice, nome, labels.get(stato, stato), float(completezza), errori, avvisi]
        for name, is_numeric in columns:
            text = risultati.get(name, "")
            row.append((_excel_number(text) if is_numeric else text) if text else None)
        ws.append(row)
        step()
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"


def export_schede_to_file(
    schede: QuerySet[Scheda], path: str | Path | IO[bytes], progress: Progress | None = None
) -> int:
    """Write all the given schede to one workbook at `path` (a file name or a binary file), in bounded memory.

    `progress(done, total, label)` is called every few hundred schede and at the end. Returns the schede written."""
    total = schede.count()
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None and done % 500 == 0:
            progress(done, total, f"Scritte {done} schede su {total}")

    wb = Workbook(write_only=True)
    modelli = ModelloScheda.objects.filter(pk__in=schede.values("modello_id")).defer("definizione")
    for modello in modelli.order_by("codice"):
        rows = (
            schede.filter(modello=modello)
            .order_by("comune__nome")
            .values_list("comune_id", "comune__nome", "stato", "completezza", "n_errori", "n_avvisi", "risultati")
            .iterator(chunk_size=CHUNK)
        )
        _write_sheet(wb, modello, rows, step)
    if not done:
        wb.create_sheet(title="Schede").append(["Nessuna scheda"])
    wb.save(path)
    if progress is not None:
        progress(done, total, f"Scritte {done} schede su {total}")
    return done
