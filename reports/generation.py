"""Report files cached by a fingerprint of their data, generated in a background thread when slow.

`serve_report(request, spec)`:
- if a file for the same data fingerprint exists, it is returned at once (the cache);
- otherwise generation starts in a thread; if it ends within `WAIT_SECONDS` the file is returned, else the
  user gets a progress page that polls the job and downloads the file when ready;
- a failure is logged and shown to the user: a broken file is never returned.
Files live in MEDIA_ROOT/reports/<fingerprint>; any change of the data changes the fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from .models import ReportJob

logger = logging.getLogger(__name__)
WAIT_SECONDS = 2.0


@dataclass
class ReportSpec:
    """What to generate: `build()` returns the bytes; `fingerprint` is any JSON of the data it reads."""

    kind: str
    title: str
    filename: str
    content_type: str
    fingerprint: object
    build: Callable[[], bytes]
    back_url: str = ""

    @property
    def key(self) -> str:
        payload = json.dumps([self.kind, self.fingerprint, getattr(settings, "REPORTS_VERSION", 1)], default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_path(key: str) -> Path:
    return storage_dir() / key


def _run(job_id: int, spec: ReportSpec, in_thread: bool) -> None:
    started = time.perf_counter()
    try:
        data = spec.build()
        if not data:
            raise ValueError("file vuoto")
        target = file_path(spec.key)
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)  # atomic: a half-written file is never served
        ReportJob.objects.filter(pk=job_id).update(
            stato=ReportJob.Stato.PRONTO,
            dimensione=len(data),
            secondi=time.perf_counter() - started,
            completato_il=timezone.now(),
        )
    except Exception as exc:  # the error is logged and shown; nothing is served
        logger.exception("Report %s non generato", spec.kind)
        ReportJob.objects.filter(pk=job_id).update(
            stato=ReportJob.Stato.ERRORE, errore=f"{type(exc).__name__}: {exc}", completato_il=timezone.now()
        )
    finally:
        if in_thread:
            connection.close()


def _file_response(job: ReportJob) -> FileResponse:
    response = FileResponse(file_path(job.chiave).open("rb"), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.nome_file}"'
    return response


def ensure_job(spec: ReportSpec, user=None) -> tuple[ReportJob, threading.Thread | None]:
    """The job for this fingerprint, starting the generation if there is no usable one."""
    job = ReportJob.objects.filter(chiave=spec.key).first()
    if job and job.stato == ReportJob.Stato.PRONTO and file_path(job.chiave).exists():
        return job, None
    if job and job.stato == ReportJob.Stato.IN_CORSO and (timezone.now() - job.creato_il).total_seconds() < 600:
        return job, None
    if job:
        job.delete()
    job = ReportJob.objects.create(
        chiave=spec.key,
        tipo=spec.kind,
        titolo=spec.title,
        nome_file=spec.filename,
        content_type=spec.content_type,
        richiesto_da=user if user and user.is_authenticated else None,
    )
    if getattr(settings, "REPORTS_SYNC", False):
        _run(job.pk, spec, in_thread=False)
        return job, None
    thread = threading.Thread(target=_thread_main, args=(job.pk, spec), daemon=True)
    thread.start()
    return job, thread


def _thread_main(job_id: int, spec: ReportSpec) -> None:
    close_old_connections()
    _run(job_id, spec, in_thread=True)


def serve_report(request: HttpRequest, spec: ReportSpec) -> HttpResponse:
    job, thread = ensure_job(spec, request.user)
    if thread is not None or job.stato != ReportJob.Stato.PRONTO:  # a cached file is served without a re-read
        if thread is not None:
            thread.join(WAIT_SECONDS)
        job.refresh_from_db()
    if job.stato == ReportJob.Stato.PRONTO:
        return _file_response(job)
    status = 500 if job.stato == ReportJob.Stato.ERRORE else 202
    return render(
        request,
        "reports/progress.html",
        {
            "job": job,
            "status_url": reverse("reports:job_status", args=[job.pk]),
            "retry_url": request.get_full_path(),
            "back_url": spec.back_url,
        },
        status=status,
    )
