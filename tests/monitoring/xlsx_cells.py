"""The cells of a workbook as plain data (value, number format, bold), to compare two exports cell by cell."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook


def workbook_cells(source: bytes | Path) -> dict[str, dict]:
    """Per sheet: its frozen panes, its filter and every non-empty cell as [coordinate, value, format, bold]."""
    wb = load_workbook(BytesIO(source) if isinstance(source, bytes) else source)
    out = {}
    for ws in wb.worksheets:
        cells = [
            [c.coordinate, c.value, c.number_format, bool(c.font and c.font.b)]
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        ]
        out[ws.title] = {"freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "cells": cells}
    return out
