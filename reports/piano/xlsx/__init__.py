"""The Excel workbook of a Piano di Zona (openpyxl, write-only): one sheet per kind of data, ready to filter.

Sheets: Obiettivi, Interventi (every field of the card templates as a column), Azioni (`struttura.py`), Indicatori
(yearly targets as columns, `indicatori.py`), Risorse (rows per intervention, fund and year), Totali (the totals by
fund and year as SUMIFS formulas on the Risorse table, `risorse.py`), the budget: Bilancio per area, Bilancio per
fondo, Assegnazioni and Quote dei Comuni (`bilancio.py`), Popolazione (facts per Comune and year, shares as formulas,
each year marked complete or partial for the Ambito) and Spesa (the spending facts, `dati.py`).

Each data sheet is an Excel table named as its sheet (Obiettivi, Interventi, Azioni, Indicatori, Risorse,
Assegnazioni, Popolazione, Spesa): header row, banded rows, its own filter buttons (no sheet autofilter on the same
range: Excel reports such a file as corrupt), frozen header (`sheet.py`). The totals use structured references to
whole table columns (`SUMIFS(Risorse[Previsto],Risorse[Fondo],$A2,Risorse[Anno],2025)`), so the rows a user adds to
the Risorse table are counted; a row with a fund not listed falls in «Altri fondi», and the Totale row sums the whole
table.

Numbers are real numbers with a number format that follows their unit: counts #,##0, amounts in euro two decimals,
percentages (stored as points, 45.5 = 45,5%) one decimal; dates are dates. `workbook.build_piano_xlsx(piano)` is
shared by the download button and `manage.py piano_xlsx`.
"""
