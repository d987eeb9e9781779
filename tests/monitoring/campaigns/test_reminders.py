"""Reminders of the campaigns: the due steps, the mails through a real SMTP server on loopback (aiosmtpd), never
twice, the weekly digest, a failing server, the daily job, «I miei promemoria» and the campaign page."""

import datetime
import email
import email.policy
import io
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Ruolo
from jobs.models import Job
from monitoring.campaigns.reminders import due_step, iso_week, schedule, send_reminders
from monitoring.campaigns.selectors import deadline
from monitoring.models import Promemoria
from tests.factories import user_with_role

from .helpers import at, open_campaign, set_states

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


# --- A real SMTP server on loopback ------------------------------------------------------------------------------


class Inbox:
    """The aiosmtpd handler: keeps every message received, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def take(self) -> list[email.message.EmailMessage]:
        messages, self.messages = self.messages, []
        return messages


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    server = SmtpServer(free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Portale Ambiti Sociali <noreply@portale.test>"
    settings.PORTAL_BASE_URL = "https://portale.example.it"
    yield server
    server.stop()


def subject(message) -> str:
    """The decoded subject (a long non-ASCII subject is folded in encoded words: unfolded here)."""
    return " ".join(str(message["Subject"]).split())


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


# --- Data ---------------------------------------------------------------------------------------------------------


def with_email(user, address: str):
    user.email = address
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def campagna(magentino, udp_user):
    """NID26 2025 of the Magentino, every scheda in draft; sending deadline 31/05/2026."""
    campagna = open_campaign(magentino, udp_user, copia_anno_precedente=False)
    set_states(campagna, "bozza", campagna.comuni.all())
    return campagna


@pytest.fixture
def operatori(magenta, arluno):
    """Two Operatori of Magenta with an address, one without, one inactive; one of Arluno."""
    magenta_1 = with_email(user_with_role("op-magenta-1", Ruolo.OPERATORE, comune=magenta), "uno@magenta.test")
    magenta_2 = with_email(user_with_role("op-magenta-2", Ruolo.OPERATORE, comune=magenta), "due@magenta.test")
    user_with_role("op-magenta-senza", Ruolo.OPERATORE, comune=magenta)
    inactive = with_email(user_with_role("op-magenta-ex", Ruolo.OPERATORE, comune=magenta), "ex@magenta.test")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    arluno_op = with_email(user_with_role("op-arluno", Ruolo.OPERATORE, comune=arluno), "op@arluno.test")
    return {"magenta_1": magenta_1, "magenta_2": magenta_2, "arluno": arluno_op}


def only_magenta_and_arluno_pending(campagna, magenta, arluno):
    """Every other Comune has sent: the due mails go to Magenta's and Arluno's Operatori only."""
    others = campagna.comuni.exclude(pk__in=[magenta.pk, arluno.pk])
    set_states(campagna, "inviata", others, at(datetime.date(2026, 5, 1)))


# --- Steps (pure) -------------------------------------------------------------------------------------------------

D = datetime.date(2026, 5, 31)


@pytest.mark.parametrize(
    ("today", "weekly", "step"),
    [
        (D - 31 * DAY, True, None),  # before the first step
        (D - 30 * DAY, True, "-30"),
        (D - 29 * DAY, True, "-30"),  # a missed day is caught up (sent once: the log)
        (D - 8 * DAY, True, "-30"),
        (D - 7 * DAY, True, "-7"),
        (D - DAY, True, "-7"),
        (D, True, "0"),
        (D + 6 * DAY, True, "0"),
        (D + 7 * DAY, True, "+7"),
        (D + 13 * DAY, True, "+7"),
        (D + 14 * DAY, True, "+14"),
        (D + 70 * DAY, True, "+70"),
        (D + 6 * DAY, False, "0"),  # without weekly reminders the last step is caught up for a week
        (D + 7 * DAY, False, None),
        (D + 14 * DAY, False, None),
    ],
)
def test_due_step(today, weekly, step):
    assert due_step(today, D, [30, 7, 0], weekly) == step


def test_due_step_with_other_offsets():
    assert due_step(D - 15 * DAY, D, [15], False) == "-15"
    assert due_step(D - 14 * DAY, D, [15], False) == "-15"
    assert due_step(D - 8 * DAY, D, [15], False) is None  # a week after the only step, no weekly ones
    assert due_step(D + 7 * DAY, D, [15], True) == "+7"
    assert iso_week(datetime.date(2026, 5, 25)) == "2026-W22"


# --- Sending through SMTP -----------------------------------------------------------------------------------------


def test_the_run_on_the_offset_day_sends_exactly_the_due_mails_and_not_again(
    smtp, campagna, operatori, magenta, arluno
):
    assert deadline(campagna) == D
    only_magenta_and_arluno_pending(campagna, magenta, arluno)
    set_states(campagna, "inviata", [arluno], at(D - 10 * DAY))  # Arluno has sent: no mail to its Operatore
    summary = send_reminders(D - 7 * DAY)
    messages = smtp.inbox.take()
    assert sorted(m["To"] for m in messages) == ["due@magenta.test", "uno@magenta.test"]
    assert {subject(m) for m in messages} == {
        "[Portale Ambiti] Scheda NID26 2025 di Magenta: scadenza di invio tra 7 giorni"
    }
    assert {m["From"] for m in messages} == {"Portale Ambiti Sociali <noreply@portale.test>"}
    text = body(messages[0])
    assert "la scheda NID26 2025" in text
    assert "del Comune di Magenta (Ambito del Magentino) non è ancora stata inviata" in text
    assert "La scadenza di invio è il 31/05/2026: mancano 7 giorni." in text
    scheda = campagna.promemoria.first().scheda
    assert f"https://portale.example.it{scheda.get_absolute_url()}" in text
    assert "https://portale.example.it" + reverse("monitoring:promemoria") in text
    assert len(summary.inviati) == 2

    logged = Promemoria.objects.filter(campagna=campagna)
    assert sorted(logged.values_list("email", "passo", "scheda__comune__nome")) == [
        ("due@magenta.test", "-7", "Magenta"),
        ("uno@magenta.test", "-7", "Magenta"),
    ]

    again = send_reminders(D - 7 * DAY)  # a second run the same day
    assert smtp.inbox.take() == []
    assert (len(again.inviati), again.gia_inviati) == (0, 2)
    send_reminders(D - 6 * DAY)  # the next day: the step «-7» was sent
    assert smtp.inbox.take() == []
    assert logged.count() == 2


def test_on_the_day_and_weekly_while_overdue(smtp, campagna, operatori, magenta, arluno):
    only_magenta_and_arluno_pending(campagna, magenta, arluno)
    send_reminders(D)
    subjects = sorted(subject(m) for m in smtp.inbox.take())
    assert subjects == [
        "[Portale Ambiti] Scheda NID26 2025 di Arluno: la scadenza di invio è oggi",
        "[Portale Ambiti] Scheda NID26 2025 di Magenta: la scadenza di invio è oggi",
        "[Portale Ambiti] Scheda NID26 2025 di Magenta: la scadenza di invio è oggi",
    ]
    set_states(campagna, "inviata", [arluno], at(D + 3 * DAY))  # Arluno sends late
    send_reminders(D + 3 * DAY)
    assert smtp.inbox.take() == []
    send_reminders(D + 7 * DAY)
    messages = smtp.inbox.take()
    assert sorted(m["To"] for m in messages) == ["due@magenta.test", "uno@magenta.test"]
    assert (
        subject(messages[0]) == "[Portale Ambiti] Scheda NID26 2025 di Magenta: scheda non inviata, scaduta da 7 giorni"
    )
    assert "La scadenza di invio era il 31/05/2026: la scheda è in ritardo di 7 giorni." in body(messages[0])
    send_reminders(D + 10 * DAY)
    assert smtp.inbox.take() == []
    send_reminders(D + 14 * DAY)
    assert len(smtp.inbox.take()) == 2
    campagna.promemoria_settimanali = False
    campagna.save(update_fields=["promemoria_settimanali"])
    send_reminders(D + 21 * DAY)
    assert smtp.inbox.take() == []
    assert set(Promemoria.objects.values_list("passo", flat=True)) == {"0", "+7", "+14"}


def test_no_mails_for_approved_presented_or_demo_campaigns(smtp, campagna, operatori):
    for stato, demo in (("presentata", False), ("approvata", False), ("aperta", True)):
        type(campagna).objects.filter(pk=campagna.pk).update(stato=stato, dimostrativa=demo)
        send_reminders(D)
        assert smtp.inbox.take() == [], stato
    assert not Promemoria.objects.exists()


def test_the_weekly_digest_goes_once_a_week_to_the_ufficio_di_piano(
    smtp, campagna, operatori, magenta, arluno, udp_user, udp_oglio
):
    with_email(udp_user, "udp@magentino.test")
    with_email(udp_oglio, "udp@oglio.test")  # no campaign in the Oglio Po: no digest
    only_magenta_and_arluno_pending(campagna, magenta, arluno)
    set_states(campagna, "inviata", [arluno], at(D + 2 * DAY))  # late
    monday = datetime.date(2026, 6, 8)  # D + 8: step «+7» caught up, week 24
    send_reminders(monday)
    digests = [m for m in smtp.inbox.take() if m["To"] == "udp@magentino.test"]
    assert len(digests) == 1
    assert (
        subject(digests[0]) == "[Portale Ambiti] Riepilogo settimanale delle campagne SOSE (settimana del 08/06/2026)"
    )
    text = body(digests[0])
    assert "Campagna NID26 2025 — Ambito del Magentino" in text
    assert "Scadenza di invio: 31/05/2026" in text
    assert (
        "Schede attese: 13; inviate: 12 (tasso di invio 92,3%); inviate in tempo: 11 (tasso di puntualità 84,6%)"
        in text
    )
    assert "Non ancora inviate (1):\n- Magenta (scaduta): https://portale.example.it/" in text
    assert "Inviate in ritardo:\n- Arluno, il 02/06/2026" in text
    assert f"https://portale.example.it{campagna.get_absolute_url()}" in text
    assert Promemoria.objects.get(tipo="riepilogo").passo == "2026-W24"

    send_reminders(monday + 2 * DAY)  # the same week
    assert smtp.inbox.take() == []
    send_reminders(monday + 7 * DAY)  # next week
    assert [m["To"] for m in smtp.inbox.take() if "Riepilogo" in subject(m)] == ["udp@magentino.test"]


def test_a_failing_server_logs_nothing_and_a_later_run_sends(smtp, campagna, operatori, magenta, arluno):
    only_magenta_and_arluno_pending(campagna, magenta, arluno)
    smtp.stop()
    summary = send_reminders(D - 7 * DAY)
    assert summary.errori
    assert "server di posta non raggiungibile" in summary.errori[0]
    assert summary.non_inviati == 3
    assert not Promemoria.objects.exists()
    with pytest.raises(Exception, match="3 promemoria non inviati"):
        call_command("invia_promemoria", "--data", str(D - 6 * DAY), stdout=io.StringIO(), stderr=io.StringIO())
    smtp.start()
    later = send_reminders(D - 6 * DAY)  # the next day: the step «-7» is still due
    assert len(later.inviati) == 3
    assert len(smtp.inbox.take()) == 3
    assert Promemoria.objects.count() == 3


def test_the_server_dropping_mid_run_rolls_back_the_mail_it_refused(smtp, campagna, operatori, magenta, arluno):
    only_magenta_and_arluno_pending(campagna, magenta, arluno)
    calls = {"n": 0}

    async def flaky(server, session, envelope):
        calls["n"] += 1
        if calls["n"] == 2:
            return "451 Errore temporaneo del server"
        smtp.inbox.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    smtp.inbox.handle_DATA = flaky
    summary = send_reminders(D)
    assert len(summary.inviati) == 1
    assert summary.non_inviati == 2
    assert Promemoria.objects.count() == 1  # the refused mail and the rest: not logged
    send_reminders(D + DAY)
    assert Promemoria.objects.count() == 3
    assert len(smtp.inbox.take()) == 3


def test_dry_run_lists_and_sends_nothing(smtp, campagna, operatori, magenta, arluno):
    only_magenta_and_arluno_pending(campagna, magenta, arluno)
    out = io.StringIO()
    call_command("invia_promemoria", "--data", "2026-05-24", "--prova", stdout=out)
    assert (
        "uno@magenta.test: [Portale Ambiti] Scheda NID26 2025 di Magenta: scadenza di invio tra 7 giorni"
        in out.getvalue()
    )
    assert "3 da inviare" in out.getvalue()
    assert smtp.inbox.take() == []
    assert not Promemoria.objects.exists()


# --- The daily job --------------------------------------------------------------------------------------------------


def test_the_scheduler_asks_for_one_job_a_day_after_the_hour(settings, dummy_tasks):
    settings.PROMEMORIA_ORA = 7
    day = datetime.date(2026, 5, 24)
    assert schedule(at(day, 6)) is None
    first = schedule(at(day, 8))
    second = schedule(at(day, 9))  # another round, or another scheduler
    assert first.pk == second.pk
    assert Job.objects.filter(kind="promemoria").count() == 1
    assert first.chiave == "promemoria-2026-05-24"
    assert first.parametri == {"giorno": "2026-05-24"}
    assert first.task_id  # enqueued
    assert schedule(at(day + DAY, 7)).chiave == "promemoria-2026-05-25"


def test_the_job_sends_through_the_queue(smtp, settings, campagna, operatori, magenta, arluno, monkeypatch):
    """Test settings run the queue's tasks at once (ImmediateBackend): the scheduler's job sends the mails."""
    only_magenta_and_arluno_pending(campagna, magenta, arluno)
    now = at(D - 7 * DAY, 8)
    monkeypatch.setattr(timezone, "now", lambda: now)
    out = io.StringIO()
    call_command("pianifica_promemoria", "--once", stdout=out)
    job = Job.objects.get(kind="promemoria")
    assert job.stato == "pronto", job.errore
    assert job.esito == "Promemoria del 24/05/2026: 3 inviati, 0 già inviati"
    assert len(smtp.inbox.take()) == 3
    call_command("pianifica_promemoria", "--once", stdout=io.StringIO())
    assert Job.objects.filter(kind="promemoria").count() == 1
    assert smtp.inbox.take() == []


@pytest.fixture
def dummy_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


# --- Pages --------------------------------------------------------------------------------------------------------


def test_my_reminders_lists_only_my_own(smtp, client_for, campagna, operatori, magenta, arluno):
    only_magenta_and_arluno_pending(campagna, magenta, arluno)
    send_reminders(D - 7 * DAY)
    client = client_for(operatori["magenta_1"])
    page = client.get(reverse("monitoring:promemoria")).content.decode()
    assert "Promemoria ricevuti (1)" in page
    assert "Scheda NID26 2025 di Magenta: scadenza di invio tra 7 giorni" in page
    assert "mancano 7 giorni" in page
    assert "24/05/2026" in page or timezone.localdate().strftime("%d/%m/%Y") in page
    assert "Arluno" not in page
    assert f'href="{reverse("monitoring:promemoria")}"' in page  # in the user menu
    other = client_for(operatori["arluno"]).get(reverse("monitoring:promemoria")).content.decode()
    assert "Scheda NID26 2025 di Arluno" in other
    assert "Magenta:" not in other


def test_my_reminders_is_paginated_with_few_queries(
    client_for, campagna, operatori, magenta, django_assert_max_num_queries
):
    user = operatori["magenta_1"]
    scheda = campagna.promemoria.model.scheda.field.related_model.objects.get(modello=campagna.modello, comune=magenta)
    Promemoria.objects.bulk_create(
        Promemoria(
            destinatario=user,
            email=user.email,
            tipo="promemoria",
            campagna=campagna,
            scheda=scheda,
            passo=f"+{7 * i}",
            oggetto=f"Promemoria {i}",
            testo="testo",
        )
        for i in range(1, 26)
    )
    client = client_for(user)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("monitoring:promemoria")).content.decode()
    assert "Pagina 1 di 2" in first
    second = client.get(reverse("monitoring:promemoria"), {"pagina": 2}).content.decode()
    assert "Pagina 2 di 2" in second


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("monitoring:promemoria"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_campaign_page_counts_the_reminders_per_step(
    smtp, client_for, campagna, operatori, magenta, arluno, udp_user, udp_oglio
):
    only_magenta_and_arluno_pending(campagna, magenta, arluno)
    send_reminders(D - 7 * DAY)
    send_reminders(D)
    page = client_for(udp_user).get(campagna.get_absolute_url()).content.decode()
    assert "Promemoria inviati" in page
    assert "7 giorni prima" in page
    assert "giorno della scadenza" in page
    assert client_for(udp_oglio).get(campagna.get_absolute_url()).status_code == 404
    operatore_page = client_for(operatori["magenta_1"]).get(campagna.get_absolute_url())
    if operatore_page.status_code == 200:
        assert "Promemoria inviati" not in operatore_page.content.decode()
