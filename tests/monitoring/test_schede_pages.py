"""Schede pages: Reggio acceptance values on the entry page, conditional quadri, live computation, overview."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Ruolo
from monitoring.indicators import ambito_indicators, indicator_facts
from territory.models import Ambito, Comune
from tests.documents import body, read_xlsx, xlsx_rows
from tests.factories import user_with_role
from tests.monitoring.campaigns.helpers import remove_demo_campaigns
from tests.schede_helpers import entry_post, magenta_nid, reggio

pytestmark = pytest.mark.django_db


@pytest.fixture
def udp_reggio(db):
    return user_with_role("udp-re", Ruolo.UFFICIO_PIANO, ambito=Ambito.objects.get(slug="reggio-emilia"))


def cell(page: str, key: str) -> str:
    return page.split(f'data-cell="{key}"')[1].split(">", 1)[1].split("<", 1)[0]


def test_nid_quadro1_shows_the_seed_computed_values(client_for, udp_reggio):
    scheda = reggio("NID26")
    page = client_for(udp_reggio).get(reverse("monitoring:quadro", args=[scheda.pk, 1])).content.decode()
    assert cell(page, "R10.N25") == "1.800"
    assert cell(page, "R20.NUM25") == "3.475"
    assert cell(page, "R21.PCT25") == "51,80"
    assert cell(page, "R22.PCT25") == "52,46"
    assert cell(page, "R21.PCT18") == "33,50"
    assert cell(page, "R22.PCT18") == "44,63"
    assert "Terminata la compilazione del Quadro 1" in page


def test_nid_quadro4_values_and_sentences(client_for, udp_reggio):
    scheda = reggio("NID26")
    page = client_for(udp_reggio).get(reverse("monitoring:quadro", args=[scheda.pk, 4])).content.decode()
    assert cell(page, "R29V.Y27") == "536,00"
    assert cell(page, "R60.UNR") == "8"


def test_nid_conditional_quadro3_does_not_apply_with_the_seed_sentence(client_for, udp_reggio):
    scheda = reggio("NID26")
    client = client_for(udp_reggio)
    q2 = client.get(reverse("monitoring:quadro", args=[scheda.pk, 2])).content.decode()
    assert "Nel 2025 al Comune NON sono stati assegnati utenti aggiuntivi" in q2
    q3 = client.get(reverse("monitoring:quadro", args=[scheda.pk, 3])).content.decode()
    assert 'data-testid="quadro-non-applicabile"' in q3
    assert "Nel 2025 al Comune NON sono stati assegnati utenti aggiuntivi" in q3
    assert 'name="v-' not in q3


def test_soc_values_on_entry_pages(client_for, udp_reggio):
    scheda = reggio("SOC26")
    page = client_for(udp_reggio).get(reverse("monitoring:quadro", args=[scheda.pk, 1])).content.decode()
    assert cell(page, "M12.MH25") == "7,72"
    assert "2.319,79" in page
    assert cell(page, "ROB.U19") == "33.487"
    assert cell(page, "ROB.U25") == "36.792"
    assert cell(page, "R01B.AB") == "2.651"
    assert cell(page, "R04.Y2025") == "21,36"
    assert "risultato pari a 1 ogni 2651 abitanti" in page
    q3 = client_for(udp_reggio).get(reverse("monitoring:quadro", args=[scheda.pk, 3])).content.decode()
    assert 'data-testid="quadro-non-applicabile"' in q3


def test_live_compute_returns_updated_cells_without_saving(client_for, udp_user):
    scheda = magenta_nid()
    before = scheda.risultati["R10.N25"]
    response = client_for(udp_user).post(reverse("monitoring:compute", args=[scheda.pk]), {"v-R05-N25": "1.200"})
    data = response.json()
    assert data["computed"]["R10.N25"] == "1.386"  # 1200 + 150 + 36
    assert data["computed"]["R21.PCT25"] == "277,76"  # 1386 / 499
    assert any("superare" in m["text"] or "100" in m["text"] for m in data["messages"].get("R21.PCT25", []))
    scheda.refresh_from_db()
    assert scheda.risultati["R10.N25"] == before


def test_live_compute_reports_bad_number_at_the_cell(client_for, udp_user):
    scheda = magenta_nid()
    data = client_for(udp_user).post(reverse("monitoring:compute", args=[scheda.pk]), {"v-R05-N25": "12a"}).json()
    assert data["messages"]["R05.N25"][0]["severity"] == "error"
    assert "Valore non numerico" in data["messages"]["R05.N25"][0]["text"]


def test_draft_shows_warning_next_to_cell_and_in_summary(client_for, udp_user):
    scheda = magenta_nid()
    client = client_for(udp_user)
    page = client.get(reverse("monitoring:quadro", args=[scheda.pk, 1])).content.decode()
    r11 = page.split('id="msg-R11-N25"')[1].split("</ul>")[0]
    assert "Avviso:" in r11
    assert "lattanti" in r11
    assert "Valore fuori dall&#x27;intervallo storico del Comune" in r11  # the demo history (monitoring.demo)
    summary = client.get(reverse("monitoring:scheda_detail", args=[scheda.pk])).content.decode()
    assert 'data-testid="n-avvisi">3<' in summary  # R11 > R10, and R01/N25, R11/N25 outside Magenta's history


def test_overview_rows_and_indicator_totals(client_for, udp_user, magentino):
    remove_demo_campaigns()  # the Magentino with only Magenta's draft (monitoring/demo.py)
    response = client_for(udp_user).get(reverse("monitoring:overview", args=["magentino"]))
    assert response.status_code == 200
    rows = response.context["table"].data.data
    assert len(rows) == 13 * 2  # 13 Comuni × NID26, SOC26
    magenta = next(r for r in rows if r.comune_codice == "015130" and r.modello == "NID26")
    assert (magenta.stato, magenta.avvisi) == ("bozza", 1)
    assert sum(1 for r in rows if r.stato == "non_iniziata") == 25
    page = response.content.decode()
    assert 'data-testid="totale-NID26-R21">73,3%<' in page  # 366 / 499 (Magenta only has data)
    assert "raggiunto" in page


def test_overview_filters_and_export(client_for, udp_user):
    remove_demo_campaigns()  # the Magentino with only Magenta's draft (monitoring/demo.py)
    client = client_for(udp_user)
    response = client.get(reverse("monitoring:overview", args=["magentino"]), {"stato": "bozza"})
    assert [(r.comune_nome, r.modello) for r in response.context["table"].data.data] == [("Magenta", "NID26")]
    export = client.get(reverse("monitoring:overview", args=["magentino"]), {"modello": "SOC26", "_export": "xlsx"})
    rows = xlsx_rows(export.content)
    assert rows[0][:4] == ("Codice ISTAT", "Comune", "Scheda", "Stato")
    assert len(rows) == 14
    assert all(r[2] == "SOC26" for r in rows[1:])


def test_ambito_totals_are_sums_not_averages():
    definition = reggio("NID26").modello.definizione
    a = {"R10.N25": "100", "R20.NUM25": "1000"}  # 10%
    b = {"R10.N25": "900", "R20.NUM25": "1000"}  # 90%
    c = {"R10.N25": "10", "R20.NUM25": "8000"}  # 0,125%
    [r21, _r22] = ambito_indicators(definition, [indicator_facts(definition, v) for v in (a, b, c)])
    assert r21.value == Decimal("10.1")  # 1.010 / 10.000, not the average of the percentages (33,4%)
    assert r21.checks[0].met is False


def test_overview_query_count_does_not_grow(client, django_assert_max_num_queries):
    ambito = Ambito.objects.create(nome="Grande", slug="grande", codice="GRANDE")
    Comune.objects.bulk_create(
        Comune(codice_istat=f"{600000 + i:06d}", nome=f"C{i}", ambito=ambito) for i in range(300)
    )
    user = user_with_role("udp-grande", Ruolo.UFFICIO_PIANO, ambito=ambito)
    client.force_login(user)
    client.get(reverse("monitoring:overview", args=["grande"]))
    cache.clear()  # the data fragments are built again (not served from the cache)
    with django_assert_max_num_queries(16):  # 14 of the schede and indicators, 2 of the campaigns and milestones
        assert client.get(reverse("monitoring:overview", args=["grande"])).status_code == 200


def test_overview_exports_every_value_of_every_scheda(client_for, admin_user):
    client = client_for(admin_user)
    response = client.get(reverse("monitoring:overview", args=["reggio-emilia"]), {"_export": "valori"})
    assert response.status_code == 302  # a job (run at once here: the immediate backend of the tests)
    status = client.get(response["Location"].rstrip("/") + "/stato/").json()
    download = client.get(status["download_url"])
    assert 'filename="valori-schede-reggio-emilia.xlsx"' in download["Content-Disposition"]
    wb = read_xlsx(body(download))
    assert wb.sheetnames == ["NID26", "SOC26"]
    nid = list(wb["NID26"].iter_rows(values_only=True))
    header, reggio_row = nid[0], nid[2]
    values = dict(zip(header, reggio_row, strict=True))
    assert values["Codice ISTAT"] == "035033"
    assert values["Stato"] == "Validata"
    assert values["R10/N25"] == 1800
    assert values["R21/PCT25"] == 51.8
    assert values["R05/N25"] == 748
    soc = dict(zip(*list(wb["SOC26"].iter_rows(values_only=True))[0:3:2], strict=True))
    assert soc["R01B/AB"] == 2651
    assert soc["ROB/U25"] == 36792
    assert soc["R04/Y2025"] == 21.36


def test_report_text_counts_line_breaks_once(client_for, udp_user):
    scheda = magenta_nid()
    text = "riga\r\n" * 1000  # 5.000 characters as typed, 6.000 if CRLF counted twice
    text += "x" * 500
    assert len(text.replace("\r\n", "\n")) <= 6000 < len(text)
    response = client_for(udp_user).post(
        reverse("monitoring:quadro", args=[scheda.pk, 4]), entry_post(scheda, {"R61-TXT": text})
    )
    assert response.status_code == 302
