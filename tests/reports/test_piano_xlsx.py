"""The Excel workbook of a plan, read back: sheets, values, number formats, formulas, frozen and filtered headers."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from planning.models import Azione, CampoModello, Fondo, Intervento, Risorsa
from reports.piano_xlsx import EURO, build_piano_xlsx

pytestmark = pytest.mark.django_db

SHEETS = ["Obiettivi", "Interventi", "Azioni", "Indicatori", "Risorse", "Popolazione", "Spesa"]


def workbook(piano):
    return load_workbook(io.BytesIO(build_piano_xlsx(piano)))


def rows(ws):
    return list(ws.iter_rows(values_only=True))


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
        assert ws.freeze_panes in {"A2", "C2", "D2"}, ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws["A1"].font.b, ws.title
        assert ws.column_dimensions["A"].width >= 6, ws.title
    assert wb.properties.title == piano.titolo


def test_interventi_has_every_card_field_as_a_column(piano):
    ws = workbook(piano)["Interventi"]
    data = rows(ws)
    header = data[0]
    for label in CampoModello.objects.filter(modello__codice="LOMB-2025-2027").values_list("etichetta", flat=True):
        assert label in header
    assert len(data) == 19  # 18 cards
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}19"
    first = dict(zip(header, data[1], strict=True))
    assert first["N."] == 1 and first["TITOLO INTERVENTO"].startswith("Sostegno alla genitorialità")
    assert first["Area"] == "A. Famiglia, minori e politiche giovanili"
    assert "• Servizio affidi" in first["AZIONI PROGRAMMATE"]
    assert first["PREVEDE IL COINVOLGIMENTO DI ASST NELL'ANALISI DEL BISOGNO E NELLA PROGRAMMAZIONE?"].startswith(
        "Sì, "
    )
    tipo = CampoModello.objects.get(modello__codice="LOMB-2025-2027", chiave="tipo_bisogno").etichetta
    assert first[tipo] == "Bisogno consolidato"
    assert first["Azioni"] == 8 and ws.cell(2, header.index("Azioni") + 1).number_format == "#,##0"
    assert first["Fondi"] == "Fondo Nazionale Politiche Sociali, " + Fondo.objects.get(codice="PNRR-1.1.1").nome


def test_risorse_rows_are_numbers_and_totals_are_sumifs_formulas(piano, risorse):
    fnps, fna = risorse
    ws = workbook(piano)["Risorse"]
    data = rows(ws)
    assert data[0][:8] == ("Area", "Intervento", "Fondo", "Tipo di fondo", "Anno", "Previsto (€)", "Impegnato (€)",
                           "Liquidato (€)")  # fmt: skip
    assert [r[2:8] for r in data[1:4]] == [
        (fnps.nome, "Fondo nazionale", 2025, 1000.5, 0, 0),
        (fnps.nome, "Fondo nazionale", 2026, 2000, 1500, 0),
        (fna.nome, "Fondo nazionale", 2025, 500, 500, 250.25),
    ]
    assert ws["F2"].number_format == EURO and isinstance(ws["F2"].value, float)
    assert ws.auto_filter.ref == "A1:I4"
    header_row = next(i for i, r in enumerate(data, start=1) if r[0] == "Fondo")
    assert data[header_row - 1][:7] == (
        "Fondo", "Previsto 2025 (€)", "Previsto 2026 (€)", "Previsto 2027 (€)", "Previsto totale (€)",
        "Impegnato totale (€)", "Liquidato totale (€)",
    )  # fmt: skip
    by_fund = {r[0]: (i, r) for i, r in enumerate(data, start=1) if i > header_row and r[0]}
    row, fnps_row = by_fund[fnps.nome]
    assert fnps_row[1] == f"=SUMIFS($F$2:$F$4,$C$2:$C$4,$A{row},$E$2:$E$4,2025)"
    assert fnps_row[2] == f"=SUMIFS($F$2:$F$4,$C$2:$C$4,$A{row},$E$2:$E$4,2026)"
    assert fnps_row[4] == f"=SUM(B{row}:D{row})"
    assert fnps_row[5] == f"=SUMIFS($G$2:$G$4,$C$2:$C$4,$A{row})"
    assert ws.cell(row, 2).number_format == EURO
    total_row, total = by_fund["Totale"]
    first_fund = header_row + 1
    assert total[1] == f"=SUM(B{first_fund}:B{total_row - 1})" and total[6] == f"=SUM(G{first_fund}:G{total_row - 1})"
    # the formulas give the expected totals on the rows above
    values = {(r[2], r[4]): r[5] for r in data[1:4]}
    assert sum(v for (f, y), v in values.items() if f == fnps.nome and y == 2025) == 1000.5
    assert Fondo.objects.get(codice="PNRR-1.1.1").nome in by_fund  # funds named on the cards, with zero amounts


def test_azioni_dates_are_dates(piano):
    azione = Azione.objects.filter(intervento__piano=piano).order_by("pk").first()
    azione.data_inizio = datetime.date(2025, 3, 1)
    azione.save()
    ws = workbook(piano)["Azioni"]
    data = rows(ws)
    assert len(data) == 1 + Azione.objects.filter(intervento__piano=piano).count()
    cell = next(ws.cell(i, 7) for i, r in enumerate(data, start=1) if r[3] == azione.titolo)
    assert cell.value == datetime.datetime(2025, 3, 1) and cell.number_format == "DD/MM/YYYY"


def test_popolazione_facts_with_formats_and_share_formulas(piano):
    ws = workbook(piano)["Popolazione"]
    data = rows(ws)
    assert data[0][:4] == ("Codice ISTAT", "Comune", "Anno", "Totale residenti")
    assert len(data) == 1 + 13 * 10
    magenta = {r[2]: (i, r) for i, r in enumerate(data, start=1) if r[1] == "Magenta"}
    row, values = magenta[2024]
    assert values[0] == "015130" and values[3] == 24598 and values[6] == 2977
    assert ws.cell(row, 4).number_format == "#,##0"
    assert values[7] == f'=IF(AND(ISNUMBER(D{row}),ISNUMBER(G{row}),D{row}>0),G{row}/D{row},"")'
    assert ws.cell(row, 8).number_format == "0.0%"
    assert sum(r[3] for r in data[1:] if r[2] == 2024) == 131668


def test_obiettivi(piano):
    obiettivi = rows(workbook(piano)["Obiettivi"])
    assert len(obiettivi) == 10 and sum(r[6] for r in obiettivi[1:]) == 18


def test_spesa_has_the_spending_facts(piano):
    pytest.importorskip("planning.contesto.selectors")
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
    assert values[6] == 2746610.39 and ws.cell(row, 7).number_format == "#,##0.00"
    assert ws.auto_filter.ref == f"A1:H{len(data)}"


def test_spesa_explains_when_there_are_no_facts(piano, monkeypatch):
    from reports import piano_xlsx

    monkeypatch.setattr(piano_xlsx, "spesa_rows", lambda piano: None)
    data = rows(workbook(piano)["Spesa"])
    assert data[1][0] == "I dati della spesa sociale dell'Ambito non sono ancora registrati nel portale."
