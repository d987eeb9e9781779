"""Running a job in the worker: claim it, run its kind with a progress callback and a heartbeat, write the file
atomically, record the outcome.

- The claim is a conditional UPDATE (state «in coda» and this attempt number): a task of an attempt that the
  watchdog has replaced, or a second delivery of the same task, does nothing.
- While the work runs a thread beats every JOBS_HEARTBEAT_INTERVAL seconds (WeasyPrint is one long call); the
  watchdog (jobs.watchdog) requeues a job whose beat stopped, i.e. whose worker died.
- The file is written to `<file>.<attempt>.part` and renamed when complete: a half-written file is never served.
- On an exception the job ends «errore» with an Italian message (the step where it stopped) and the traceback
  is logged.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from . import registry
from .models import Job
from .storage import file_path, partial_path

logger = logging.getLogger(__name__)


class Heartbeat:
    """A thread that stamps `battito_il` on the job every `interval` seconds while the work runs."""

    def __init__(self, job: QuerySet[Job], interval: float) -> None:
        self.job = job
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="job-heartbeat", daemon=True)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.job.update(battito_il=timezone.now())
                except Exception:  # a missed beat is not fatal: the next one may succeed
                    logger.warning("Battito del lavoro non registrato", exc_info=True)
        finally:
            connection.close()  # the thread's own connection

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _progress(mine: QuerySet[Job]) -> registry.Progress:
    delay = float(getattr(settings, "JOBS_STEP_DELAY", 0) or 0)  # tests slow the steps down (tests/live_settings)

    def progress(passo: int, passi: int, descrizione: str = "") -> None:
        mine.update(passo=passo, passi=passi, descrizione_passo=descrizione[:200], battito_il=timezone.now())
        if delay:
            time.sleep(delay)

    return progress


def error_message(job: Job, exc: BaseException) -> str:
    """The Italian message shown to the user: what failed, at which step, and that it was logged."""
    where = ""
    if job.passi:
        where = f" al passo {job.passo} di {job.passi}"
        if job.descrizione_passo:
            where += f" («{job.descrizione_passo}»)"
    detail = str(exc) or type(exc).__name__
    return (
        f"Non è stato possibile completare «{job.titolo}»{where}: {detail}. "
        "L'errore è stato registrato per gli amministratori; può riprovare con il pulsante «Riprova»."
    )


def execute(job_id: int, attempt: int) -> bool:
    """Run attempt `attempt` of the job; False if it was not ours to run (claimed or replaced)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, stato=Job.Stato.IN_CODA, tentativi=attempt).update(
        stato=Job.Stato.IN_CORSO, avviato_il=now, battito_il=now, passo=0, errore=""
    )
    if not claimed:
        logger.info("Lavoro %s, tentativo %s: già preso o sostituito, nulla da fare", job_id, attempt)
        return False
    mine = Job.objects.filter(pk=job_id, stato=Job.Stato.IN_CORSO, tentativi=attempt)
    job = Job.objects.get(pk=job_id)
    partial = partial_path(job.chiave, attempt)
    started = time.perf_counter()
    with Heartbeat(mine, settings.JOBS_HEARTBEAT_INTERVAL):
        try:
            kind = registry.get(job.kind)
            summary = kind.run(job.parametri, partial, _progress(mine)) or ""
            size = _publish(job, partial) if kind.produces_file else 0
            mine.update(
                stato=Job.Stato.PRONTO,
                dimensione=size,
                secondi=time.perf_counter() - started,
                completato_il=timezone.now(),
                esito=str(summary)[:300],
                passo=F("passi"),
            )
        except registry.JobRefused as exc:  # an expected refusal (input with errors): its own message, no traceback
            logger.info("Lavoro %s (%s) rifiutato: %s", job_id, job.kind, exc)
            partial.unlink(missing_ok=True)
            mine.update(stato=Job.Stato.ERRORE, errore=str(exc), completato_il=timezone.now())
        except Exception as exc:  # logged with its traceback; the user sees the Italian message
            logger.exception("Lavoro %s (%s) non completato", job_id, job.kind)
            partial.unlink(missing_ok=True)
            job.refresh_from_db(fields=["passo", "passi", "descrizione_passo"])
            mine.update(stato=Job.Stato.ERRORE, errore=error_message(job, exc), completato_il=timezone.now())
    return True


def _publish(job: Job, partial) -> int:
    """Rename the complete `.part` file to the job's file (atomic); its size."""
    try:
        size = partial.stat().st_size
    except FileNotFoundError:
        raise RuntimeError("il lavoro non ha scritto alcun file") from None
    if not size:
        partial.unlink(missing_ok=True)
        raise RuntimeError("il file prodotto è vuoto")
    partial.replace(file_path(job.chiave))
    return size
