"""Reminders of the plan's budget deadlines: the Ufficio di Piano of the plan's Ambito gets a mail at each lead time
of PROMEMORIA_FONDI_GIORNI before a fund's spending deadline (while part of it is not committed, with the quotas
at risk) and reporting deadline, never twice; not the Operatori nor another Ambito; not for demo amounts."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Ruolo
from monitoring.campaigns.fund_reminders import lead_times, plan_fund_reminders
from monitoring.campaigns.reminders import send_reminders
from monitoring.models import Promemoria
from planning.bilancio import services
from planning.models import Intervento
from tests.factories import user_with_role
from tests.planning.bilancio.conftest import assegna, remove_demo_budget, riga

pytestmark = pytest.mark.django_db

SPESA = datetime.date(2027, 6, 30)
RENDICONTO = datetime.date(2027, 9, 30)
DAY = datetime.timedelta(days=1)


def with_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def fondo(piano, settings):
    """FNPS 2025 of 10.000,00 €: a line of 6.000,00 with 2.500,00 committed (3.500,00 at risk, 4.000,00 not
    distributed); spending deadline 30/06/2027, reporting 30/09/2027. The demo budget and campaigns are removed."""
    settings.PROMEMORIA_FONDI_GIORNI = "30,7,0"
    settings.PORTAL_BASE_URL = "https://portale.example.it"
    remove_demo_budget(piano)
    a = assegna(piano, "FNPS", 2025, "10000.00", scadenza_spesa=SPESA, scadenza_rendicontazione=RENDICONTO)
    r = riga(piano, a, Intervento.objects.filter(piano=piano).order_by("pk").first(), "6000.00")
    services.movimento_add(
        riga=r, tipo="impegno", natura="nuovo", data=datetime.date(2025, 5, 1), atto="Det. 1",
        importo=Decimal("2500.00"),
    )  # fmt: skip
    return a


@pytest.fixture
def people(magentino, oglio_po, magenta):
    return {
        "udp": with_email(user_with_role("udp-fondi", Ruolo.UFFICIO_PIANO, ambito=magentino), "udp@magentino.test"),
        "operatore": with_email(user_with_role("op-fondi", Ruolo.OPERATORE, comune=magenta), "op@magenta.test"),
        "altro": with_email(user_with_role("udp-oglio", Ruolo.UFFICIO_PIANO, ambito=oglio_po), "udp@ogliopo.test"),
    }


def fund_mails():
    return [m for m in mail.outbox if "FNPS 2025" in m.subject]


def test_lead_times_come_from_the_setting(settings):
    settings.PROMEMORIA_FONDI_GIORNI = "7, 60,0,30"
    assert lead_times() == [60, 30, 7, 0]


def test_spending_deadline_mail_at_each_lead_time_to_the_ufficio_di_piano_only(fondo, people):
    assert plan_fund_reminders(SPESA - 31 * DAY) == []
    send_reminders(SPESA - 30 * DAY)
    sent = fund_mails()
    assert [m.to for m in sent] == [["udp@magentino.test"]]
    assert "FNPS 2025 (Ambito" in sent[0].subject
    assert sent[0].subject.endswith("termine per la spesa tra 30 giorni")
    text = sent[0].body
    assert "va speso entro il 30/06/2027: mancano 30 giorni" in text
    assert "impegnato: 2.500,00 €" in text
    assert "Non ancora ripartito sugli interventi: 4.000,00 €" in text
    assert "da impegnare 3.500,00 € su 6.000,00 €" in text
    assert "https://portale.example.it" + reverse("planning:bilancio_rischio", args=[fondo.piano.slug]) in text
    mail.outbox.clear()
    send_reminders(SPESA - 30 * DAY)  # the same day again
    send_reminders(SPESA - 29 * DAY)  # the step is caught up once only
    assert fund_mails() == []
    send_reminders(SPESA - 7 * DAY)
    assert [m.subject.rsplit(":", 1)[1] for m in fund_mails()] == [" termine per la spesa tra 7 giorni"]
    row = Promemoria.objects.get(tipo="fondo", passo="spesa-7")
    assert (row.destinatario, row.assegnazione, row.campagna, row.scheda) == (people["udp"], fondo, None, None)


def test_no_spending_mail_when_all_is_committed_but_the_reporting_one_goes(fondo, people):
    r = fondo.righe.get()
    services.movimento_add(
        riga=r, tipo="impegno", natura="nuovo", data=datetime.date(2025, 6, 1), atto="Det. 2",
        importo=Decimal("3500.00"),
    )  # fmt: skip
    fondo.importo = Decimal("6000.00")
    services.assegnazione_save(assegnazione=fondo)
    send_reminders(SPESA - 30 * DAY)
    assert fund_mails() == []
    send_reminders(RENDICONTO)
    sent = fund_mails()
    assert len(sent) == 1
    assert sent[0].subject.endswith("termine di rendicontazione oggi")
    assert "liquidato: 0,00 €" in sent[0].body
    assert reverse("planning:rendiconti", args=[fondo.piano.slug]) in sent[0].body


def test_demo_amounts_and_concluded_plans_send_nothing(fondo, people, piano):
    fondo.dimostrativa = True
    fondo.save(update_fields=["dimostrativa"])
    assert plan_fund_reminders(SPESA - 30 * DAY) == []
    fondo.dimostrativa = False
    fondo.save(update_fields=["dimostrativa"])
    assert len(plan_fund_reminders(SPESA - 30 * DAY)) == 1
    piano.stato = "concluso"
    piano.save(update_fields=["stato"])
    assert plan_fund_reminders(SPESA - 30 * DAY) == []


def test_my_reminders_shows_the_fund_with_a_link(fondo, people, client_for):
    send_reminders(SPESA - 30 * DAY)
    page = client_for(people["udp"]).get(reverse("monitoring:promemoria")).content.decode()
    assert "termine per la spesa tra 30 giorni" in page
    assert reverse("planning:rendiconti", args=[fondo.piano.slug]) in page
    other = client_for(people["altro"]).get(reverse("monitoring:promemoria")).content.decode()
    assert "FNPS 2025" not in other


def test_planning_the_fund_mails_takes_a_fixed_number_of_queries(fondo, people, piano, django_assert_max_num_queries):
    for code in ("FNA", "FSR", "FDN"):
        assegna(piano, code, 2025, "1000.00", scadenza_spesa=SPESA)
    with django_assert_max_num_queries(4):
        mails = plan_fund_reminders(SPESA - 30 * DAY)
    assert len(mails) == 4
