"""Report files cached by a fingerprint of their data, built by a worker of the task queue (jobs app).

`serve_report(request, spec)`:
- if the job of the spec's data fingerprint is ready and its file complete, returns the file at once (the cache:
  one query, nothing written);
- otherwise asks for that job (`jobs.services.request_job`: one job per fingerprint, enqueued only when
  new; the user is recorded among its requesters, so it appears in «I miei report»);
- if the job is ready by then (the immediate backend of the tests), returns the file;
- otherwise redirects to the job's progress page (/attivita/<id>/), which polls, shows step n of m and downloads
  the file when ready, or shows the error with «Riprova».
The worker rebuilds the document from the job's `parametri` (reports.jobs); files live in MEDIA_ROOT/jobs/.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from jobs import runner
from jobs.models import Job
from jobs.services import request_job
from jobs.storage import file_ok
from jobs.storage import file_path as job_file_path
from jobs.views import file_response


@dataclass
class ReportSpec:
    """What to generate: `build()` returns the bytes; `fingerprint` is any JSON of the data it reads;
    `parametri` is what the worker needs to make the spec again (reports.jobs)."""

    kind: str
    title: str
    filename: str
    content_type: str
    fingerprint: object
    build: Callable[[], bytes]
    back_url: str = ""
    parametri: dict[str, Any] = field(default_factory=dict)
    more_parametri: Callable[[], dict[str, Any]] | None = None  # read only when the job is asked for (queries)

    def job_parametri(self) -> dict[str, Any]:
        return {**self.parametri, **(self.more_parametri() if self.more_parametri else {})}

    @property
    def key(self) -> str:
        payload = json.dumps([self.kind, self.fingerprint, getattr(settings, "REPORTS_VERSION", 1)], default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


SERVED_FIELDS = ("chiave", "stato", "nome_file", "content_type", "dimensione")  # what file_ok and file_response read


def file_path(key: str) -> Path:
    return job_file_path(key)


def ensure_job(spec: ReportSpec, user=None, *, start: bool = True) -> Job:
    """The job for this spec's fingerprint (enqueued if new and `start`)."""
    return request_job(
        kind=spec.kind,
        chiave=spec.key,
        titolo=spec.title,
        user=user,
        parametri=spec.job_parametri(),
        nome_file=spec.filename,
        content_type=spec.content_type,
        back_url=spec.back_url,
        start=start,
    )


def produce_now(spec: ReportSpec) -> Job:
    """The job of the spec, built now in this process if it has no complete file (management commands)."""
    job = ensure_job(spec, start=False)
    if not file_ok(job):
        attempt = job.tentativi + 1
        Job.objects.filter(pk=job.pk).update(stato=Job.Stato.IN_CODA, tentativi=attempt)
        runner.execute(job.pk, attempt)
        job.refresh_from_db()
    return job


def serve_report(request: HttpRequest, spec: ReportSpec) -> HttpResponse:
    """The file if ready, else the job's progress page (the job is enqueued by the first request only).

    A complete cached file is served after one query by its key (only the fields that serve it), with nothing
    written: the cache costs no more than the lookup (the requesters are recorded on the way to the progress page,
    for «I miei report»)."""
    cached = Job.objects.filter(chiave=spec.key, stato=Job.Stato.PRONTO).only(*SERVED_FIELDS).first()
    if cached is not None and file_ok(cached):
        return file_response(cached)
    job = ensure_job(spec, request.user)
    if file_ok(job):
        return file_response(job)
    return redirect("jobs:detail", pk=job.pk)
