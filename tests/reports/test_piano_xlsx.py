"""The Excel workbook of a plan, read back: sheets, values, number formats, formulas, frozen headers, Excel tables."""

import datetime
import re
from collections import defaultdict
from decimal import Decimal

import formulas
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from planning.models import Azione, CampoModello, Fondo, Indicatore, Intervento, Risorsa, TargetIndicatore
from reports.piano.xlsx import dati as xlsx_dati
from reports.piano.xlsx.indicatori import unit_format
from reports.piano.xlsx.sheet import DECIMAL, EURO, INTEGER, PERCENT_POINTS, table_headers
from reports.piano.xlsx.workbook import build_piano_xlsx
from tests.documents import read_xlsx

pytestmark = pytest.mark.django_db

BUDGET_SHEETS = ["Bilancio per area", "Bilancio per fondo", "Assegnazioni", "Quote a rischio", "Quote dei Comuni"]
SHEETS = [
    "Obiettivi",
    "Interventi",
    "Azioni",
    "Indicatori",
    "Risorse",
    "Totali",
    *BUDGET_SHEETS,
    "Popolazione",
    "Spesa",
]
# With a Totale row (or a sentence): no Excel table.
SUMMARIES = {"Totali", "Bilancio per area", "Bilancio per fondo", "Quote a rischio", "Quote dei Comuni"}
DATA_SHEETS = [s for s in SHEETS if s not in SUMMARIES]  # each one an Excel table named as the sheet


def workbook(piano):
    return read_xlsx(build_piano_xlsx(piano))


def rows(ws):
    return list(ws.iter_rows(values_only=True))


def table(ws):
    """The one Excel table of a data sheet."""
    (only,) = ws.tables.values()
    return only


@pytest.fixture
def risorse(piano):
    """Three resource rows: FNPS 2025 and 2026 on two interventions, FNA 2025."""
    genitorialita, domiciliarita = (
        Intervento.objects.get(piano=piano, titolo__startswith="Sostegno alla genitorialità"),
        Intervento.objects.get(piano=piano, titolo="Interventi a sostegno della domiciliarità"),
    )
    fnps, fna = Fondo.objects.get(codice="FNPS"), Fondo.objects.get(codice="FNA")
    Risorsa.objects.filter(intervento__piano=piano).delete()  # only the rows of this test
    Risorsa.objects.create(intervento=genitorialita, fondo=fnps, anno=2025, previsto=Decimal("1000.50"))
    Risorsa.objects.create(
        intervento=genitorialita, fondo=fnps, anno=2026, previsto=Decimal("2000"), impegnato=Decimal("1500")
    )
    Risorsa.objects.create(
        intervento=domiciliarita, fondo=fna, anno=2025, previsto=Decimal("500"), impegnato=Decimal("500"),
        liquidato=Decimal("250.25"),
    )  # fmt: skip
    return fnps, fna


def test_sheets_with_frozen_filtered_headers_and_widths(piano):
    wb = workbook(piano)
    assert wb.sheetnames == SHEETS
    for ws in wb.worksheets:
        assert ws.freeze_panes in {"A2", "B2", "C2", "D2"}, ws.title
        assert not ws.auto_filter.ref, ws.title  # the tables have their own filters: never both on one range
        assert ws["A1"].font.b, ws.title
        assert ws.column_dimensions["A"].width >= 6, ws.title
    assert wb.properties.title == piano.titolo


def test_data_sheets_are_excel_tables(piano):
    wb = workbook(piano)
    names = []
    for title in DATA_SHEETS:
        ws = wb[title]
        t = table(ws)
        names.append(t.displayName)
        data = rows(ws)
        width = len(data[0])
        assert t.displayName == title
        assert t.headerRowCount == 1, title
        assert not t.totalsRowCount, title
        assert t.ref == f"A1:{ws.cell(1, width).column_letter}{max(len(data), 2)}", title  # every row, every column
        assert t.autoFilter is not None, title  # filter buttons of the table
        assert t.autoFilter.ref == t.ref, title
        assert t.tableStyleInfo is not None, title
        assert t.tableStyleInfo.showRowStripes, title
        assert t.column_names == list(data[0]), title  # column names are the header cells, as Excel requires
        assert len({n.casefold() for n in t.column_names}) == width, title
        assert [c.id for c in t.tableColumns] == list(range(1, width + 1)), title
        assert not ws.merged_cells.ranges, title
    assert len({n.lower() for n in names}) == len(names)
    for title in SUMMARIES:
        assert not wb[title].tables, title  # the totals are a summary next to the data, not a table


def test_table_headers_are_one_line_and_unique():
    assert table_headers(["Area", "Note\ndel campo", "AREA", "", "area"]) == [
        "Area", "Note del campo", "AREA (2)", "Colonna 4", "area (3)",
    ]  # fmt: skip


def test_interventi_has_every_card_field_as_a_column(piano):
    ws = workbook(piano)["Interventi"]
    data = rows(ws)
    header = data[0]
    for label in CampoModello.objects.filter(modello__codice="LOMB-2025-2027").values_list("etichetta", flat=True):
        assert label in header
    assert len(data) == 19  # 18 cards
    assert table(ws).ref == f"A1:{ws.cell(1, len(header)).column_letter}19"
    first = dict(zip(header, data[1], strict=True))
    assert first["N."] == 1
    assert first["TITOLO INTERVENTO"].startswith("Sostegno alla genitorialità")
    assert first["Area"] == "A. Famiglia, minori e politiche giovanili"
    assert "• Servizio affidi" in first["AZIONI PROGRAMMATE"]
    assert first["PREVEDE IL COINVOLGIMENTO DI ASST NELL'ANALISI DEL BISOGNO E NELLA PROGRAMMAZIONE?"].startswith(
        "Sì, "
    )
    tipo = CampoModello.objects.get(modello__codice="LOMB-2025-2027", chiave="tipo_bisogno").etichetta
    assert first[tipo] == "Bisogno consolidato"
    assert first["Azioni"] == 8
    assert ws.cell(2, header.index("Azioni") + 1).number_format == "#,##0"
    assert first["Fondi"] == "Fondo Nazionale Politiche Sociali, " + Fondo.objects.get(codice="PNRR-1.1.1").nome


def test_risorse_rows_are_numbers_and_totals_are_sumifs_on_the_table(piano, risorse):
    fnps, fna = risorse
    wb = workbook(piano)
    ws = wb["Risorse"]
    data = rows(ws)
    assert data[0] == ("Area", "Intervento", "Fondo", "Tipo di fondo", "Anno", "Previsto", "Impegnato", "Liquidato",
                       "Note")  # fmt: skip
    assert [r[2:8] for r in data[1:]] == [
        (fnps.nome, "Fondo nazionale", 2025, 1000.5, 0, 0),
        (fnps.nome, "Fondo nazionale", 2026, 2000, 1500, 0),
        (fna.nome, "Fondo nazionale", 2025, 500, 500, 250.25),
    ]
    assert ws["F2"].number_format == EURO
    assert isinstance(ws["F2"].value, float)
    assert table(ws).ref == "A1:I4"
    data = rows(wb["Totali"])
    assert data[0] == (
        "Fondo", "Previsto 2025 (€)", "Previsto 2026 (€)", "Previsto 2027 (€)", "Previsto totale (€)",
        "Impegnato totale (€)", "Liquidato totale (€)",
    )  # fmt: skip
    by_fund = {r[0]: (i, r) for i, r in enumerate(data, start=1) if r[0]}
    row, fnps_row = by_fund[fnps.nome]
    assert fnps_row[1:] == (
        f"=SUMIFS(Risorse[Previsto],Risorse[Fondo],$A{row},Risorse[Anno],2025)",
        f"=SUMIFS(Risorse[Previsto],Risorse[Fondo],$A{row},Risorse[Anno],2026)",
        f"=SUMIFS(Risorse[Previsto],Risorse[Fondo],$A{row},Risorse[Anno],2027)",
        f"=SUM(B{row}:D{row})",
        f"=SUMIFS(Risorse[Impegnato],Risorse[Fondo],$A{row})",
        f"=SUMIFS(Risorse[Liquidato],Risorse[Fondo],$A{row})",
    )
    assert wb["Totali"].cell(row, 2).number_format == EURO
    assert wb["Totali"].cell(row, 2).data_type == "f"  # the workbook's own formulas stay formulas
    others, others_row = by_fund["Altri fondi (non elencati sopra)"]
    total_row, total = by_fund["Totale"]
    assert others_row[1] == f"=SUMIFS(Risorse[Previsto],Risorse[Anno],2025)-SUM(B2:B{others - 1})"
    assert others_row[5] == f"=SUM(Risorse[Impegnato])-SUM(F2:F{others - 1})"
    assert total_row == others + 1
    assert total[1] == f"=SUM(B2:B{others})"
    assert total[6] == f"=SUM(G2:G{others})"
    assert Fondo.objects.get(codice="PNRR-1.1.1").nome in by_fund  # funds named on the cards, with zero amounts


def test_azioni_dates_are_dates(piano):
    azione = Azione.objects.filter(intervento__piano=piano).order_by("pk").first()
    azione.data_inizio = datetime.date(2025, 3, 1)
    azione.save()
    ws = workbook(piano)["Azioni"]
    data = rows(ws)
    assert len(data) == 1 + Azione.objects.filter(intervento__piano=piano).count()
    cell = next(ws.cell(i, 7) for i, r in enumerate(data, start=1) if r[3] == azione.titolo)
    assert cell.value == datetime.datetime(2025, 3, 1)
    assert cell.number_format == "DD/MM/YYYY"


def test_popolazione_facts_with_formats_and_share_formulas(piano):
    ws = workbook(piano)["Popolazione"]
    data = rows(ws)
    assert data[0][:4] == ("Codice ISTAT", "Comune", "Anno", "Totale residenti")
    assert len(data) == 1 + 13 * 10
    magenta = {r[2]: (i, r) for i, r in enumerate(data, start=1) if r[1] == "Magenta"}
    row, values = magenta[2024]
    assert values[0] == "015130"
    assert values[3] == 24598
    assert values[6] == 2977
    assert ws.cell(row, 4).number_format == "#,##0"
    assert values[7] == f'=IF(AND(ISNUMBER(D{row}),ISNUMBER(G{row}),D{row}>0),G{row}/D{row},"")'
    assert ws.cell(row, 8).number_format == "0.0%"
    assert ws.cell(row, 8).data_type == "f"
    assert sum(r[3] for r in data[1:] if r[2] == 2024) == 131668


def test_obiettivi(piano):
    obiettivi = rows(workbook(piano)["Obiettivi"])
    assert len(obiettivi) == 10
    assert sum(r[6] for r in obiettivi[1:]) == 18


def test_spesa_has_the_spending_facts(piano):
    ws = workbook(piano)["Spesa"]
    data = rows(ws)
    assert data[0] == ("Tabella", "Dimensione", "Spesa di", "Voce", "Comune", "Anno", "Valore", "Misura")
    udp_2022 = [
        (i, r)
        for i, r in enumerate(data, start=1)
        if r[0].startswith("Tab. 8") and r[3].startswith("Ufficio") and r[5] == 2022
    ]
    assert len(udp_2022) == 1
    row, values = udp_2022[0]
    assert values[6] == 2746610.39
    assert ws.cell(row, 7).number_format == "#,##0.00"
    assert table(ws).ref == f"A1:H{len(data)}"
    shares = [(i, r) for i, r in enumerate(data, start=1) if r[0].startswith("Tab. 13")]
    assert shares
    assert all(ws.cell(i, 7).number_format == "#,##0.0" for i, r in shares if r[6] is not None)


def test_spesa_explains_when_there_are_no_facts(piano, monkeypatch):
    monkeypatch.setattr(xlsx_dati, "spesa_rows", lambda piano: None)
    data = rows(workbook(piano)["Spesa"])
    assert data[1][0] == "I dati della spesa sociale dell'Ambito non sono ancora registrati nel portale."


# Totals recomputed by a formula library. `formulas` (pure Python) evaluates SUMIFS and SUM but not structured
# references, so each `Table[Column]` is first replaced by what Excel reads for it: the column's data rows as the
# table's ref defines them in the file (one more row when a user extends the table), e.g. 'Risorse'!$F$2:$F$6.
STRUCTURED = re.compile(r"([A-Za-z_][\w.]*)\[([^\[\]]*)\]")
OTHERS = "Altri fondi (non elencati sopra)"


def structured_refs(formula: str) -> list[tuple[str, str]]:
    return STRUCTURED.findall(formula)


def resolve_tables(wb) -> None:
    """Every structured reference Table[Column] of the workbook's formulas as the A1 range of the column's data."""
    tables = {t.displayName.casefold(): (ws.title, t) for ws in wb.worksheets for t in ws.tables.values()}

    def a1(match) -> str:
        title, t = tables[match.group(1).casefold()]
        names = [n.casefold() for n in t.column_names]
        min_col, min_row, _, max_row = range_boundaries(t.ref)
        col = get_column_letter(min_col + names.index(match.group(2).casefold()))
        first, last = min_row + (t.headerRowCount or 0), max_row - (t.totalsRowCount or 0)
        return f"'{title}'!${col}${first}:${col}${last}"

    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.value = STRUCTURED.sub(a1, cell.value)
                    assert "[" not in cell.value, cell.value


def evaluate_totals(wb, path) -> dict[str, dict[str, float]]:
    """{row label: {column header: value}} of the Totali sheet, computed by `formulas` from the Risorse rows."""
    resolve_tables(wb)
    for title in wb.sheetnames:
        if title not in ("Risorse", "Totali"):  # the totals read only the Risorse table
            del wb[title]
    wb.save(path)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {}
    for key, ranges in solution.items():
        match = re.fullmatch(r"'\[[^\]]+\]TOTALI'!([A-Z]+\d+)", key)
        if match:
            values[match.group(1)] = ranges.value[0][0]
    ws = wb["Totali"]
    headers = [c.value for c in ws[1]]
    out = {}
    for row in ws.iter_rows(min_row=2):
        if row[0].value and isinstance(row[1].value, str) and row[1].value.startswith("="):
            out[row[0].value] = {h: float(values[c.coordinate]) for h, c in zip(headers[1:], row[1:], strict=True)}
    return out


def expected_totals(piano, extra=()) -> dict[str, dict[str, float]]:
    """The totals computed here, from the plan's resources (and rows added to the sheet), with no formula."""
    anni = piano.anni
    righe = [
        (r.fondo.nome, r.anno, r.previsto, r.impegnato, r.liquidato)
        for r in Risorsa.objects.filter(intervento__piano=piano).select_related("fondo")
    ]
    righe += [(f, a, Decimal(p), Decimal(i), Decimal(liq)) for f, a, p, i, liq in extra]
    listed = {f.nome for f in Fondo.objects.filter(risorse__intervento__piano=piano)}
    listed |= {f.nome for f in Fondo.objects.filter(interventi__piano=piano)}
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for fondo, anno, previsto, impegnato, liquidato in righe:
        for label in (fondo if fondo in listed else OTHERS, "Totale"):
            row = totals[label]
            if anno in anni:
                row[f"Previsto {anno} (€)"] += previsto
                row["Previsto totale (€)"] += previsto
            row["Impegnato totale (€)"] += impegnato
            row["Liquidato totale (€)"] += liquidato
    headers = [*[f"Previsto {a} (€)" for a in anni], "Previsto totale (€)", "Impegnato totale (€)"]
    headers.append("Liquidato totale (€)")
    labels = [*sorted(listed), OTHERS, "Totale"]
    return {label: {h: float(totals[label][h]) for h in headers} for label in labels}


def test_totals_read_whole_columns_of_the_risorse_table(piano, risorse):
    wb = workbook(piano)
    columns = table(wb["Risorse"]).column_names
    found = []
    for row in wb["Totali"].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                assert "!" not in cell.value, cell.value  # no fixed range of rows
                assert "$F$" not in cell.value, cell.value
                refs = structured_refs(cell.value)
                assert all(t == "Risorse" and c in columns for t, c in refs), cell.value
                if "SUMIFS" in cell.value or "Risorse" in cell.value:
                    found.append(cell.value)
                else:  # the sums of the row or of the column, on the Totali sheet itself
                    assert re.fullmatch(r"=SUM\([A-Z]+\d+:[A-Z]+\d+\)", cell.value), cell.value
    assert len(found) >= 6 * 3  # every fund, «Altri fondi»: previsto by year, impegnato, liquidato


def test_totals_computed_by_a_formula_library_count_the_rows_added_to_the_table(piano, risorse, tmp_path):
    fnps, _ = risorse
    data = build_piano_xlsx(piano)
    computed = evaluate_totals(read_xlsx(data), tmp_path / "piano.xlsx")
    expected = expected_totals(piano)
    assert computed.keys() == expected.keys()
    for label, row in expected.items():
        assert computed[label] == pytest.approx(row), label
    assert computed["Totale"]["Previsto totale (€)"] == pytest.approx(3500.5)

    # a user adds two rows to the Risorse table (the table grows: its ref and its filter take them in)
    wb = read_xlsx(data)
    ws = wb["Risorse"]
    added = [(fnps.nome, 2027, "700", "100", "0"), ("Fondo comunale aggiunto a mano", 2025, "33", "3", "1")]
    for fondo, anno, previsto, impegnato, liquidato in added:
        ws.append(["", "", fondo, "", anno, float(previsto), float(impegnato), float(liquidato), ""])
    t = table(ws)
    t.ref = f"A1:I{ws.max_row}"
    t.autoFilter.ref = t.ref
    wb.save(tmp_path / "aggiunte.xlsx")

    computed = evaluate_totals(load_workbook(tmp_path / "aggiunte.xlsx"), tmp_path / "aggiunte-risolto.xlsx")
    expected = expected_totals(piano, extra=added)
    for label, row in expected.items():
        assert computed[label] == pytest.approx(row), label
    assert computed[fnps.nome]["Previsto 2027 (€)"] == pytest.approx(700)
    assert computed[fnps.nome]["Impegnato totale (€)"] == pytest.approx(1600)
    assert computed[OTHERS]["Previsto 2025 (€)"] == pytest.approx(33)  # a fund not listed is still in the total
    assert computed["Totale"]["Previsto totale (€)"] == pytest.approx(3500.5 + 700 + 33)
    assert computed["Totale"]["Liquidato totale (€)"] == pytest.approx(250.25 + 1)


@pytest.mark.parametrize(
    ("unita", "values", "fmt"),
    [
        ("numero", [Decimal("120"), None], INTEGER),
        ("N.", [Decimal("3")], INTEGER),
        ("persone", [Decimal("40")], INTEGER),
        ("famiglie/anno", [Decimal("12")], INTEGER),
        ("", [Decimal("7")], INTEGER),
        ("numero medio", [Decimal("2.5")], DECIMAL),  # a fractional count keeps its decimals
        ("%", [Decimal("45.5")], PERCENT_POINTS),
        ("percentuale", [Decimal("80")], PERCENT_POINTS),
        ("euro", [Decimal("1000")], EURO),
        ("€ per utente", [Decimal("350")], EURO),
        ("ore", [Decimal("1200")], DECIMAL),
    ],
)
def test_unit_format(unita, values, fmt):
    assert unit_format(unita, values) == fmt


def test_number_formats_follow_the_units(piano, risorse):
    intervento = Intervento.objects.get(piano=piano, titolo__startswith="Sostegno alla genitorialità")
    specs = {
        "Famiglie prese in carico": ("famiglie", Decimal("40"), {2025: "50", 2026: "55"}),
        "Copertura della domanda": ("%", Decimal("42.5"), {2025: "45.5"}),
        "Contributi erogati": ("euro", None, {2025: "12500.50"}),
    }
    for n, (descrizione, (unita, baseline, targets)) in enumerate(specs.items(), start=90):
        ind = Indicatore.objects.create(
            intervento=intervento, ordine=n, tipo="risultato", descrizione=descrizione, unita=unita, baseline=baseline
        )
        for anno, valore in targets.items():
            TargetIndicatore.objects.create(indicatore=ind, anno=anno, valore=Decimal(valore))
    wb = workbook(piano)
    ws = wb["Indicatori"]
    data = rows(ws)
    header = data[0]
    target = {a: header.index(f"Target {a}") + 1 for a in piano.anni}
    baseline = header.index("Valore di partenza") + 1
    by_name = {r[3]: i for i, r in enumerate(data, start=1)}

    row = by_name["Famiglie prese in carico"]
    assert ws.cell(row, target[2025]).value == 50
    assert ws.cell(row, target[2025]).number_format == "#,##0"
    assert ws.cell(row, baseline).number_format == "#,##0"
    assert ws.cell(row, target[2027]).value is None
    assert ws.cell(row, target[2027]).number_format == "#,##0"
    counts = [i for i, r in enumerate(data[1:], start=2) if r[4] == "numero"]  # the demo indicators of every card
    assert counts
    assert all(ws.cell(i, target[2025]).number_format == "#,##0" for i in counts)
    row = by_name["Copertura della domanda"]
    assert ws.cell(row, target[2025]).value == 45.5
    assert ws.cell(row, target[2025]).number_format == "#,##0.0"
    row = by_name["Contributi erogati"]
    assert ws.cell(row, target[2025]).number_format == EURO
    assert EURO.startswith("#,##0.00")

    risorse_ws = wb["Risorse"]
    assert all(risorse_ws.cell(r, c).number_format == EURO for r in (2, 3, 4) for c in (6, 7, 8))
    totali = wb["Totali"]
    assert all(c.number_format == EURO for row in totali.iter_rows(min_row=2, max_row=3, min_col=2) for c in row)
    interventi = wb["Interventi"]
    header = rows(interventi)[0]
    assert interventi.cell(2, header.index("Risorse previste (€)") + 1).number_format == EURO
    assert interventi.cell(2, header.index("Azioni") + 1).number_format == "#,##0"


def test_a_title_typed_as_a_formula_stays_text(piano, risorse):
    """What users type is written as text, whatever it starts with (no formula injection); the totals stay formulas."""
    intervento = Intervento.objects.get(piano=piano, titolo="Interventi a sostegno della domiciliarità")
    intervento.titolo = '=HYPERLINK("http://example.com","Apri")'
    intervento.save()
    wb = workbook(piano)
    for sheet in ("Interventi", "Risorse"):
        found = [c for row in wb[sheet].iter_rows() for c in row if c.value == intervento.titolo]
        assert found, sheet
        assert {c.data_type for c in found} == {"s"}, sheet
    assert any(c.data_type == "f" for row in wb["Totali"].iter_rows() for c in row)
