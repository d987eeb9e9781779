"""In Chromium, the Ufficio di Piano of the Magentino allocates a fund to an intervention (issue 14): a new
allocation of the fund, a budget line on one intervention, a commitment on the line; the budget page shows the
fund's available and not yet committed amounts change at each step."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Ruolo
from planning.models import Assegnazione, Fondo, Movimento, PianoDiZona, RigaBilancio
from tests.e2e.conftest import log_in_new_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_allocate_a_fund_to_an_intervention_and_commit_it(live_server, page, demo_magentino):
    piano = PianoDiZona.objects.get(slug="magentino-2025-2027")
    # a fund the plan has no 2025 allocation of (the demo budget may allocate some)
    fondo = Fondo.objects.exclude(assegnazioni__piano=piano, assegnazioni__anno=2025).order_by("ordine").first()
    intervento = piano.interventi.order_by("pk").first()
    bilancio = reverse("planning:bilancio", args=[piano.slug])
    log_in_new_user(page, live_server, "udp.bilancio", Ruolo.UFFICIO_PIANO, bilancio, ambito=demo_magentino)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilancio del piano")

    # 1. A new allocation of the fund: 50.000,00 € for 2025.
    page.get_by_role("link", name="Nuova assegnazione").click()
    page.get_by_label("Fondo", exact=True).select_option(label=str(fondo))
    page.get_by_label("Annualità del fondo").fill("2025")
    page.get_by_label("Importo assegnato (€)").fill("50.000,00")
    page.get_by_label("Atto di assegnazione").fill("DGR XII/2025")
    page.get_by_label("Termine per la spesa").fill("31/12/2026")
    page.get_by_role("button", name="Salva").click()
    page.wait_for_url(f"**{bilancio}#assegnazioni")
    row = page.get_by_test_id(f"assegnazione-{fondo.codice}-2025")
    expect(row.get_by_test_id("disponibile")).to_have_text("50.000,00")
    expect(row.get_by_test_id("da-impegnare")).to_have_text("0,00")
    assegnazione = Assegnazione.objects.get(piano=piano, fondo=fondo, anno=2025)

    # 2. A line of 20.000,00 € of that allocation for the intervention in 2025.
    page.get_by_role("link", name="Nuova riga del bilancio").click()
    page.get_by_label("Intervento", exact=True).select_option(str(intervento.pk))
    page.get_by_label("Fondo e annualità").select_option(str(assegnazione.pk))
    page.get_by_label("Anno del piano").select_option("2025")
    page.get_by_label("Importo programmato (€)").fill("20.000,00")
    page.get_by_role("button", name="Salva").click()
    riga = RigaBilancio.objects.get(assegnazione=assegnazione)
    page.wait_for_url(f"**{reverse('planning:riga_bilancio', args=[riga.pk])}")
    expect(page.get_by_test_id("programmato")).to_have_text("20.000,00 €")

    # 3. A commitment of 7.500,00 € on the line.
    page.get_by_label("Tipo").select_option("impegno")
    page.get_by_label("Data").fill("15/03/2025")
    page.get_by_label("Atto").fill("Determina n. 77/2025")
    page.get_by_label("Importo (€)").fill("7.500,00")
    page.get_by_role("button", name="Registra").click()
    expect(page.get_by_test_id("impegnato")).to_have_text("7.500,00 €")
    expect(page.get_by_test_id("movimenti")).to_contain_text("Determina n. 77/2025")
    assert Movimento.objects.get(riga=riga).importo == 7500

    # 4. The budget page: 30.000,00 € still to allocate, 7.500,00 € committed, 12.500,00 € to commit.
    page.goto(f"{live_server.url}{bilancio}")
    row = page.get_by_test_id(f"assegnazione-{fondo.codice}-2025")
    expect(row.get_by_test_id("disponibile")).to_have_text("30.000,00")
    expect(row.get_by_test_id("impegnato")).to_have_text("7.500,00")
    expect(row.get_by_test_id("da-impegnare")).to_have_text("12.500,00")
    expect(page.get_by_test_id("righe")).to_contain_text(intervento.titolo)
