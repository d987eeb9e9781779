"""The quarterly snapshots show the plan's money: per intervention, planned (years up to the snapshot's), committed
and paid up to the quarter's last day; exported as XLSX/CSV; in the PDF's monitoring chapter; constant queries."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from planning.bilancio import services
from planning.models import Intervento
from reports.piano.chapters.monitoraggio import snapshot_context
from tests.planning.bilancio.conftest import assegna, remove_demo_budget, riga

pytestmark = pytest.mark.django_db


def move(r, tipo, day, amount, natura="nuovo"):
    services.movimento_add(riga=r, tipo=tipo, natura=natura, data=day, atto="Det.", importo=Decimal(amount))


@pytest.fixture
def budget(piano):
    """Two interventions: A with 2025 and 2026 lines, B with a 2025 line; movements before and after 30/06/2025."""
    remove_demo_budget(piano)
    fnps = assegna(piano, "FNPS", 2025, "100000.00")
    a, b = list(Intervento.objects.filter(piano=piano).order_by("pk")[:2])
    a25 = riga(piano, fnps, a, "10000.00", anno=2025)
    riga(piano, fnps, a, "5000.00", anno=2026)  # a later year: not planned at 2025-T2
    b25 = riga(piano, fnps, b, "2000.00", anno=2025)
    move(a25, "impegno", datetime.date(2025, 3, 10), "6000.00")
    move(a25, "liquidazione", datetime.date(2025, 6, 30), "1500.00")  # the quarter's last day: counted
    move(a25, "liquidazione", datetime.date(2025, 7, 1), "1000.00")  # after the quarter: not counted
    move(b25, "impegno", datetime.date(2025, 5, 2), "2000.00")
    move(b25, "impegno", datetime.date(2025, 6, 1), "-500.00", natura="disimpegno")
    return a, b


def test_quarter_end_dates(t1, t2):
    assert t1.fine_trimestre == datetime.date(2025, 3, 31)
    assert t2.fine_trimestre == datetime.date(2025, 6, 30)


def test_risorse_page_shows_money_at_the_quarter_end(client_for, udp_user, t2, budget):
    a, b = budget
    client = client_for(udp_user)
    url = reverse("monitoring:rilevazione_risorse", args=[t2.pk])
    page = client.get(url).content.decode()
    assert "Risorse per intervento al 30/06/2025 (€)" in page
    start = page.index(f'data-testid="risorse-{a.pk}"')
    row_a = page[start : page.index("</tr>", start)]
    assert [v in row_a for v in ("10.000,00", "6.000,00", "1.500,00", "4.000,00")] == [True] * 4
    start = page.index(f'data-testid="risorse-{b.pk}"')
    row_b = page[start : page.index("</tr>", start)]
    assert ["2.000,00" in row_b, "1.500,00" in row_b, "500,00" in row_b] == [True] * 3
    assert "12.000,00" in page  # planned total (the 2026 line is not in it)
    detail = client.get(reverse("monitoring:rilevazione_detail", args=[t2.pk])).content.decode()
    assert "Risorse al 30/06/2025: programmati 12.000,00 €, impegnati 7.500,00 €, liquidati 1.500,00 €" in detail
    assert url in detail


def test_risorse_at_the_first_quarter(client_for, udp_user, t1, budget):
    page = client_for(udp_user).get(reverse("monitoring:rilevazione_risorse", args=[t1.pk])).content.decode()
    assert "al 31/03/2025" in page
    assert "6.000,00" in page  # only the commitment of March
    assert "1.500,00" not in page


def test_risorse_export_xlsx_has_real_numbers(client_for, udp_user, t2, budget):
    url = reverse("monitoring:rilevazione_risorse", args=[t2.pk]) + "?_export=xlsx"
    response = client_for(udp_user).get(url)
    assert response["Content-Disposition"].endswith('rilevazione-2025-T2-risorse.xlsx"')
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("Area", "Intervento", "Programmato (€)")
    assert rows[-1][0] == "Totale"
    assert rows[-1][2:] == (12000, 7500, 1500, 4500)
    response = client_for(udp_user).get(url.replace("xlsx", "csv"))
    csv = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Totale;;12000,00;7500,00;1500,00;4500,00" in csv


def test_risorse_permissions(client_for, dirigente_user, operatore_user, udp_oglio, t2, budget):
    url = reverse("monitoring:rilevazione_risorse", args=[t2.pk])
    assert client_for(dirigente_user).get(url).status_code == 200
    for user in (operatore_user, udp_oglio):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).get(url + "?_export=xlsx").status_code == 404


def test_risorse_queries_do_not_grow_with_the_lines(client_for, udp_user, piano, t2, django_assert_max_num_queries):
    remove_demo_budget(piano)
    fnps = assegna(piano, "FNPS", 2025, "900000.00")
    interventi = list(Intervento.objects.filter(piano=piano).order_by("pk"))
    client = client_for(udp_user)
    url = reverse("monitoring:rilevazione_risorse", args=[t2.pk])
    riga(piano, fnps, interventi[0], "100.00")
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for i in interventi[1:]:
        r = riga(piano, fnps, i, "100.00")
        move(r, "impegno", datetime.date(2025, 4, 1), "50.00")
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        page = client.get(url).content.decode()
    assert page.count('data-testid="risorse-') == len(interventi)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_pdf_monitoring_chapter_has_the_money_of_the_latest_snapshot(piano, t2, budget):
    context = snapshot_context(piano)
    tables = [b for kind, b in context["blocchi"] if kind == "tabella"]
    risorse = next(t for t in tables if t.classe == "risorse-rilevazione")
    assert "al 30/06/2025" in risorse.titolo
    assert risorse.righe[-1].celle[1:] == ["12.000,00", "7.500,00", "1.500,00", "4.500,00"]
    assert risorse.righe[0].celle[0] == budget[0].obiettivo.area.codice
