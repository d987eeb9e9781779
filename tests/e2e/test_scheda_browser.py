"""In Chromium: type R05 in NID Quadro 1, see R10 and R21 change before saving, save, then submit (with the
confirmation step); justify a warning on a computed cell (R21 above 100%) in its comment box, then submit."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Ruolo
from monitoring.models import Scheda, Stato, ValoreCella
from territory.models import Comune
from tests import demo_snapshot
from tests.e2e.conftest import log_in
from tests.factories import user_with_role
from tests.schede_helpers import fill_required

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def magenta_operator_and_scheda(username: str):
    demo_snapshot.load_demo()
    user = user_with_role(username, Ruolo.OPERATORE, comune=Comune.objects.get(codice_istat="015130"))
    return user, Scheda.objects.get(modello__codice="NID26", comune_id="015130")


def test_live_computation_and_submit(live_server, page):
    user, scheda = magenta_operator_and_scheda("op.browser")
    # The demo draft is incomplete: the Comune has filled the other required cells (not R05/R11, typed below).
    fill_required(scheda, user)
    log_in(page, live_server, "op.browser")

    page.goto(f"{live_server.url}{reverse('monitoring:quadro', args=[scheda.pk, 1])}")
    r10 = page.locator('[data-cell="R10.N25"]')
    r21 = page.locator('[data-cell="R21.PCT25"]')
    expect(r10).to_have_text("366")
    expect(r21).to_have_text("73,35")
    page.locator("#v-R05-N25").fill("1.200")
    expect(r10).to_have_text("1.386")  # updated while typing, before any save
    expect(r21).to_have_text("277,76")
    scheda.refresh_from_db()
    assert scheda.risultati["R10.N25"] == "366"  # nothing saved yet

    page.locator("#v-R05-N25").fill("190")  # inside Magenta's history (156-190)
    expect(r10).to_have_text("376")
    page.locator("#v-R11-N25").fill("350")
    expect(page.locator("#msg-R11-N25")).to_contain_text("lattanti")  # still above R10: a warning
    # The cell had warnings when the page was drawn (the demo's 400 lattanti, also outside Magenta's history):
    # its comment box is already open.
    expect(page.locator("details.commento", has=page.locator("#c-R11-N25"))).to_have_attribute("open", "")
    page.locator("#c-R11-N25").fill("Include i bambini del nido aziendale convenzionato")
    page.get_by_role("button", name="Salva", exact=True).click()
    expect(page.get_by_text("Quadro 1 salvato.")).to_be_visible()
    scheda.refresh_from_db()
    assert scheda.risultati["R10.N25"] == "376"

    page.goto(f"{live_server.url}{reverse('monitoring:scheda_detail', args=[scheda.pk])}")
    page.get_by_role("button", name="Invia").click()
    # The confirmation step lists what is missing (nothing) and the warnings (none left), then «Conferma l'invio».
    expect(page.get_by_test_id("invio-mancanti")).to_contain_text("Campi obbligatori mancanti: 0")
    # Left: the demo's R01 outside Magenta's history, justified by its demo comment.
    expect(page.get_by_test_id("invio-avvisi")).not_to_contain_text("senza giustificazione")
    expect(page.get_by_test_id("invio-avvisi")).to_contain_text("Dato dimostrativo")
    scheda.refresh_from_db()
    assert scheda.stato == Stato.BOZZA  # not sent before the confirmation
    page.get_by_role("button", name="Conferma l'invio").click()
    expect(page.get_by_test_id("stato")).to_contain_text("Inviata")
    scheda.refresh_from_db()
    assert scheda.stato == Stato.INVIATA


def test_warning_on_a_computed_cell_is_justified_in_its_comment_box_then_sent(live_server, page):
    user, scheda = magenta_operator_and_scheda("op.avvisi")
    fill_required(scheda, user)
    log_in(page, live_server, "op.avvisi")
    quadro1 = f"{live_server.url}{reverse('monitoring:quadro', args=[scheda.pk, 1])}"

    # More users than children: the public coverage R21 (computed) goes above 100%, a warning.
    page.goto(quadro1)
    page.locator("#v-R05-N25").fill("1.200")
    expect(page.locator('[data-cell="R21.PCT25"]')).to_have_text("277,76")
    page.get_by_role("button", name="Salva", exact=True).click()
    expect(page.get_by_text("Quadro 1 salvato.")).to_be_visible()
    expect(page.locator("#msg-R21-PCT25")).to_contain_text("supera il 100%")
    expect(page.locator("#msg-R22-PCT25")).to_contain_text("supera il 100%")

    # «Invia» without justification: the confirmation page refuses and says where to write the comment.
    page.goto(f"{live_server.url}{reverse('monitoring:scheda_detail', args=[scheda.pk])}")
    page.get_by_role("button", name="Invia").click()
    expect(page.get_by_test_id("invio-rifiutato")).to_contain_text("riquadro «Commento» della cella")
    expect(page.get_by_role("button", name="Conferma l'invio")).to_have_count(0)
    r21_row = page.locator('[data-avviso="R21-PCT25"]')
    expect(r21_row).to_contain_text("Manca")
    r21_row.get_by_role("link", name="Quadro 1", exact=True).click()

    # The link leads to the computed cell's comment box, open because the cell has a warning.
    page.wait_for_url(f"{quadro1}#c-R21-PCT25")
    box = page.locator("#c-R21-PCT25")
    expect(box).to_be_visible()
    expect(page.get_by_label("Commento alla cella R21/PCT25")).to_be_visible()
    box.fill("Dato verificato: nel 2025 servizi aperti anche ai bambini dei comuni vicini")
    page.locator("#c-R22-PCT25").fill("Come per R21: utenza sovracomunale")
    # R05 (1.200) and R11 (the demo's 400 lattanti) are also outside Magenta's history: justified too.
    page.locator("#c-R05-N25").fill("Nuovi posti convenzionati con i nidi privati")
    page.locator("#c-R11-N25").fill("Include i bambini del nido aziendale convenzionato")
    page.get_by_role("button", name="Salva", exact=True).click()
    expect(page.get_by_text("Quadro 1 salvato.")).to_be_visible()
    expect(page.locator("#c-R21-PCT25")).to_have_value(
        "Dato verificato: nel 2025 servizi aperti anche ai bambini dei comuni vicini"
    )
    note = ValoreCella.objects.get(scheda=scheda, riga="R21", colonna="PCT25")
    assert note.commento.startswith("Dato verificato")
    assert note.valore == ""

    page.goto(f"{live_server.url}{reverse('monitoring:scheda_detail', args=[scheda.pk])}")
    expect(page.get_by_test_id("n-mancanti")).to_have_text("0")
    page.get_by_role("button", name="Invia").click()
    avvisi = page.get_by_test_id("invio-avvisi")
    expect(avvisi).to_contain_text("Dato verificato")
    expect(avvisi).to_contain_text("utenza sovracomunale")
    page.get_by_role("button", name="Conferma l'invio").click()
    expect(page.get_by_test_id("stato")).to_contain_text("Inviata")
    scheda.refresh_from_db()
    assert scheda.stato == Stato.INVIATA
