"""Jobs whose worker died: noticed and run again, at most JOBS_MAX_ATTEMPTS attempts in all, then failed.

`requeue_stale()` (the `jobs_watchdog` command every 15 s, and the status view for the polled job):
- a job «in corso» whose heartbeat is older than JOBS_HEARTBEAT_TIMEOUT seconds: its worker was killed or
  crashed (restart, out of memory) — the heartbeat thread beats every JOBS_HEARTBEAT_INTERVAL seconds;
- a job «in coda» for longer than that whose task the backend reports failed, finished, running or unknown
  (a worker that died before claiming it, a lost queue), not one still waiting for a free worker.
Each is enqueued again as a new attempt (conditional UPDATE: two watchdogs never both requeue it); after the last
attempt the job ends «errore» with the reason.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from .models import Job
from .services import enqueue

logger = logging.getLogger(__name__)


def _stopped_message(job: Job) -> str:
    return (
        f"Il processo di lavoro si è interrotto {job.tentativi} volte durante «{job.titolo}» "
        "(riavvio o arresto del servizio, memoria esaurita): il lavoro è stato fermato. "
        "Riprovi con il pulsante «Riprova»; se si ripete, lo segnali agli amministratori."
    )


def _task_lost(job: Job) -> bool:
    """Whether the queued task of `job` will never run (the backend says so, or does not know it)."""
    if not job.task_id:
        return True
    backend = default_task_backend
    if not backend.supports_get_result:
        return False
    try:
        result = backend.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return True
    except Exception:  # the backend cannot answer now (Redis down): ask again at the next round
        logger.warning("Stato del task %s non disponibile", job.task_id, exc_info=True)
        return False
    return result.status != TaskResultStatus.READY


def _requeue_or_fail(job: Job) -> str:
    same = Job.objects.filter(pk=job.pk, stato=job.stato, tentativi=job.tentativi)
    if job.tentativi >= settings.JOBS_MAX_ATTEMPTS:
        same.update(stato=Job.Stato.ERRORE, errore=_stopped_message(job), completato_il=timezone.now())
        logger.error("Lavoro %s fermato dopo %s tentativi", job.pk, job.tentativi)
        return "fermato"
    attempt = job.tentativi + 1
    if not same.update(stato=Job.Stato.IN_CODA, tentativi=attempt, battito_il=None, accodato_il=timezone.now()):
        return "già gestito"
    logger.warning("Lavoro %s: processo di lavoro interrotto, tentativo %s accodato", job.pk, attempt)
    enqueue(job.pk, attempt)
    return "riaccodato"


def requeue_stale(jobs: QuerySet[Job] | None = None) -> list[tuple[int, str]]:
    """Requeue (or fail) the stale jobs among `jobs` (all by default); [(job id, what was done)]."""
    jobs = Job.objects.all() if jobs is None else jobs
    limit = timezone.now() - timedelta(seconds=settings.JOBS_HEARTBEAT_TIMEOUT)
    done = []
    for job in jobs.filter(stato=Job.Stato.IN_CORSO, battito_il__lt=limit):
        done.append((job.pk, _requeue_or_fail(job)))
    for job in jobs.filter(stato=Job.Stato.IN_CODA, accodato_il__lt=limit):
        if _task_lost(job):
            done.append((job.pk, _requeue_or_fail(job)))
    return done
