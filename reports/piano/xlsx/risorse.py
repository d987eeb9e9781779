"""The Risorse sheet (rows per intervention, fund and year, as the Excel table «Risorse») and the Totali sheet (the
totals by fund and year as SUMIFS formulas on whole columns of that table, so rows a user adds are counted)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from planning.models import Fondo, Intervento, PianoDiZona
from planning.piano.selectors import risorse_ordinate

from .cells import area_label
from .sheet import EURO, THIN, TOTAL_FILL, TOTAL_FONT, WRAP, Col, Formula, Sheet

RISORSE = "Risorse"  # the name of the resources table, in the totals' structured references


def _col(column: str, table: str = RISORSE) -> str:
    """A whole column of a table (its data rows, however many), as a structured reference: Risorse[Previsto]."""
    return f"{table}[{column}]"


def sheet_risorse(wb: Workbook, piano: PianoDiZona, interventi: list[Intervento]) -> list[Fondo]:
    """Rows per intervention, fund and year, as the table Risorse; returns the funds for the totals (the funds with
    rows, then those named on the cards, even without amounts yet)."""
    sheet = Sheet(
        wb,
        "Risorse",
        [
            Col("Area", 30, wrap=True), Col("Intervento", 45, wrap=True), Col("Fondo", 36, wrap=True),
            Col("Tipo di fondo", 22), Col("Anno", 8), Col("Previsto", 17, EURO), Col("Impegnato", 17, EURO),
            Col("Liquidato", 17, EURO), Col("Note", 30, wrap=True),
        ],
        freeze="C2",
    )  # fmt: skip
    fondi: dict[int, Fondo] = {}
    for r in risorse_ordinate(piano):
        fondi[r.fondo_id] = r.fondo
        sheet.append(
            [
                area_label(r.intervento),
                r.intervento.titolo,
                r.fondo.nome,
                r.fondo.get_tipo_display(),
                r.anno,
                r.previsto,
                r.impegnato,
                r.liquidato,
                r.note,
            ]
        )
    sheet.add_table(RISORSE)
    for i in interventi:
        for f in i.fondi.all():
            fondi.setdefault(f.pk, f)
    return sorted(fondi.values(), key=lambda x: (x.ordine, x.codice))


def _fund_rows(sheet: Sheet, anni: list[int], fondi: list[Fondo], others: dict[int, str]) -> None:
    last_year = get_column_letter(1 + len(anni))
    for f in fondi:
        r = sheet.rows + 1
        cells = [sheet.cell(f.nome, align=WRAP)]
        for anno in anni:
            formula = Formula(f"=SUMIFS({_col('Previsto')},{_col('Fondo')},$A{r},{_col('Anno')},{anno})")
            cells.append(sheet.cell(formula, fmt=EURO))
        cells.append(sheet.cell(Formula(f"=SUM(B{r}:{last_year}{r})"), fmt=EURO))
        cells += [sheet.cell(Formula(f"=SUMIFS({_col(c)},{_col('Fondo')},$A{r})"), fmt=EURO) for c in others.values()]
        sheet.append_cells(cells)


def _others_row(sheet: Sheet, anni: list[int], others: dict[int, str], last_fund: int) -> None:
    """«Altri fondi»: the table's total less the funds listed above, column by column."""
    first = 2

    def rest(whole: str, k: int) -> Formula:
        col = get_column_letter(k)
        return Formula(f"={whole}-SUM({col}{first}:{col}{last_fund})" if last_fund >= first else f"={whole}")

    r = sheet.rows + 1
    cells = [sheet.cell("Altri fondi (non elencati sopra)", align=WRAP)]
    for k, anno in enumerate(anni, start=2):
        cells.append(sheet.cell(rest(f"SUMIFS({_col('Previsto')},{_col('Anno')},{anno})", k), fmt=EURO))
    cells.append(sheet.cell(Formula(f"=SUM(B{r}:{get_column_letter(1 + len(anni))}{r})"), fmt=EURO))
    cells += [sheet.cell(rest(f"SUM({_col(c)})", k), fmt=EURO) for k, c in others.items()]
    sheet.append_cells(cells)


def sheet_totali(wb: Workbook, piano: PianoDiZona, fondi: list[Fondo]) -> None:
    """The totals by fund and year: SUMIFS on whole columns of the Risorse table, so rows added to the table are
    counted; «Altri fondi» holds the rows of a fund not listed (the table's total less the listed funds), and the
    Totale row is the total of the whole table."""
    anni = piano.anni
    cols = [
        Col("Fondo", 40, wrap=True), *[Col(f"Previsto {a} (€)", 16, EURO) for a in anni],
        Col("Previsto totale (€)", 17, EURO), Col("Impegnato totale (€)", 17, EURO),
        Col("Liquidato totale (€)", 17, EURO),
    ]  # fmt: skip
    sheet = Sheet(wb, "Totali", cols, freeze="B2")
    others = {len(anni) + 3: "Impegnato", len(anni) + 4: "Liquidato"}  # column index: table column
    _fund_rows(sheet, anni, fondi, others)
    _others_row(sheet, anni, others, last_fund=sheet.rows)
    r = sheet.rows
    bold = {"font": TOTAL_FONT, "fill": TOTAL_FILL, "border": THIN}
    total = [sheet.cell("Totale", **bold)]
    for k in range(2, len(cols) + 1):
        col = get_column_letter(k)
        total.append(sheet.cell(Formula(f"=SUM({col}2:{col}{r})"), fmt=EURO, **bold))
    sheet.append_cells(total)
    sheet.append_cells([])
    note = "Totali calcolati sulla tabella del foglio Risorse: comprendono anche le righe aggiunte alla tabella."
    sheet.append_cells([sheet.cell(note)])
    if not fondi:
        sheet.append_cells([sheet.cell("Nessuna risorsa registrata per gli interventi del piano.")])
