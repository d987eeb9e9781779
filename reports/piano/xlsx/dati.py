"""The data sheets of the plan's Ambito: Popolazione (facts per Comune and year, shares as formulas, each year
marked complete or partial for the Ambito) and Spesa (the spending facts, when recorded)."""

from __future__ import annotations

from openpyxl import Workbook

from planning.contesto.report import QUOTA, population_rows, spending_facts
from planning.models import PianoDiZona
from territory.selectors import PopulationYear, ambito_comuni, population_years

from .sheet import DECIMAL, INTEGER, PERCENT, PERCENT_POINTS, TEXT, TOP, Col, Formula, Sheet


def _year_status(year: PopulationYear | None) -> str:
    """«completi (13 Comuni su 13)» or «parziali (2 Comuni su 13)»: whether the year's sum is an Ambito total."""
    if year is None:
        return "senza totale dei residenti"
    return f"{'completi' if year.complete else 'parziali'} ({year.copertura})"


def sheet_popolazione(wb: Workbook, piano: PianoDiZona) -> None:
    sheet = Sheet(
        wb,
        "Popolazione",
        [
            Col("Codice ISTAT", 12, TEXT), Col("Comune", 26), Col("Anno", 8), Col("Totale residenti", 14, INTEGER),
            Col("Maschi", 11, INTEGER), Col("Femmine", 11, INTEGER), Col("Stranieri", 11, INTEGER),
            Col("% stranieri", 11, PERCENT), Col("0-14 anni", 11, INTEGER), Col("0-17 anni", 11, INTEGER),
            Col("65 anni e oltre", 13, INTEGER), Col("% 65 anni e oltre", 13, PERCENT), Col("Fonte", 40),
            Col("Dati dell'anno nell'Ambito", 28),
        ],
        freeze="C2",
    )  # fmt: skip
    anni = population_years(piano.ambito)  # a partial year is labelled on each of its rows: its sum is no total
    for p in population_rows(ambito_comuni(piano.ambito)):
        r = sheet.rows + 1
        sheet.append(
            [
                p.comune_id,
                p.comune.nome,
                p.anno,
                p.totale,
                p.maschi,
                p.femmine,
                p.stranieri,
                Formula(f'=IF(AND(ISNUMBER(D{r}),ISNUMBER(G{r}),D{r}>0),G{r}/D{r},"")'),
                p.eta_0_14,
                p.eta_0_17,
                p.eta_65_oltre,
                Formula(f'=IF(AND(ISNUMBER(D{r}),ISNUMBER(K{r}),D{r}>0),K{r}/D{r},"")'),
                p.fonte,
                _year_status(anni.get(p.anno)),
            ]
        )
    sheet.add_table()


def spesa_rows(piano: PianoDiZona) -> list[list] | None:
    """Spending facts of the plan's Ambito and sub-ambiti (table, dimension, entity, item, Comune, year, value,
    unit), or None when they are not recorded yet."""
    rows = []
    for f in spending_facts(piano.ambito):
        t = f.tabella
        rows.append(
            [
                f"{t.codice} — {t.titolo}" + (f" ({t.ambito.nome})" if t.ambito_id != piano.ambito_id else ""),
                t.get_dimensione_display(),
                t.get_ente_display(),
                f.voce.nome,
                f.comune.nome if f.comune_id else "",
                f.anno,
                f.valore,
                t.get_misura_display(),
            ]
        )
    return rows or None


def sheet_spesa(wb: Workbook, piano: PianoDiZona) -> None:
    sheet = Sheet(
        wb,
        "Spesa",
        [
            Col("Tabella", 34, wrap=True), Col("Dimensione", 20), Col("Spesa di", 22), Col("Voce", 40, wrap=True),
            Col("Comune", 22), Col("Anno", 8), Col("Valore", 17, DECIMAL), Col("Misura", 16),
        ],
    )  # fmt: skip
    rows = spesa_rows(piano)
    if not rows:
        sheet.append_cells(
            [sheet.cell("I dati della spesa sociale dell'Ambito non sono ancora registrati nel portale.", align=TOP)]
        )
        sheet.add_table()
        return
    quota = str(QUOTA.label)
    for row in rows:  # amounts in euro two decimals, shares (points: 82.3 is 82,3%) one decimal
        sheet.append(row, formats={6: PERCENT_POINTS} if row[7] == quota else None)
    sheet.add_table()
