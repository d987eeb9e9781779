"""Reminders of the SOSE campaigns (issue 13): e-mails in Italian to the Operatori of each Comune whose scheda is
not sent, and a weekly digest to the Ufficio di Piano; with them, the reminders of the plan's budget deadlines to
the Ufficio di Piano (monitoring.campaigns.fund_reminders, same steps and log).

- Steps. A campaign's reminders follow its sending deadline (Scadenza «invio»): one step per offset of
  `Campagna.promemoria_giorni` («-30», «-7», «0»: days before the deadline) and, with
  `promemoria_settimanali`, one step every 7 days after it while the scheda is not sent («+7», «+14»…).
  `due_step` is the pure rule: the step due today is the latest step whose day has come; it stays due until the
  next step's day, so a day the scheduler did not run is caught up (once: a step is logged when sent). The last
  step of a campaign without weekly reminders is caught up for at most CATCH_UP_DAYS days. A campaign opened late
  (10 days before the deadline) sends its latest step at once («-30»), with the real days left in the text.
- Who. The active users with an Operatore assignment on the scheda's Comune and an e-mail address; the schede
  not sent (stato other than inviata/validata) of the campaigns «aperta» or «restituita», not demo campaigns
  (`dimostrativa`: their Comuni are real, their data are not). The digest goes, once per ISO week (the first run
  of the week: Monday's with the daily scheduler), to the Ufficio di Piano of every Ambito with such a campaign:
  per campaign the completeness figures and the Comuni not sent or late, with links.
- Never twice. Each mail is a `Promemoria` row, inserted before sending in the same transaction: the database's
  unique constraints (recipient, campaign, scheda, step; recipient and week for the digest) make a second run, or
  a second process at the same moment, skip it. A mail that the server refuses rolls its row back: a later run
  sends it (the error is logged and reported in the summary).
- When. `manage.py pianifica_promemoria` (a loop beside the worker) asks once a day, from PROMEMORIA_ORA, for the
  job «promemoria-YYYY-MM-DD» of the task queue (jobs: one job per key, however many schedulers race); the
  worker runs `send_reminders`. Cron can run `manage.py invia_promemoria` instead.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Assegnazione, Ruolo
from jobs import registry
from jobs.models import Job
from jobs.services import request_job

from ..models import Scheda
from .fund_reminders import plan_fund_reminders
from .models import Campagna, Promemoria, Scadenza, StatoCampagna, TipoPromemoria
from .selectors import SENT_STATES, campagna_rows, completeness, deadline

logger = logging.getLogger(__name__)

ACTIVE_STATES = (StatoCampagna.APERTA, StatoCampagna.RESTITUITA)
SUBJECT_PREFIX = "[Portale Ambiti]"
CATCH_UP_DAYS = 7
JOB_KIND = "promemoria"


# --- Steps (pure) ----------------------------------------------------------------------------------------------


def step_key(days_after_deadline: int) -> str:
    """«-30», «-7», «0», «+7»: the step's day relative to the sending deadline."""
    return f"{days_after_deadline:+d}" if days_after_deadline else "0"


def due_step(today: datetime.date, scadenza: datetime.date, offsets: list[int], weekly: bool) -> str | None:
    """The step of the reminders due `today` for a sending deadline `scadenza`, or None.

    Steps: scadenza − offset for each offset (days before), then, with `weekly`, scadenza + 7, + 14… The due step
    is the latest one whose day is today or past (a missed day is caught up until the next step's day); the last
    step, when no weekly step follows, only for CATCH_UP_DAYS days."""
    days = sorted({-o for o in offsets if o >= 0})  # days after the deadline, ascending
    if weekly:
        weeks = max(0, (today - scadenza).days // 7)
        days += [7 * k for k in range(1, weeks + 2)]  # up to the first weekly step still to come
    steps = [scadenza + datetime.timedelta(days=d) for d in days]
    past = [i for i, day in enumerate(steps) if day <= today]
    if not past:
        return None
    last = past[-1]
    if last == len(steps) - 1 and (today - steps[last]).days >= CATCH_UP_DAYS:
        return None  # the campaign's last step, more than a week ago
    return step_key(days[last])


def iso_week(day: datetime.date) -> str:
    """«2026-W22»: the step of the weekly digest."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# --- Planning the mails -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    """One e-mail to send: its log row's fields and the text."""

    user: Any
    tipo: str
    passo: str
    oggetto: str
    testo: str
    campagna: Campagna | None = None
    scheda: Scheda | None = None
    assegnazione: Any = None  # planning.Assegnazione, for a fund's deadline (fund_reminders)

    @property
    def email(self) -> str:
        return self.user.email.strip()

    def key(self) -> tuple:
        campagna = self.campagna.pk if self.campagna else None
        assegnazione = self.assegnazione.pk if self.assegnazione else None
        return (self.user.pk, str(self.tipo), campagna, self.scheda_id, assegnazione, self.passo)

    @property
    def scheda_id(self) -> int | None:
        return self.scheda.pk if self.scheda else None


def absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def active_campagne():
    return (
        Campagna.objects.filter(stato__in=ACTIVE_STATES, dimostrativa=False)
        .select_related("ambito", "modello")
        .prefetch_related(Prefetch("scadenze", queryset=Scadenza.objects.order_by("data")))
        .order_by("ambito__nome", "modello__codice")
    )


def _users_by(field_name: str, ruolo: str, ids) -> dict[Any, list]:
    """The active users with an e-mail address and the assignment `ruolo` on the Comuni/Ambiti `ids`, by id."""
    found: dict[Any, list] = defaultdict(list)
    assegnazioni = (
        Assegnazione.objects.filter(ruolo=ruolo, **{f"{field_name}_id__in": list(ids)}, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    )
    for a in assegnazioni:
        found[getattr(a, f"{field_name}_id")].append(a.user)
    return found


def _subject(campagna: Campagna, scheda: Scheda, giorni: int) -> str:
    comune = scheda.comune.nome
    if giorni > 0:
        when = f"scadenza di invio tra {giorni} giorn{'o' if giorni == 1 else 'i'}"
    elif giorni == 0:
        when = "la scadenza di invio è oggi"
    else:
        when = f"scheda non inviata, scaduta da {-giorni} giorn{'o' if giorni == -1 else 'i'}"
    return f"{SUBJECT_PREFIX} Scheda {campagna.sigla} di {comune}: {when}"


def plan_reminders(today: datetime.date, campagne: list[Campagna]) -> list[Mail]:
    """The reminders due today to the Operatori, one per user, unsent scheda and due step."""
    due: list[tuple[Campagna, str, datetime.date]] = []
    for campagna in campagne:
        invio = deadline(campagna)
        passo = due_step(today, invio, campagna.offsets(), campagna.promemoria_settimanali) if invio else None
        if passo and invio:
            due.append((campagna, passo, invio))
    if not due:
        return []
    schede_of: dict[int, list[Scheda]] = {}
    for campagna, _passo, _invio in due:
        schede_of[campagna.pk] = list(
            Scheda.objects.filter(modello_id=campagna.modello_id, comune__campagne=campagna)
            .exclude(stato__in=SENT_STATES)
            .select_related("comune", "modello")
            .order_by("comune__nome")
        )
    operatori = _users_by("comune", Ruolo.OPERATORE, {s.comune_id for ss in schede_of.values() for s in ss})
    mails = []
    url_promemoria = absolute(reverse("monitoring:promemoria"))
    for campagna, passo, invio in due:
        giorni = (invio - today).days
        for scheda in schede_of[campagna.pk]:
            for user in operatori.get(scheda.comune_id, []):
                context = {
                    "user": user,
                    "nome": user.get_full_name() or user.username,
                    "campagna": campagna,
                    "scheda": scheda,
                    "comune": scheda.comune.nome,
                    "scadenza": invio,
                    "giorni": giorni,
                    "ritardo": -giorni,
                    "url": absolute(scheda.get_absolute_url()),
                    "url_promemoria": url_promemoria,
                }
                mails.append(
                    Mail(
                        user=user,
                        tipo=TipoPromemoria.PROMEMORIA,
                        passo=passo,
                        oggetto=_subject(campagna, scheda, giorni),
                        testo=render_to_string("monitoring/campaigns/email/promemoria.txt", context),
                        campagna=campagna,
                        scheda=scheda,
                    )
                )
    return mails


@dataclass
class CampagnaDigest:
    campagna: Campagna
    scadenza: datetime.date | None
    figures: Any
    non_inviate: list
    url: str

    @property
    def tardive(self) -> list:
        """The schede sent after the deadline."""
        return [r for r in self.figures.in_ritardo if r.inviata]


def plan_digests(today: datetime.date, campagne: list[Campagna]) -> list[Mail]:
    """The weekly digest to each member of the Ufficio di Piano of the Ambiti with an active campaign."""
    if not campagne:
        return []
    passo = iso_week(today)
    by_ambito: dict[int, list[CampagnaDigest]] = defaultdict(list)
    for campagna in campagne:
        rows = campagna_rows(campagna)
        by_ambito[campagna.ambito_id].append(
            CampagnaDigest(
                campagna=campagna,
                scadenza=deadline(campagna),
                figures=completeness(rows, today),
                non_inviate=[
                    (r, absolute(r.scheda.get_absolute_url()) if r.scheda else "") for r in rows if not r.inviata
                ],
                url=absolute(campagna.get_absolute_url()),
            )
        )
    users: dict[int, Any] = {}
    sections: dict[int, list[CampagnaDigest]] = defaultdict(list)
    for ambito_id, members in _users_by("ambito", Ruolo.UFFICIO_PIANO, by_ambito).items():
        for user in members:
            users[user.pk] = user
            sections[user.pk] += by_ambito[ambito_id]
    monday = today - datetime.timedelta(days=today.weekday())
    mails = []
    for user_id, user in users.items():
        context = {
            "nome": user.get_full_name() or user.username,
            "campagne": sections[user_id],
            "oggi": today,
            "lunedi": monday,
            "url_promemoria": absolute(reverse("monitoring:promemoria")),
        }
        mails.append(
            Mail(
                user=user,
                tipo=TipoPromemoria.RIEPILOGO,
                passo=passo,
                oggetto=f"{SUBJECT_PREFIX} Riepilogo settimanale delle campagne SOSE (settimana del {monday:%d/%m/%Y})",
                testo=render_to_string("monitoring/campaigns/email/riepilogo.txt", context),
            )
        )
    return mails


def _already_sent(mails: list[Mail]) -> set[tuple]:
    """The keys of the planned mails that a run has already logged (the constraint still guards a race)."""
    if not mails:
        return set()
    rows = Promemoria.objects.filter(
        destinatario__in={m.user.pk for m in mails}, passo__in={m.passo for m in mails}
    ).values_list("destinatario_id", "tipo", "campagna_id", "scheda_id", "assegnazione_id", "passo")
    return set(rows)


def sent_by_step(campagna: Campagna) -> list[dict[str, Any]]:
    """The reminders of a campaign sent so far, per step: {"passo", "n", "ultimo"} (for the campaign page)."""
    rows = (
        Promemoria.objects.filter(campagna=campagna)
        .values("passo")
        .annotate(n=Count("id"), primo=Min("inviato_il"), ultimo=Max("inviato_il"))
        .order_by("primo")
    )
    return list(rows)


# --- Sending ------------------------------------------------------------------------------------------------------


@dataclass
class Summary:
    """What a run did: mails sent, skipped because already sent, not sent because of an error."""

    giorno: datetime.date
    inviati: list[Mail] = field(default_factory=list)
    gia_inviati: int = 0
    non_inviati: int = 0
    errori: list[str] = field(default_factory=list)
    prova: bool = False

    def __str__(self) -> str:
        verb = "da inviare" if self.prova else "inviati"
        text = f"Promemoria del {self.giorno:%d/%m/%Y}: {len(self.inviati)} {verb}, {self.gia_inviati} già inviati"
        if self.errori:
            text += f", {self.non_inviati} non inviati per errore ({'; '.join(self.errori)[:200]})"
        return text


def _refused(exc: BaseException) -> bool:
    """The server refused this recipient only: the other mails can still go."""
    return isinstance(exc, smtplib.SMTPRecipientsRefused)


def send_reminders(today: datetime.date | None = None, *, dry_run: bool = False) -> Summary:
    """Send the reminders and digests due `today` (default: today) that were not sent yet; `dry_run` lists them."""
    today = today or timezone.localdate()
    summary = Summary(giorno=today, prova=dry_run)
    campagne = list(active_campagne())
    planned = plan_reminders(today, campagne) + plan_digests(today, campagne) + plan_fund_reminders(today)
    sent = _already_sent(planned)
    todo = [m for m in planned if m.key() not in sent]
    summary.gia_inviati = len(planned) - len(todo)
    if dry_run or not todo:
        summary.inviati = todo if dry_run else []
        return summary
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:
        logger.exception("Promemoria: server di posta non raggiungibile")
        summary.errori.append(f"server di posta non raggiungibile: {exc}")
        summary.non_inviati = len(todo)
        return summary
    try:
        for index, mail in enumerate(todo):
            try:
                if _send_one(mail, connection):
                    summary.inviati.append(mail)
                else:
                    summary.gia_inviati += 1
            except Exception as exc:
                logger.exception("Promemoria «%s» a %s non inviato", mail.oggetto, mail.email)
                summary.errori.append(f"{mail.email}: {exc}")
                summary.non_inviati += 1
                if not _refused(exc):  # the server is gone: the rest waits for a later run
                    summary.non_inviati += len(todo) - index - 1
                    break
    finally:
        try:
            connection.close()
        except Exception:  # a server already gone
            logger.warning("Promemoria: chiusura della connessione al server di posta non riuscita")
    logger.info("%s", summary)
    return summary


def _send_one(mail: Mail, connection) -> bool:
    """Log the mail, then send it, in one transaction; False when it was logged already (another run)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                Promemoria.objects.create(
                    destinatario=mail.user,
                    email=mail.email,
                    tipo=mail.tipo,
                    campagna=mail.campagna,
                    scheda=mail.scheda,
                    assegnazione=mail.assegnazione,
                    passo=mail.passo,
                    oggetto=mail.oggetto[:250],
                    testo=mail.testo,
                )
        except IntegrityError:
            return False
        EmailMessage(mail.oggetto, mail.testo, to=[mail.email], connection=connection).send()
    logger.info("Promemoria «%s» inviato a %s", mail.oggetto, mail.email)
    return True


# --- The daily job ------------------------------------------------------------------------------------------------


def run_job(parametri: dict[str, Any], out: Path, progress: registry.Progress) -> str:
    """The job «promemoria»: the day's sending; a failed sending fails the job (shown with the error)."""
    progress(0, 1, "Invio dei promemoria")
    summary = send_reminders(datetime.date.fromisoformat(parametri["giorno"]))
    if summary.errori:
        raise RuntimeError(str(summary))
    return str(summary)


def register_kind() -> None:
    registry.register(
        JOB_KIND,
        run=run_job,
        allowed=registry.superusers_only,
        label="Promemoria delle campagne SOSE",
        produces_file=False,
    )


def schedule(now: datetime.datetime | None = None) -> Job | None:
    """The day's job of the reminders, asked for once PROMEMORIA_ORA has come (None before): one per day."""
    local = timezone.localtime(now)
    if local.hour < settings.PROMEMORIA_ORA:
        return None
    day = local.date()
    return request_job(
        kind=JOB_KIND,
        chiave=f"promemoria-{day.isoformat()}",
        titolo=f"Promemoria delle campagne SOSE del {day:%d/%m/%Y}",
        parametri={"giorno": day.isoformat()},
    )
