"""The demo campaigns (issue 13 point 7): NID26 and SOC26 2025 for the Magentino and the two Oglio Po sub-ambiti,
with a mix of states, one set presented to the Regione, and sent schede that pass the submit checks."""

import datetime

from monitoring.campaigns.demo import CODES, DEMO_COMMENT, SYSTEM_USERNAME, campagne_demo_load
from monitoring.campaigns.selectors import deadline
from monitoring.models import Campagna, Scheda, Stato
from monitoring.services.submit import submit_check


def _schede(campagna):
    return Scheda.objects.filter(modello=campagna.modello, comune__in=campagna.comuni.all())


def test_demo_campaigns_open_with_a_mix_of_states(db):
    campagne = Campagna.objects.filter(dimostrativa=True).select_related("ambito", "modello")
    assert sorted((c.ambito.slug, c.sigla, c.stato) for c in campagne) == [
        ("casalasco", "NID26 2025", "presentata"),
        ("casalasco", "SOC26 2025", "aperta"),
        ("magentino", "NID26 2025", "aperta"),
        ("magentino", "SOC26 2025", "aperta"),
        ("viadanese", "NID26 2025", "aperta"),
        ("viadanese", "SOC26 2025", "aperta"),
    ]
    magentino = campagne.get(ambito__slug="magentino", modello__codice="NID26")
    assert magentino.comuni.count() == 13
    due = deadline(magentino)
    assert due == datetime.date(2026, 5, 31)
    schede = list(_schede(magentino))
    sent = [s for s in schede if s.inviata_il]
    assert {s.stato for s in schede} == {Stato.BOZZA, Stato.INVIATA, Stato.VALIDATA}
    assert any(s.inviata_il.date() <= due for s in sent), "nessuna scheda inviata in tempo"
    assert any(s.inviata_il.date() > due for s in sent), "nessuna scheda inviata in ritardo"
    assert all(s.stato == Stato.VALIDATA for s in _schede(campagne.get(stato="presentata")))
    assert campagne.get(stato="presentata").history.filter(stato="presentata").exists()


def test_demo_sent_schede_pass_the_submit_checks(db):
    sent = Scheda.objects.filter(
        stato__in=[Stato.INVIATA, Stato.VALIDATA], comune__ambito__regione__nome="Lombardia", modello__codice__in=CODES
    )
    assert sent.count() > 40
    refused = [str(s) for s in sent.select_related("modello", "comune") if not submit_check(scheda=s).ok]
    assert refused == []


def test_demo_magenta_draft_untouched_and_reggio_without_campaign(db):
    magenta = Scheda.objects.get(modello__codice="NID26", comune_id="015130")
    assert magenta.stato == Stato.BOZZA
    assert magenta.valori.filter(commento=DEMO_COMMENT).count() == 0
    assert not Campagna.objects.filter(comuni="035033").exists()


def test_demo_load_is_idempotent_and_its_opener_cannot_log_in(db, django_user_model):
    before = Scheda.objects.count()
    assert campagne_demo_load() == 0
    assert Scheda.objects.count() == before
    opener = django_user_model.objects.get(username=SYSTEM_USERNAME)
    assert not opener.is_active
    assert not opener.has_usable_password()
