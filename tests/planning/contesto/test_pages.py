"""Pages of the context facts: the spending analysis shows 162,12 and every discrepancy; lists export the filtered
rows; the Ufficio di Piano adds facts, the Dirigente reads, other Ambiti and the Operatore get 404."""

import pytest
from django.urls import reverse

from planning.models import SpesaSociale, TabellaSpesa, VoceSpesa
from tests.documents import xlsx_rows

pytestmark = pytest.mark.django_db


def test_context_page_shows_per_capita_and_discrepancies(client_for, dirigente_user):
    page = client_for(dirigente_user).get(reverse("planning:contesto", args=["magentino"])).content.decode()
    assert 'data-testid="pro-capite-con-2022">162,12<br><span class="small fw-normal">stampato 162,12 ✓' in page
    assert "Tab. 1: Totale 2023 — 2023: stampato 130.711, calcolato 130.719 (differenza 8)" in page
    assert "Tab. 12: Spesa totale: Comuni e Ufficio di Piano (Tab. 8) — 2020" in page
    assert "Tab. 12: Spesa totale: Comuni e Ufficio di Piano (Tab. 8) — 2021" in page
    assert "Tab. 12: Spesa totale: Comuni e Ufficio di Piano (Tab. 8) — 2019" not in page
    assert page.count('data-testid="difforme"') >= 9  # Tab. 12 (2) + Tab. 13 (4) + Tab. 14 (3)
    assert "Nuovo dato di spesa" not in page  # the Dirigente reads only


def test_oglio_po_page_includes_the_casalasco_tables(client_for, admin_user):
    page = client_for(admin_user).get(reverse("planning:contesto", args=["oglio-po"])).content.decode()
    assert "Spesa dei Comuni casalaschi per i servizi per anziani" in page
    assert "547.673" in page
    assert "TOTALE 2020 Femmine" in page


def test_facts_export_the_filtered_rows(client_for, udp_user):
    tab = TabellaSpesa.objects.get(ambito__slug="magentino", codice="Tab. 14")
    url = reverse("planning:spesa_list", args=["magentino"]) + f"?tabella={tab.pk}&anno=2022&_export=xlsx"
    rows = xlsx_rows(client_for(udp_user).get(url).content)
    assert len(rows) == 8
    assert rows[0][1] == "Tabella"
    assert {r[4]: r[7] for r in rows[1:]}["Fondo Nazionale Povertà"] == 1045646


def test_printed_values_list_filters_discrepancies(client_for, udp_user):
    url = reverse("planning:valore_stampato_list", args=["magentino"]) + "?esito=difforme&_export=csv"
    text = client_for(udp_user).get(url).getvalue().decode("utf-8-sig")
    lines = [line for line in text.splitlines()[1:] if line]
    assert len(lines) == 6
    assert all("DIFFORME" in line for line in lines)
    assert any("Tab. 1;Totale 2023;2023" in line for line in lines)


def test_ufficio_di_piano_adds_a_fact_and_the_dirigente_cannot(client_for, udp_user, dirigente_user):
    tab = TabellaSpesa.objects.get(ambito__slug="magentino", codice="Tab. 8")
    voce = VoceSpesa.objects.get(dimensione="ente", codice="udp")
    data = {"tabella": tab.pk, "anno": 2023, "voce": voce.pk, "valore": "2.800.000,50", "nota": ""}
    url = reverse("planning:spesa_create", args=["magentino"])
    assert client_for(dirigente_user).post(url, data).status_code == 404
    response = client_for(udp_user).post(url, data)
    assert response.status_code == 302
    fact = SpesaSociale.objects.get(tabella=tab, anno=2023)
    assert str(fact.valore) == "2800000.50"
    assert fact.history.first().history_user == udp_user
    again = client_for(udp_user).post(url, data)
    assert "c&#x27;è già un dato" in again.content.decode()
    area = VoceSpesa.objects.get(dimensione="area", codice="anziani")
    wrong = client_for(udp_user).post(url, {**data, "anno": 2024, "voce": area.pk})
    assert "scegliere una voce di questa dimensione" in wrong.content.decode()


def test_scope(client_for, udp_user, operatore_user):
    tab = TabellaSpesa.objects.get(ambito__slug="casalasco", codice="Anziani 2017-2019")
    for url in (
        reverse("planning:contesto", args=["oglio-po"]),
        reverse("planning:spesa_list", args=["oglio-po"]),
        tab.get_absolute_url(),
        reverse("planning:spesa_update", args=[tab.fatti.first().pk]),
    ):
        assert client_for(udp_user).get(url).status_code == 404, url
    assert client_for(operatore_user).get(reverse("planning:contesto", args=["magentino"])).status_code == 404


def test_table_page_and_list_queries_are_bounded(client_for, udp_user, django_assert_max_num_queries):
    client = client_for(udp_user)
    tab = TabellaSpesa.objects.get(ambito__slug="magentino", codice="Tab. 12")
    for url in (reverse("planning:spesa_list", args=["magentino"]), reverse("planning:contesto", args=["magentino"]),
                tab.get_absolute_url(), reverse("planning:valore_stampato_list", args=["magentino"])):  # fmt: skip
        client.get(url)
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200, url
