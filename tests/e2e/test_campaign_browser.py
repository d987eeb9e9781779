"""In Chromium, one campaign from its opening to the Regione's approval (issue 13): the Ufficio di Piano of the
Magentino opens NID26 2025 through the form and sees its milestones; the Comuni's schede are validated (one through
the scheda page, the others set up through the services); the Ufficio presents the set to the Regione; the Regione
Lombardia user logs in and approves; the campaign shows «Approvata dalla Regione» and its schede are read-only."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Ruolo
from monitoring.models import Campagna, ModelloScheda, Scheda, Stato
from monitoring.services.submit import submit_check
from monitoring.services.workflow import scheda_transition
from territory.models import Comune, Regione
from tests.e2e.conftest import log_in
from tests.factories import user_with_role
from tests.monitoring.campaigns.helpers import at, remove_demo_campaigns, set_states
from tests.schede_helpers import fill_required, save_comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_campaign_from_opening_to_the_regione_approval(live_server, page, demo_magentino):
    remove_demo_campaigns()  # the demo has NID26 2025 open for the Magentino: the test opens its own
    user_with_role("udp.campagna", Ruolo.UFFICIO_PIANO, ambito=demo_magentino)
    user_with_role("regione.campagna", Ruolo.REGIONE, regione=Regione.objects.get(nome="Lombardia"))
    comune = Comune.objects.get(nome="Arluno", sigla_provincia="MI")
    operatore = user_with_role("op.arluno", Ruolo.OPERATORE, comune=comune)
    nid = ModelloScheda.objects.get(codice="NID26")

    # 1. The Ufficio di Piano opens the campaign through the form and sees its milestones.
    open_path = reverse("monitoring:campagna_open", kwargs={"slug": demo_magentino.slug})
    log_in(page, live_server, "udp.campagna", open_path)
    page.get_by_label("Modello e anno").select_option(str(nid.pk))
    page.get_by_label("Precompila ogni scheda nuova").uncheck(force=True)
    page.get_by_role("button", name="Apri la campagna e crea le schede").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Campagna NID26 2025 — Ambito del Magentino")
    expect(page.get_by_test_id("stato-campagna")).to_contain_text("Aperta")
    expect(page.get_by_text("31/05/2026").first).to_be_visible()  # sending to SOSE
    expect(page.get_by_text("30/04/2026").first).to_be_visible()  # approval with the rendiconto
    campagna = Campagna.objects.get(ambito=demo_magentino, modello=nid)
    assert campagna.comuni.count() == 13
    assert Scheda.objects.filter(modello=nid, comune__in=campagna.comuni.all()).count() == 13

    # 2. Twelve Comuni validated (setup through the services); Arluno sends its scheda and the Ufficio validates it
    # on the scheda page.
    others = campagna.comuni.exclude(pk=comune.pk)
    set_states(campagna, Stato.VALIDATA, others, inviata_il=at(campagna.scadenze.get(tipo="invio").data))
    arluno = Scheda.objects.get(modello=nid, comune=comune)
    fill_required(arluno, operatore)
    for warning in submit_check(scheda=arluno).warnings:  # an empty scheda filled with zeros: justified
        arluno.refresh_from_db()
        save_comment(arluno, operatore, warning.key, "Servizio non attivo nel 2025")
    scheda_transition(scheda=arluno, user=operatore, action="invia")
    page.goto(f"{live_server.url}{reverse('monitoring:scheda_detail', args=[arluno.pk])}")
    expect(page.get_by_text("Campagna NID26 2025: aperta")).to_be_visible()  # the milestones on the scheda page
    page.get_by_role("button", name="Valida").click()
    expect(page.get_by_text("Validata").first).to_be_visible()
    arluno.refresh_from_db()
    assert arluno.stato == Stato.VALIDATA

    # 3. The Ufficio presents the set to the Regione.
    detail = reverse("monitoring:campagna_detail", args=[campagna.pk])
    page.goto(f"{live_server.url}{detail}")
    page.get_by_role("button", name="Presenta alla Regione").click()
    expect(page.get_by_test_id("stato-campagna")).to_contain_text("Presentata alla Regione")
    expect(page.get_by_role("button", name="Approva")).to_have_count(0)  # only the Regione approves

    # 4. The Regione logs in and approves.
    page.context.clear_cookies()
    log_in(page, live_server, "regione.campagna", detail)
    page.get_by_role("button", name="Approva").click()
    expect(page.get_by_test_id("stato-campagna")).to_contain_text("Approvata dalla Regione")
    campagna.refresh_from_db()
    assert campagna.stato == "approvata"
    assert campagna.approvata_da.username == "regione.campagna"

    # 5. The schede of the campaign are read-only: the Ufficio gets no «Riapri», the Operatore no entry form.
    page.context.clear_cookies()
    scheda_path = reverse("monitoring:scheda_detail", args=[arluno.pk])
    log_in(page, live_server, "udp.campagna", scheda_path)
    expect(page.get_by_text("schede in sola lettura")).to_be_visible()
    expect(page.get_by_role("button", name="Riapri")).to_have_count(0)
    expect(page.get_by_role("button", name="Invia")).to_have_count(0)
    page.goto(f"{live_server.url}{reverse('monitoring:quadro', args=[arluno.pk, 1])}")
    expect(page.locator("#v-R05-N25")).to_have_count(0)
