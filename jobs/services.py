"""Asking for a job: one job per data fingerprint (a unique `chiave`), enqueued once, its requesters recorded.

`request_job(...)` is what a view calls: get-or-create on the unique key (the loser of a race catches the
IntegrityError and reads the winner's row: never check-then-create), the user added to its requesters, the task
enqueued only by the request that created the job (or that restarts a job whose file has gone).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import registry
from .models import Job, Richiesta
from .storage import file_ok
from .tasks import run_job

logger = logging.getLogger(__name__)

ENQUEUE_FAILED = (
    "Il servizio dei lavori in background non è raggiungibile: il lavoro non è stato avviato. "
    "Riprovi fra qualche minuto; se il problema continua, lo segnali agli amministratori."
)


def enqueue(job_id: int, attempt: int) -> None:
    """Enqueue attempt `attempt` of the job and record the task id; a queue that cannot be reached fails the job."""
    try:
        result = run_job.enqueue(job_id, attempt)
    except Exception:
        logger.exception("Lavoro %s: accodamento non riuscito", job_id)
        Job.objects.filter(pk=job_id, tentativi=attempt, stato=Job.Stato.IN_CODA).update(
            stato=Job.Stato.ERRORE, errore=ENQUEUE_FAILED, completato_il=timezone.now()
        )
        return
    Job.objects.filter(pk=job_id, tentativi=attempt).update(task_id=str(result.id)[:64])


def _get_or_create(chiave: str, fields: dict[str, Any]) -> tuple[Job, bool]:
    try:
        with transaction.atomic():
            return Job.objects.create(chiave=chiave, tentativi=1, accodato_il=timezone.now(), **fields), True
    except IntegrityError:
        return Job.objects.get(chiave=chiave), False


def record_request(job: Job, user) -> None:
    """`user` asked for `job` now (listed in «I miei report»)."""
    if user is None or not user.is_authenticated:
        return
    now = timezone.now()
    if Richiesta.objects.filter(job=job, utente=user).update(richiesto_il=now):
        return
    try:
        with transaction.atomic():
            Richiesta.objects.create(job=job, utente=user, richiesto_il=now)
    except IntegrityError:  # the same user's other request, at the same moment
        pass


def request_job(
    *,
    kind: str,
    chiave: str,
    titolo: str,
    user=None,
    parametri: dict[str, Any] | None = None,
    nome_file: str = "",
    content_type: str = "",
    back_url: str = "",
    start: bool = True,
) -> Job:
    """The job for the key `chiave`, created and enqueued if new (`start=False`: created, not enqueued)."""
    registry.get(kind)  # an unknown kind fails here, in the request, not in the worker
    fields = {
        "kind": kind,
        "titolo": titolo[:300],
        "nome_file": nome_file,
        "content_type": content_type,
        "parametri": parametri or {},
        "back_url": back_url[:300],
    }
    job, created = _get_or_create(chiave, fields)
    record_request(job, user)
    if created and start:
        enqueue(job.pk, 1)
    elif not created and start and job.stato == Job.Stato.PRONTO and job.nome_file and not file_ok(job):
        restart(job, from_state=Job.Stato.PRONTO)  # the file was removed (cleanup): made again
    job.refresh_from_db()
    return job


def restart(job: Job, *, from_state: str = Job.Stato.ERRORE) -> bool:
    """Start the job again from its first attempt (the «Riprova» button); False if it was not in `from_state`."""
    updated = Job.objects.filter(pk=job.pk, stato=from_state).update(
        stato=Job.Stato.IN_CODA,
        tentativi=1,
        errore="",
        esito="",
        passo=0,
        passi=0,
        descrizione_passo="",
        battito_il=None,
        accodato_il=timezone.now(),
        avviato_il=None,
        completato_il=None,
        task_id="",
    )
    if updated:
        enqueue(job.pk, 1)
    return bool(updated)
