"""In Chromium: type R05 in NID Quadro 1, see R10 and R21 change before saving, save, then submit."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import Ruolo
from monitoring.models import Scheda, Stato
from planning.models import Comune

from ..factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_live_computation_and_submit(live_server, page):
    call_command("load_demo", "--no-users", verbosity=0)
    user_with_role("op.browser", Ruolo.OPERATORE, comune=Comune.objects.get(codice_istat="015130"))
    scheda = Scheda.objects.get(modello__codice="NID26", comune_id="015130")

    page.goto(f"{live_server.url}/accesso/")
    page.get_by_label("Nome utente").fill("op.browser")
    page.get_by_label("Password").fill("password-di-prova-123")
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/monitoraggio/schede/{scheda.pk}/quadro/1/")
    r10 = page.locator('[data-cell="R10.N25"]')
    r21 = page.locator('[data-cell="R21.PCT25"]')
    expect(r10).to_have_text("366")
    expect(r21).to_have_text("73,35")
    page.locator("#v-R05-N25").fill("1.200")
    expect(r10).to_have_text("1.386")  # updated while typing, before any save
    expect(r21).to_have_text("277,76")
    scheda.refresh_from_db()
    assert scheda.risultati["R10.N25"] == "366"  # nothing saved yet

    page.locator("#v-R05-N25").fill("200")
    expect(r10).to_have_text("386")
    page.locator("#v-R11-N25").fill("350")
    expect(page.locator("#msg-R11-N25")).to_contain_text("lattanti")  # still above R10: a warning
    page.locator("details.commento", has=page.locator("#c-R11-N25")).locator("summary").click()
    page.locator("#c-R11-N25").fill("Include i bambini del nido aziendale convenzionato")
    page.get_by_role("button", name="Salva", exact=True).click()
    expect(page.get_by_text("Quadro 1 salvato.")).to_be_visible()
    scheda.refresh_from_db()
    assert scheda.risultati["R10.N25"] == "386"

    page.goto(f"{live_server.url}/monitoraggio/schede/{scheda.pk}/")
    page.get_by_role("button", name="Invia").click()
    expect(page.get_by_test_id("stato")).to_contain_text("Inviata")
    scheda.refresh_from_db()
    assert scheda.stato == Stato.INVIATA
