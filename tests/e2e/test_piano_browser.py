"""In Chromium: create an intervention with two actions and an indicator, then find it through the list filters."""

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from planning.models import Intervento
from tests.e2e.conftest import log_in_new_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_intervention_with_two_actions_and_an_indicator_then_filter(live_server, page, demo_magentino):
    interventi = reverse("planning:intervento_list", args=["magentino-2025-2027"])
    log_in_new_user(page, live_server, "udp.piano", Ruolo.UFFICIO_PIANO, interventi, ambito=demo_magentino)
    assert page.get_by_test_id("conteggio").inner_text() == "18 interventi"

    page.get_by_role("link", name="Nuovo intervento").click()
    page.wait_for_url(f"**{reverse('planning:intervento_create', args=['magentino-2025-2027'])}")
    page.get_by_label("Obiettivo", exact=True).select_option(label="D · Promozione di una conoscenza diffusa")
    page.get_by_label("Titolo", exact=True).fill("Portale digitale dei servizi sociali")
    page.get_by_label("Target", exact=True).fill("Cittadinanza")
    page.get_by_label("L'INTERVENTO È FORMALMENTE CO-PROGRAMMATO CON IL TERZO SETTORE?").select_option(label="Sì")

    page.locator("textarea[name='azioni-0-titolo']").fill("Analisi dei bisogni informativi")
    page.locator("input[name='azioni-0-responsabile']").fill("Ufficio di Piano")
    page.get_by_role("button", name="Aggiungi un'azione").click()
    page.locator("textarea[name='azioni-1-titolo']").fill("Pubblicazione del portale")
    page.locator("input[name='azioni-1-responsabile']").fill("Ufficio di Piano")
    page.locator("select[name='indicatori-0-tipo']").select_option("risultato")
    page.locator("[name='indicatori-0-descrizione']").fill("Accessi mensili al portale")
    page.locator("input[name='indicatori-0-unita']").fill("accessi")
    page.get_by_role("button", name="Salva la scheda").click()

    page.wait_for_url("**/territorio/interventi/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Portale digitale dei servizi sociali"
    assert page.get_by_test_id("azioni").locator("tbody tr").count() == 2
    assert "Accessi mensili al portale" in page.get_by_test_id("indicatori").inner_text()
    intervento = Intervento.objects.get(titolo="Portale digitale dei servizi sociali")
    assert list(intervento.azioni.values_list("titolo", flat=True)) == [
        "Analisi dei bisogni informativi",
        "Pubblicazione del portale",
    ]

    page.get_by_label("Sezioni del piano").get_by_role("link", name="Interventi", exact=True).click()  # the tab
    page.get_by_label("Area").select_option(label="D. Governance e rete")
    page.get_by_label("Co-programmato con il Terzo Settore").select_option(label="Sì")
    page.get_by_label("Cerca (titolo, target, azioni)").fill("portale")
    page.get_by_role("button", name="Filtra").click()
    page.wait_for_url("**coprogrammato=si**")
    assert page.get_by_test_id("conteggio").inner_text() == "1 intervento"
    table = page.get_by_test_id("tabella-interventi")
    assert table.locator("tbody tr").count() == 1
    table.get_by_role("link", name="Portale digitale dei servizi sociali").click()
    page.wait_for_url(f"**{intervento.get_absolute_url()}")
