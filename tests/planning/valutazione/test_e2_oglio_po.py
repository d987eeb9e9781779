"""The E2 cards of the Oglio Po sub-ambiti (seed 003, chapter 1.2): loaded with the demo, each with its sub-ambito,
shown on the evaluation page of the plan to the Ambito's readers only."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from planning.models import AzioneValutata, SchedaValutazione
from planning.valutazione.demo import demo_valutazione_load
from tests.factories import user_with_role

E2 = {"valutazione__piano__slug": "oglio-po-2021-2023", "modello": "e2"}


def test_e2_cards_are_loaded_with_their_sub_ambito(piano_oglio):
    cards = SchedaValutazione.objects.filter(**E2)
    assert cards.filter(sub_ambito__slug="casalasco").count() == 16
    assert cards.filter(sub_ambito__slug="viadanese").count() == 21
    assert not cards.filter(sub_ambito__isnull=True).exists()
    # after the three E1 cards of the Ambito
    assert min(cards.values_list("ordine", flat=True)) == 4


def test_e2_values_match_the_seed(piano_oglio):
    cards = SchedaValutazione.objects.filter(**E2)
    infanzia = cards.get(obiettivo="Infanzia accudimento e cura")
    assert infanzia.sub_ambito.nome == "Sub-ambito Casalasco"
    assert infanzia.area == "Minori e famiglia"
    assert infanzia.d1_percentuale_stampata == Decimal("60")
    assert infanzia.d2_utenti == "Non rilevato"
    assert (infanzia.d6_risposta, infanzia.d7_risposta, infanzia.d8_risposta) == ("si", "no", "si")
    assert list(infanzia.azioni.values_list("stato", flat=True)) == [
        "realizzata", "parzialmente_realizzata", "non_realizzata",
    ]  # fmt: skip
    genitorialita = cards.get(obiettivo="Sostegno alla genitorialità")
    assert genitorialita.d1_percentuale_stampata == Decimal("90")
    assert genitorialita.d6_risposta == "parzialmente"
    assert [a.stato for a in genitorialita.azioni.all()] == [
        "realizzata", "realizzata", "parzialmente_realizzata", "interrotta", "realizzata",
    ]  # fmt: skip
    assert (
        genitorialita.azioni.get(stato="interrotta").titolo
        == "Consolidare il tavolo integrato con Consultorio Famigliare"
    )
    sede = cards.get(obiettivo="cambiamento della sede istituzionale")
    assert sede.sub_ambito.nome == "Sub-ambito Viadanese"
    assert sede.d1_percentuale_stampata == Decimal("60")
    assert sede.d4_esito == "100%"
    assert (sede.d7_risposta, sede.d8_risposta) == ("si", "si")
    badanti = cards.get(obiettivo="Servizio Sportello Badanti")
    assert "Il grado di soddisfazione dell’utenza è pertanto pari al 100%." in badanti.d2_utenti
    printed = sorted(cards.filter(sub_ambito__slug="casalasco").values_list("d1_percentuale_stampata", flat=True))
    assert printed == [Decimal(x) for x in (60, 60, 70, 70, 70, 80, 80, 85, 85, 85, 90, 90, 95, 95, 100, 100)]
    assert AzioneValutata.objects.filter(scheda__in=cards).count() == 63


def test_loading_twice_adds_nothing(piano_oglio):
    before = (SchedaValutazione.objects.count(), AzioneValutata.objects.count())
    assert demo_valutazione_load() == 0
    assert (SchedaValutazione.objects.count(), AzioneValutata.objects.count()) == before


def test_a_database_without_e2_cards_receives_them_once(piano_oglio):
    SchedaValutazione.objects.filter(**E2).delete()
    assert demo_valutazione_load() == 37
    assert demo_valutazione_load() == 0
    assert SchedaValutazione.objects.filter(**E2).count() == 37


def test_evaluation_page_shows_the_e2_cards_with_their_sub_ambito(client_for, udp_oglio, piano_oglio):
    response = client_for(udp_oglio).get(reverse("planning:valutazione", args=[piano_oglio.slug]))
    assert response.status_code == 200
    esiti = [e for e in response.context["esiti"] if e.scheda.modello == "e2"]
    assert len(esiti) == 37
    infanzia = next(e for e in esiti if e.titolo == "Infanzia accudimento e cura")
    assert infanzia.area_completa == "Sub-ambito Casalasco · Minori e famiglia"
    assert infanzia.conteggi.totale == 3
    page = response.content.decode()
    assert '<span data-testid="sub-ambito">Sub-ambito Casalasco</span>' in page
    assert '<span data-testid="sub-ambito">Sub-ambito Viadanese</span>' in page
    assert re.search(r"<td[^>]*>Sub-ambito Casalasco · Minori e famiglia</td>", page)  # the table's area column
    assert "Servizio Family Coaching" in page


@pytest.mark.parametrize("role", [Ruolo.DIRIGENTE, Ruolo.UFFICIO_PIANO])
def test_readers_of_oglio_po_see_the_page(client_for, oglio_po, piano_oglio, role):
    user = user_with_role(f"lettore-{role}", role, ambito=oglio_po)
    response = client_for(user).get(reverse("planning:valutazione", args=[piano_oglio.slug]))
    assert response.status_code == 200
    assert "Sostegno alla genitorialità" in response.content.decode()


def test_magentino_users_do_not_see_the_oglio_po_cards(client_for, udp_user, dirigente_user, piano_oglio):
    card = SchedaValutazione.objects.filter(**E2).first()
    for user in (udp_user, dirigente_user):
        client = client_for(user)
        assert client.get(reverse("planning:valutazione", args=[piano_oglio.slug])).status_code in (403, 404)
        assert client.get(card.get_absolute_url()).status_code in (403, 404)
        assert client.get(reverse("planning:scheda_valutazione_update", args=[card.pk])).status_code in (403, 404)


def test_page_queries_do_not_grow_with_the_e2_cards(client_for, udp_oglio, piano_oglio, django_assert_max_num_queries):
    client = client_for(udp_oglio)
    url = reverse("planning:valutazione", args=[piano_oglio.slug])
    client.get(url)
    SchedaValutazione.objects.filter(**E2).delete()
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    demo_valutazione_load()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
