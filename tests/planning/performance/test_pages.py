"""Performance plan pages: the Ufficio di Piano edits, the Dirigente reads, only the dirigente named on an objective
writes its report; the report as PDF and XLSX through serve_report; history; bounded queries."""

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from tests.documents import body, pdf_reader, read_xlsx, xlsx_rows
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_plan_page_shows_decoded_programmes_and_totals(client_for, dirigente_user, piano):
    response = client_for(dirigente_user).get(piano.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "12 01 = «Diritti sociali, politiche sociali e famiglia / Interventi per l&#x27;infanzia e i minori e per "
        "asili nido»" in page
    )
    assert page.count('data-testid="totale">100<') == 6
    assert page.count('data-testid="totale">95<') == 2
    assert "Nuovo obiettivo operativo" not in page
    assert "Scarica il report (PDF)" in page


def test_export_of_filtered_objectives(client_for, udp_user, piano):
    url = piano.get_absolute_url() + "?q=SPRAR&_export=xlsx"
    rows = xlsx_rows(client_for(udp_user).get(url).content)
    assert len(rows) == 2
    assert rows[1][2] == "8_1204_0403"
    assert rows[1][-1] == 100


def test_ufficio_di_piano_edits_and_out_of_range_is_refused(client_for, udp_user, obiettivo):
    client = client_for(udp_user)
    url = reverse("planning:obiettivo_operativo_update", args=[obiettivo.pk])
    base = {
        "strategico": obiettivo.strategico_id, "codice": obiettivo.codice, "dirigente_nome": "Conti", "ordine": 3,
        "indicatori-TOTAL_FORMS": "0", "indicatori-INITIAL_FORMS": "0", "indicatori-MIN_NUM_FORMS": "0",
        "indicatori-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    page = client.post(url, {**base, "valutazione_risultato": "85", "valutazione_qualitativa": "15"}).content.decode()
    assert "«Valutazione di risultato» va da 0 a 80 punti: indicato 85." in page
    response = client.post(url, {**base, "valutazione_risultato": "78", "valutazione_qualitativa": "15"})
    assert response.status_code == 302
    obiettivo.refresh_from_db()
    assert obiettivo.totale == 93
    detail = client.get(obiettivo.get_absolute_url()).content.decode()
    assert 'data-testid="totale">93<' in detail  # printed 95
    assert "diverso dal calcolato" in detail
    assert "valutazione di risultato</strong>: 80.00 → 78.00" in detail  # history (shared helper, raw decimals)


def test_only_the_named_dirigente_writes_the_report(client_for, dirigente_user, magentino, obiettivo):
    other = user_with_role("dirigente-2", Ruolo.DIRIGENTE, ambito=magentino)
    url = reverse("planning:obiettivo_operativo_report", args=[obiettivo.pk])
    assert client_for(dirigente_user).get(url).status_code == 404
    obiettivo.dirigente_utente = dirigente_user
    obiettivo.save()
    assert client_for(other).get(url).status_code == 404
    client = client_for(dirigente_user)
    assert "Scrivi il report del dirigente" in client.get(obiettivo.get_absolute_url()).content.decode()
    indicatori = list(obiettivo.indicatori.order_by("ordine"))
    data = {
        "report": "Mobilità completata: 12 famiglie.",
        "indicatori-TOTAL_FORMS": str(len(indicatori)), "indicatori-INITIAL_FORMS": str(len(indicatori)),
        "indicatori-MIN_NUM_FORMS": "0", "indicatori-MAX_NUM_FORMS": "1000",
        "valutazione_risultato": "80", "valutazione_qualitativa": "20",  # ignored: not the dirigente's fields
    }  # fmt: skip
    for i, ind in enumerate(indicatori):
        data[f"indicatori-{i}-id"] = ind.pk
        data[f"indicatori-{i}-obiettivo"] = obiettivo.pk
        data[f"indicatori-{i}-raggiunto"] = "12" if i == 0 else "25"
    assert client.post(url, data).status_code == 302
    obiettivo.refresh_from_db()
    assert obiettivo.report == "Mobilità completata: 12 famiglie."
    assert obiettivo.totale == 95
    assert obiettivo.indicatori.order_by("ordine").first().raggiunto == 12
    assert obiettivo.history.first().history_user == dirigente_user
    edit = reverse("planning:obiettivo_operativo_update", args=[obiettivo.pk])
    assert client.get(edit).status_code == 404  # the Dirigente never edits the objective


def test_other_ambiti_get_404(client_for, operatore_user, oglio_po, piano, obiettivo):
    udp_oglio = user_with_role("udp-oglio-perf", Ruolo.UFFICIO_PIANO, ambito=oglio_po)
    for user in (udp_oglio, operatore_user):
        client = client_for(user)
        for url in (piano.get_absolute_url(), obiettivo.get_absolute_url(),
                    reverse("reports:performance_pdf", args=[piano.slug])):  # fmt: skip
            assert client.get(url).status_code == 404


def test_report_pdf_and_xlsx(client_for, dirigente_user, piano):
    client = client_for(dirigente_user)
    pdf = client.get(reverse("reports:performance_pdf", args=[piano.slug]))
    data = b"".join(pdf.streaming_content)
    assert data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in pdf_reader(data).pages)
    for needle in ("2_1201_0401", "8_1204_0403", "Report del dirigente", "74 pasti erogati", "Conti"):
        assert needle in text
    xlsx = client.get(reverse("reports:performance_xlsx", args=[piano.slug]))
    ws = read_xlsx(body(xlsx)).active
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 8
    assert [r[-1] for r in rows].count(100) == 6
    assert [r[-1] for r in rows].count(95) == 2
    assert rows[0][0] == "2_1201_0"
    assert rows[0][15] == 80
    assert rows[0][16] == 20


def test_plan_page_queries_are_bounded(client_for, udp_user, piano, django_assert_max_num_queries):
    client = client_for(udp_user)
    client.get(piano.get_absolute_url())
    with django_assert_max_num_queries(25):
        assert client.get(piano.get_absolute_url()).status_code == 200


def test_report_xlsx_writes_a_text_typed_as_a_formula_as_text(client_for, dirigente_user, piano, obiettivo):
    obiettivo.note = "=1+1"
    obiettivo.save()
    ws = read_xlsx(body(client_for(dirigente_user).get(reverse("reports:performance_xlsx", args=[piano.slug])))).active
    found = [c for row in ws.iter_rows(min_row=4) for c in row if c.value == "=1+1"]
    assert found
    assert {c.data_type for c in found} == {"s"}
