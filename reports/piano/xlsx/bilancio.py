"""The budget sheets of the plan's workbook (issue 14), the same figures as the PDF's «Quadro economico»:
«Bilancio per area» and «Bilancio per fondo» (programmed amounts by area or fund and year, with the Totale row),
«Assegnazioni» (the funds' allocations with distributed, committed, paid and available amounts and their deadlines,
an Excel table), «Quote a rischio» (the lines planned but not committed whose fund must be spent within 90 days of
the document's date, stated in the sheet) and «Quote dei Comuni» (Comune × year, total due, paid, to pay, with the
Totale row). Amounts are real numbers in euro with the format #,##0.00; dates are dates."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook

from planning.bilancio.selectors import (
    RISK_DAYS,
    Grid,
    a_rischio,
    assegnazioni_con_movimenti,
    quote_table,
    totale_per_area,
    totale_per_fondo,
)
from planning.models import PianoDiZona

from .sheet import DECIMAL, TEXT, THIN, TOTAL_FILL, TOTAL_FONT, WRAP, Col, Sheet

CENT = Decimal("0.01")
BOLD = {"font": TOTAL_FONT, "fill": TOTAL_FILL, "border": THIN}


def _amount(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _total_row(sheet: Sheet, label: str, values: list, before: int = 0) -> None:
    cells = [sheet.cell(label, **BOLD)] + [sheet.cell("", **BOLD) for _ in range(before)]
    cells += [sheet.cell(_amount(v), fmt=DECIMAL, **BOLD) for v in values]
    sheet.append_cells(cells)


def _grid_sheet(wb: Workbook, title: str, label: str, grid: Grid, empty: str) -> None:
    cols = [
        Col(label, 60, wrap=True),
        *[Col(f"{y} (€)", 16, DECIMAL) for y in grid.years],
        Col("Totale (€)", 17, DECIMAL),
    ]
    sheet = Sheet(wb, title, cols, freeze="B2")
    for name, per_year, total in grid.rows:
        sheet.append([name, *(_amount(v) for v in per_year), _amount(total)])
    _total_row(sheet, "Totale", [*grid.column_totals, grid.total])
    sheet.append_cells([])
    sheet.append_cells([sheet.cell("Importi programmati: somma delle righe del bilancio del piano per anno.")])
    if not grid.rows:
        sheet.append_cells([sheet.cell(empty)])


def sheet_bilancio_area(wb: Workbook, piano: PianoDiZona) -> None:
    empty = "Nessuna riga di bilancio registrata per il piano."
    _grid_sheet(wb, "Bilancio per area", "Area", totale_per_area(piano), empty)


def sheet_bilancio_fondo(wb: Workbook, piano: PianoDiZona) -> None:
    empty = "Nessuna riga di bilancio registrata per il piano."
    _grid_sheet(wb, "Bilancio per fondo", "Fondo", totale_per_fondo(piano), empty)


def sheet_assegnazioni(wb: Workbook, piano: PianoDiZona) -> None:
    """One row per allocation, as the Excel table «Assegnazioni»."""
    sheet = Sheet(
        wb,
        "Assegnazioni",
        [
            Col("Codice fondo", 14, TEXT), Col("Fondo", 40, wrap=True), Col("Annualità", 10), Col("Residui", 9),
            Col("Importo dimostrativo", 12), Col("Atto di assegnazione", 30, wrap=True), Col("Data dell'atto", 12),
            Col("Assegnato (€)", 16, DECIMAL), Col("Ripartito (€)", 16, DECIMAL), Col("Impegnato (€)", 16, DECIMAL),
            Col("Liquidato (€)", 16, DECIMAL), Col("Disponibile (€)", 16, DECIMAL), Col("Termine per la spesa", 13),
            Col("Termine per la rendicontazione", 15), Col("Aree ammissibili", 30, wrap=True),
        ],
        freeze="C2",
    )  # fmt: skip
    for a in assegnazioni_con_movimenti(piano):
        aree = ", ".join(area.codice for area in a.aree.all()) or "Tutte"
        sheet.append(
            [
                a.fondo.codice,
                a.fondo.nome,
                a.anno,
                "Sì" if a.anno < piano.anno_inizio else "No",
                "Sì" if a.dimostrativa else "No",
                a.atto,
                a.data_atto,
                _amount(a.importo),
                _amount(a.ripartito),  # type: ignore[attr-defined]
                _amount(a.impegnato),  # type: ignore[attr-defined]
                _amount(a.liquidato),  # type: ignore[attr-defined]
                _amount(a.disponibile),  # type: ignore[attr-defined]
                a.scadenza_spesa,
                a.scadenza_rendicontazione,
                aree,
            ]
        )
    sheet.add_table("Assegnazioni")


def sheet_quote(wb: Workbook, piano: PianoDiZona) -> None:
    """The Comuni's shares: one row per Comune, one column per year, total due, paid, to pay; the Totale row."""
    q = quote_table(piano)
    cols = [
        Col("Codice ISTAT", 12, TEXT), Col("Comune", 26, wrap=True),
        *[Col(f"Quota {y} (€)", 15, DECIMAL) for y in q.years],
        Col("Totale dovuto (€)", 16, DECIMAL), Col("Versato (€)", 16, DECIMAL), Col("Da versare (€)", 16, DECIMAL),
    ]  # fmt: skip
    sheet = Sheet(wb, "Quote dei Comuni", cols, freeze="C2")
    for comune, due, total, paid in q.rows:
        values = [*(_amount(v) for v in due), _amount(total), _amount(paid), _amount(total) - _amount(paid)]
        sheet.append([comune.codice_istat, comune.nome, *values])  # type: ignore[attr-defined]
    _total_row(sheet, "Totale", [*q.column_totals, q.total, q.paid, _amount(q.total) - _amount(q.paid)], before=1)
    if not q.rows:
        sheet.append_cells([])
        sheet.append_cells([sheet.cell("Nessuna quota dei Comuni registrata per il piano.", align=WRAP)])


def sheet_rischio(wb: Workbook, piano: PianoDiZona) -> None:
    """The quotas at risk at the document's date (the same lines as the PDF's table and the «Quote a rischio»
    page), with the Totale row; the date of reference written under the table."""
    oggi = timezone.localdate()
    cols = [
        Col("Fondo", 12, TEXT), Col("Annualità", 10), Col("Intervento", 50, wrap=True), Col("Anno", 8),
        Col("Termine per la spesa", 13), Col("Giorni al termine", 10), Col("Programmato (€)", 16, DECIMAL),
        Col("Impegnato (€)", 16, DECIMAL), Col("Da impegnare (€)", 16, DECIMAL),
    ]  # fmt: skip
    sheet = Sheet(wb, "Quote a rischio", cols, freeze="C2")
    lines = a_rischio(piano, oggi)
    for r in lines:
        a = r.assegnazione
        sheet.append(
            [
                a.fondo.codice, a.anno, r.intervento.titolo, r.anno, a.scadenza_spesa, r.giorni,  # type: ignore[attr-defined]
                _amount(r.importo), _amount(r.impegnato), _amount(r.da_impegnare),  # type: ignore[attr-defined]
            ]
        )  # fmt: skip
    _total_row(sheet, "Totale", [sum((r.da_impegnare for r in lines), Decimal(0))], before=7)  # type: ignore[attr-defined]
    sheet.append_cells([])
    note = (
        f"Quote a rischio al {oggi:%d/%m/%Y}, data del documento: righe con una parte programmata e non impegnata "
        f"il cui fondo va speso entro {RISK_DAYS} giorni."
    )
    sheet.append_cells([sheet.cell(note if lines else note + " Nessuna quota a rischio.", align=WRAP)])
