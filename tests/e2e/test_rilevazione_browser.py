"""In Chromium: record an indicator value in the open quarterly snapshot (2025-T2) and see the area's progress
change on the progress page."""

import re

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from monitoring.models import Rilevazione
from tests.e2e.conftest import log_in
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recording_an_indicator_value_changes_the_area_progress(live_server, page, demo_magentino):
    user_with_role("udp.monitoraggio", Ruolo.UFFICIO_PIANO, ambito=demo_magentino)
    t2 = Rilevazione.objects.get(piano__slug="magentino-2025-2027", anno=2025, trimestre=2)
    voce = (
        t2.valori_indicatori.filter(valore__isnull=True, indicatore__intervento__obiettivo__area__codice="B")
        .select_related("indicatore__intervento")
        .first()
    )
    intervento = voce.indicatore.intervento.titolo

    avanzamento = reverse("monitoring:avanzamento", args=["magentino-2025-2027"])
    log_in(page, live_server, "udp.monitoraggio", avanzamento)
    area_b = page.get_by_test_id("area-B")
    before = area_b.get_by_test_id("indicatori-rilevati").inner_text()
    match = re.search(r"Indicatori rilevati: (\d+) di (\d+)", before)
    rilevati, totale = int(match.group(1)), int(match.group(2))
    media_before = area_b.get_by_test_id("media-target").inner_text()

    page.get_by_role("link", name="Compila 2025-T2").click()
    page.get_by_role("link", name="Area B").click()
    page.wait_for_url("**/compila/?area=*")
    field = page.get_by_label(re.compile(r"^Valore rilevato: .*" + re.escape(intervento[:40])))
    field.fill("1.000")
    page.get_by_label(re.compile(r"^Commento: .*" + re.escape(intervento[:40]))).fill("Rilevato dal Servizio sociale")
    page.get_by_role("button", name="Salva la rilevazione").click()
    page.wait_for_load_state()
    assert "Rilevazione salvata" in page.content()

    page.get_by_role("link", name="Avanzamento per area").click()
    page.wait_for_url(f"**{avanzamento}")
    area_b = page.get_by_test_id("area-B")
    assert (
        area_b.get_by_test_id("indicatori-rilevati")
        .inner_text()
        .startswith(f"Indicatori rilevati: {rilevati + 1} di {totale}")
    )
    assert area_b.get_by_test_id("media-target").inner_text() != media_before
    voce.refresh_from_db()
    assert voce.valore == 1000
    assert voce.commento == "Rilevato dal Servizio sociale"
