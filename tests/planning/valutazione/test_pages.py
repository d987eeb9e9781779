"""The evaluation pages: the 8 Magentino cards with dimension 1 under both rules and the plan's rule stated, the
Oglio Po E1 cards, exports, permissions and a bounded number of queries."""

import pytest
from django.urls import reverse

from planning.models import SchedaValutazione
from planning.piano.services import piano_create
from tests.documents import xlsx_rows

pytestmark = pytest.mark.django_db


def test_magentino_evaluation_shows_8_cards_and_the_rule(client_for, dirigente_user, piano):
    response = client_for(dirigente_user).get(reverse("planning:valutazione", args=[piano.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="scheda-valutazione"') == 8
    assert len(response.context["esiti"]) == 8
    assert (
        "Questo piano usa la regola: <strong>le azioni parzialmente realizzate contano come realizzate</strong>" in page
    )
    assert 'data-testid="conteggio-schede">8 schede' in page


def test_card_2_dimension_1_is_75_and_58_3(client_for, dirigente_user, piano, scheda2):
    response = client_for(dirigente_user).get(reverse("planning:valutazione", args=[piano.slug]))
    esito = next(e for e in response.context["esiti"] if e.scheda.pk == scheda2.pk)
    c = esito.conteggi
    assert (c.realizzate, c.parziali, c.non_concluse, c.totale) == (7, 2, 3, 12)
    assert str(esito.grado_con_parziali) == "75.0"
    assert str(esito.grado_senza_parziali) == "58.3"
    assert esito.stampato_coerente is True
    detail = client_for(dirigente_user).get(scheda2.get_absolute_url()).content.decode()
    assert 'data-testid="grado-con-parziali">75,0%<' in detail
    assert 'data-testid="grado-senza-parziali">58,3%<' in detail
    assert "regola del piano" in detail


def test_card_1_printed_percentage_is_flagged_as_the_other_rule(client_for, udp_user, piano):
    scheda = SchedaValutazione.objects.get(valutazione__piano=piano, ordine=1)
    page = client_for(udp_user).get(scheda.get_absolute_url()).content.decode()
    assert "Il documento indica 85,7%: corrisponde all&#x27;altra regola" in page
    assert 'data-testid="grado-senza-parziali">85,7%<' in page
    assert 'data-testid="grado-con-parziali">100,0%<' in page


def test_oglio_po_e1_cards_keep_the_printed_percentage(client_for, udp_oglio, piano_oglio):
    response = client_for(udp_oglio).get(reverse("planning:valutazione", args=[piano_oglio.slug]))
    esiti = [e for e in response.context["esiti"] if e.scheda.modello == "e1"]
    assert [e.titolo for e in esiti] == [
        "Integrazione socio-sanitaria",
        "Solidarietà familiare e affidi",
        "Progetto territoriale di supporto alla conciliazione vita-lavoro",
    ]
    assert [str(e.stampato) for e in esiti] == ["60.00", "80.00", "100.00"]
    assert all(e.conteggi.totale == 0 and e.grado is None for e in esiti)
    assert "dato non ricalcolabile" in response.content.decode()


def test_export_has_both_rules_for_the_filtered_cards(client_for, udp_user, piano):
    url = reverse("planning:valutazione", args=[piano.slug]) + "?area=Povert%C3%A0&_export=xlsx"
    response = client_for(udp_user).get(url)
    rows = xlsx_rows(response.content)
    assert rows[0][:3] == ("N.", "Area", "Obiettivo")
    assert len(rows) == 3
    povertà = rows[1]
    assert povertà[3:9] == (9, 4, 2, 3, 66.7, 44.4)


def test_filters_by_area_and_search(client_for, udp_user, piano):
    url = reverse("planning:valutazione", args=[piano.slug])
    assert len(client_for(udp_user).get(url + "?area=Fragilit%C3%A0").context["esiti"]) == 3
    found = client_for(udp_user).get(url + "?q=Calicantus").context["esiti"]
    assert [e.scheda.ordine for e in found] == [2]


def test_list_page_queries_are_bounded(client_for, udp_user, piano, django_assert_max_num_queries):
    client = client_for(udp_user)
    url = reverse("planning:valutazione", args=[piano.slug])
    client.get(url)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_dirigente_reads_but_never_edits(client_for, dirigente_user, piano, scheda2):
    client = client_for(dirigente_user)
    assert client.get(reverse("planning:continuita", args=[piano.slug])).status_code == 200
    for url in (
        reverse("planning:valutazione_impostazioni", args=[piano.slug]),
        reverse("planning:scheda_valutazione_create", args=[piano.slug]),
        reverse("planning:scheda_valutazione_update", args=[scheda2.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"obiettivo": "x"}).status_code == 404, url
    assert client.post(reverse("planning:scheda_valutazione_riproponi", args=[scheda2.pk])).status_code == 404
    assert (
        client.post(reverse("planning:continuita_riprendi", args=[piano.slug]), {"tipo": "obiettivo"}).status_code
        == 404
    )
    page = client.get(scheda2.get_absolute_url()).content.decode()
    assert "Riproponi nel piano" not in page
    assert "/modifica/" not in page


def test_other_ambiti_and_operatore_get_404(client_for, udp_oglio, operatore_user, piano, scheda2):
    for user in (udp_oglio, operatore_user):
        client = client_for(user)
        for url in (
            reverse("planning:valutazione", args=[piano.slug]),
            reverse("planning:continuita", args=[piano.slug]),
            scheda2.get_absolute_url(),
        ):
            assert client.get(url).status_code == 404, (user, url)


def test_ufficio_di_piano_edits_a_card_and_dimension_1_follows(client_for, udp_user, piano, scheda2):
    client = client_for(udp_user)
    url = reverse("planning:scheda_valutazione_update", args=[scheda2.pk])
    form = client.get(url).context["forms"]
    data = {k: v for k, v in form["form"].initial.items() if v is not None and k != "sub_ambito"}
    data.update({"modello": "monografica", "d1_percentuale_stampata": "75,0"})
    azioni = list(scheda2.azioni.order_by("ordine"))
    data.update({"azioni-TOTAL_FORMS": str(len(azioni)), "azioni-INITIAL_FORMS": str(len(azioni)),
                 "azioni-MIN_NUM_FORMS": "0", "azioni-MAX_NUM_FORMS": "1000"})  # fmt: skip
    for i, a in enumerate(azioni):
        stato = "realizzata" if a.ordine == 12 else a.stato  # the 12th action (not done) is now done
        row = {"id": a.pk, "ordine": a.ordine, "titolo": a.titolo, "stato": stato, "gruppo": a.gruppo, "nota": a.nota}
        data.update({f"azioni-{i}-{k}": v for k, v in row.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["forms"]["form"].errors
    page = client.get(scheda2.get_absolute_url()).content.decode()
    assert 'data-testid="grado-con-parziali">83,3%<' in page  # 10 of 12
    assert "Il documento indica 75,0%: non corrisponde a nessuna delle due regole." in page
    assert "Cronologia delle modifiche" in page
    assert "Non realizzata → Realizzata" in page


def test_new_evaluation_and_card_for_a_new_plan(client_for, udp_user, magentino):
    nuovo = piano_create(ambito=magentino, titolo="Piano di Zona 2028-2030", anno_inizio=2028, anno_fine=2030)
    client = client_for(udp_user)
    assert (
        "non è ancora stata registrata"
        in client.get(reverse("planning:valutazione", args=[nuovo.slug])).content.decode()
    )
    response = client.post(
        reverse("planning:valutazione_impostazioni", args=[nuovo.slug]),
        {"periodo_valutato": "2025-2027", "periodo_precedente": "2021-2023", "regola_parziali": "escluse"},
    )
    assert response.status_code == 302
    data = {
        "modello": "monografica", "area": "Governance", "obiettivo": "Criteri omogenei di accesso",
        "azioni-TOTAL_FORMS": "3", "azioni-INITIAL_FORMS": "0", "azioni-MIN_NUM_FORMS": "0",
        "azioni-MAX_NUM_FORMS": "1000",
        "azioni-0-titolo": "Regolamento d'Ambito", "azioni-0-stato": "realizzata",
        "azioni-1-titolo": "Tavolo con i Comuni", "azioni-1-stato": "parzialmente_realizzata",
        "azioni-2-titolo": "",
    }  # fmt: skip
    response = client.post(reverse("planning:scheda_valutazione_create", args=[nuovo.slug]), data)
    assert response.status_code == 302
    scheda = SchedaValutazione.objects.get(valutazione__piano=nuovo)
    assert list(scheda.azioni.values_list("ordine", "titolo")) == [
        (1, "Regolamento d'Ambito"),
        (2, "Tavolo con i Comuni"),
    ]
    page = client.get(scheda.get_absolute_url()).content.decode()
    assert 'data-testid="grado-senza-parziali">50,0%<' in page
    assert 'data-testid="grado-con-parziali">100,0%<' in page
    assert "contano solo le azioni realizzate pienamente" in page
    missing = client.post(
        reverse("planning:scheda_valutazione_create", args=[nuovo.slug]),
        {**data, "azioni-2-titolo": "Senza stato", "azioni-2-stato": ""},
    )
    assert "Indicare lo stato finale dell" in missing.content.decode() or "obbligatorio" in missing.content.decode()
