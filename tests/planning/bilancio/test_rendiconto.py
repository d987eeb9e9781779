"""Fund reporting: the XLSX report of one allocation (planning:rendiconto_fondo) opens with openpyxl, has its header
with dd/mm/yyyy dates, one row per budget line whose totals equal the sums of the lines, and the movements; the
page «Rendiconti dei fondi» (planning:rendiconti) lists the allocations with deadline and days left in a fixed
number of queries; the plan's budget deadlines as .ics (planning:bilancio_ics); who may read them."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from planning.models import Intervento

from .conftest import assegna, movimento, riga

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_budget")]


def xlsx_url(piano, assegnazione) -> str:
    return reverse("planning:rendiconto_fondo", args=[piano.slug, assegnazione.pk])


@pytest.fixture
def fondo_con_righe(piano, fnps):
    """FNPS 2025 on three lines (30.000,00, 12.345,67 and 5.000,00) with commitments and payments."""
    interventi = list(Intervento.objects.filter(piano=piano).order_by("pk")[:3])
    lines = [
        riga(piano, fnps, interventi[0], "30000.00"),
        riga(piano, fnps, interventi[1], "12345.67"),
        riga(piano, fnps, interventi[2], "5000.00", anno=2026),
    ]
    movimento(lines[0], "impegno", "nuovo", datetime.date(2025, 4, 10), "Det. 1", "20000")
    movimento(lines[0], "liquidazione", "nuovo", datetime.date(2025, 9, 1), "M. 1", "7500.5")
    movimento(lines[1], "impegno", "nuovo", datetime.date(2025, 5, 3), "Det. 2", "12345.67")
    movimento(lines[1], "impegno", "disimpegno", datetime.date(2025, 12, 1), "Det. 3", "-345.67")
    return fnps


def cell_by_label(ws, label: str):
    for row in ws.iter_rows():
        if row[0].value == label:
            return row[1]
    raise AssertionError(f"{label} not found")


def test_report_xlsx_opens_with_totals_equal_to_the_lines(client_for, udp_user, piano, fondo_con_righe):
    fnps = fondo_con_righe
    fnps.data_atto = datetime.date(2025, 3, 15)
    fnps.scadenza_rendicontazione = datetime.date(2027, 2, 28)
    fnps.save()
    response = client_for(udp_user).get(xlsx_url(piano, fnps))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "rendiconto-FNPS-2025" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert "Fondo Nazionale Politiche Sociali" in ws["A1"].value
    assert cell_by_label(ws, "Annualità").value == 2025
    assert cell_by_label(ws, "Atto di assegnazione").value == "DGR XII/1234"
    importo = cell_by_label(ws, "Importo assegnato (€)")
    assert importo.value == 100000
    assert importo.number_format == "#,##0.00"
    for label, day in (
        ("Data dell'atto", datetime.datetime(2025, 3, 15)),
        ("Termine per la spesa", datetime.datetime(2026, 12, 31)),
        ("Termine per la rendicontazione", datetime.datetime(2027, 2, 28)),
    ):
        cell = cell_by_label(ws, label)
        assert cell.value == day
        assert cell.number_format == "DD/MM/YYYY"
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = rows.index(
        ["Area", "Intervento", "Anno", "Programmato (€)", "Impegnato (€)", "Liquidato (€)", "Da impegnare (€)"]
    )
    total_at = next(i for i in range(header, len(rows)) if rows[i][0] == "Totale")
    lines = rows[header + 1 : total_at]
    assert len(lines) == 3
    assert sorted(line[3] for line in lines) == [5000, 12345.67, 30000]
    for column in (3, 4, 5, 6):
        assert rows[total_at][column] == pytest.approx(sum(line[column] for line in lines))
    assert rows[total_at][3:7] == pytest.approx([47345.67, 32000, 7500.5, 15345.67])
    for line in lines:
        assert line[6] == pytest.approx(line[3] - line[4])  # da impegnare
    number_formats = {c.number_format for r in ws.iter_rows(min_row=header + 2, max_row=total_at + 1) for c in r[3:7]}
    assert number_formats == {"#,##0.00"}
    moves_header = next(i for i, r in enumerate(rows) if r[:2] == ["Data", "Intervento"])
    moves = [r for r in rows[moves_header + 1 :] if isinstance(r[0], datetime.datetime)]
    assert [(m[3], m[4], m[5], m[6]) for m in moves] == [
        ("Impegno", "Nuovo importo", "Det. 1", 20000),
        ("Impegno", "Nuovo importo", "Det. 2", 12345.67),
        ("Liquidazione", "Nuovo importo", "M. 1", 7500.5),
        ("Impegno", "Disimpegno (economia)", "Det. 3", -345.67),
    ]
    assert ws.cell(row=moves_header + 2, column=1).number_format == "DD/MM/YYYY"


def test_report_xlsx_query_count_is_fixed(client_for, udp_user, piano, fondo_con_righe, django_assert_max_num_queries):
    client = client_for(udp_user)
    client.get(xlsx_url(piano, fondo_con_righe))
    with django_assert_max_num_queries(12):
        assert client.get(xlsx_url(piano, fondo_con_righe)).status_code == 200


def test_report_of_another_plans_allocation_is_404(client_for, udp_user, piano, fnps):
    other = reverse("planning:rendiconto_fondo", args=["oglio-po-2021-2023", fnps.pk])
    assert client_for(udp_user).get(other).status_code == 404
    assert client_for(udp_user).get(reverse("planning:rendiconto_fondo", args=[piano.slug, 999999])).status_code == 404


def test_reports_page_lists_deadlines_days_left_and_links(client_for, udp_user, piano, fnps):
    oggi = timezone.localdate()
    fnps.scadenza_rendicontazione = oggi + datetime.timedelta(days=45)
    fnps.save()
    assegna(piano, "FNA", 2024, "5000.00", scadenza_rendicontazione=oggi - datetime.timedelta(days=3))
    page = client_for(udp_user).get(reverse("planning:rendiconti", args=[piano.slug])).content.decode()
    start = page.index('data-testid="rendiconto-FNPS-2025"')
    row = page[start : page.index("</tr>", start)]
    assert (oggi + datetime.timedelta(days=45)).strftime("%d/%m/%Y") in row
    assert "31/12/2026" in row
    assert ">45<" in row
    assert "100.000,00" in row
    assert xlsx_url(piano, fnps) in row
    start = page.index('data-testid="rendiconto-FNA-2024"')
    assert "scaduto da 3 giorni" in page[start : page.index("</tr>", start)]
    assert page.index("rendiconto-FNA-2024") < page.index("rendiconto-FNPS-2025")  # nearest deadline first
    assert "<caption>" in page
    assert '<th scope="col">Giorni mancanti</th>' in page


def test_reports_page_queries_do_not_grow_with_allocations(client_for, udp_user, piano, django_assert_max_num_queries):
    client = client_for(udp_user)
    url = reverse("planning:rendiconti", args=[piano.slug])
    assegna(piano, "FNPS", 2025)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for codice in ("FNA", "FDN", "FP", "FSR"):
        for anno in (2024, 2025, 2026):
            riga(
                piano,
                assegna(piano, codice, anno),
                Intervento.objects.filter(piano=piano).first(),
                "10.00",
                anno=max(anno, 2025),
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="rendiconto-') == 13


def test_budget_deadlines_ics(client_for, udp_user, piano, fnps):
    fnps.scadenza_rendicontazione = datetime.date(2027, 2, 28)
    fnps.save()
    response = client_for(udp_user).get(reverse("planning:bilancio_ics", args=[piano.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20261231" in body
    assert "DTSTART;VALUE=DATE:20270228" in body
    assert f"UID:assegnazione-{fnps.pk}-spesa@portale-ambiti" in body
    assert body.count("BEGIN:VEVENT") == 2


@pytest.mark.parametrize("name", ["rendiconti", "rendiconto_fondo", "bilancio_ics"])
def test_who_reads_the_reports(client_for, udp_user, dirigente_user, operatore_user, udp_oglio, piano, fnps, name):
    args = [piano.slug, fnps.pk] if name == "rendiconto_fondo" else [piano.slug]
    url = reverse(f"planning:{name}", args=args)
    assert client_for(udp_user).get(url).status_code == 200
    assert client_for(dirigente_user).get(url).status_code == 200
    assert client_for(operatore_user).get(url).status_code == 404
    assert client_for(udp_oglio).get(url).status_code == 404


def test_budget_deadlines_on_the_campaign_calendar(client_for, udp_user, magentino, piano, fnps):
    fnps.scadenza_rendicontazione = datetime.date(2027, 2, 28)
    fnps.save()
    url = reverse("monitoring:calendario", args=[magentino.slug])
    page = client_for(udp_user).get(url).content.decode()
    assert "Termine per la spesa: FNPS 2025" in page
    assert "Termine di rendicontazione: FNPS 2025" in page
    assert "31/12/2026" in page
    assert "28/02/2027" in page
    assert reverse("planning:rendiconti", args=[piano.slug]) in page
    ics = client_for(udp_user).get(url, {"formato": "ics"}).content.decode()
    assert f"UID:assegnazione-{fnps.pk}-spesa@portale-ambiti" in ics
    assert "DTSTART;VALUE=DATE:20270228" in ics


def test_calendar_shows_no_budget_deadline_to_who_cannot_read_the_plan(client_for, operatore_user, magentino, fnps):
    response = client_for(operatore_user).get(reverse("monitoring:calendario", args=[magentino.slug]))
    if response.status_code == 200:
        assert "FNPS 2025" not in response.content.decode()
    else:
        assert response.status_code in (403, 404)


def test_report_xlsx_writes_texts_typed_as_formulas_as_text(client_for, udp_user, piano, fondo_con_righe):
    intervento = Intervento.objects.filter(piano=piano).order_by("pk").first()
    intervento.titolo = "=1+1"
    intervento.save()
    fondo_con_righe.atto = "@SUM(A1)"
    fondo_con_righe.save()
    ws = load_workbook(io.BytesIO(client_for(udp_user).get(xlsx_url(piano, fondo_con_righe)).content)).active
    found = [c for row in ws.iter_rows() for c in row if c.value in ("=1+1", "@SUM(A1)")]
    assert {c.value for c in found} == {"=1+1", "@SUM(A1)"}
    assert {c.data_type for c in found} == {"s"}
