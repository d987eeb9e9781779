"""Pages of the jobs (/attivita/): progress page, status (polled), download, retry, «I miei report».

A job is visible to the users who asked for it (jobs.models.Richiesta) and to superusers: 404 for anyone else.
The document itself was scoped by the view that requested the job (a user who cannot read a plan never becomes a
requester of its job), and every page of a job asks its kind again (`registry.JobKind.allowed`): a requester who
has since lost the assignment gets 404 too, so cannot download the file or rebuild it with «Riprova».
A file is served only when the job is ready and the file has the recorded size.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from core.breadcrumbs import Crumb, Trail

from . import registry
from .models import Job, Richiesta
from .services import restart
from .storage import file_ok, file_path
from .watchdog import requeue_stale

POLL_INTERVAL_MS = 1000
POLL_LIMIT = 900  # polls (about 15 minutes at 1 s): then the page stops and says where to find the file
JOBS_PER_PAGE = 25


def visible_jobs(user) -> QuerySet[Job]:
    """The jobs `user` asked for (every job for a superuser)."""
    if user.is_superuser:
        return Job.objects.all()
    return Job.objects.filter(richieste__utente=user)


def still_allowed(job: Job, user) -> bool:
    """Whether `user`, who asked for `job`, may still reach it (its kind's rule; a kind no app registers: no)."""
    if user.is_superuser:
        return True
    try:
        kind = registry.get(job.kind)
    except LookupError:
        return False
    return kind.allowed(job.parametri, user)


def _job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    if not still_allowed(job, request.user):
        raise Http404("Questo lavoro riguarda dati a cui l'utente non ha più accesso.")
    return job


def _trail(job: Job | None = None) -> Trail:
    trail = Trail((Crumb("Home", reverse("portal:home")),))
    if job is None:
        return trail.then("I miei report")
    return trail.then("I miei report", reverse("jobs:list")).then(job.titolo)


# Blocks read when the server has no sendfile (wsgi.file_wrapper): Django's 4 KiB would loop 200 times for a PDF.
FILE_BLOCK_SIZE = 256 * 1024


def file_response(job: Job) -> FileResponse:
    """The job's file as an attachment (the caller checked `file_ok`); gunicorn sends it with sendfile."""
    response = FileResponse(file_path(job.chiave).open("rb"), content_type=job.content_type or None)
    response.block_size = FILE_BLOCK_SIZE
    response["Content-Disposition"] = f'attachment; filename="{job.nome_file}"'
    return response


def status_payload(job: Job) -> dict:
    data = {
        "stato": job.stato,
        "etichetta": job.get_stato_display(),
        "passo": job.passo,
        "passi": job.passi,
        "descrizione": job.descrizione_passo,
        "percentuale": job.percentuale,
        "tentativi": job.tentativi,
    }
    if job.stato == Job.Stato.ERRORE:
        data["errore"] = job.errore
    if job.stato == Job.Stato.PRONTO:
        data["esito"] = job.esito
        if file_ok(job):
            data["download_url"] = reverse("jobs:download", args=[job.pk])
    return data


class JobDetailView(View):
    """The progress page: step n of m, a bar, the Italian error and «Riprova» on failure, the file when ready."""

    def get(self, request, pk):
        job = _job(request, pk)
        return render(
            request,
            "jobs/detail.html",
            {
                "job": job,
                "ready": file_ok(job),
                "status_url": reverse("jobs:status", args=[job.pk]),
                "download_url": reverse("jobs:download", args=[job.pk]),
                "poll_interval": POLL_INTERVAL_MS,
                "poll_limit": POLL_LIMIT,
                "breadcrumbs": _trail(job),
            },
        )


class JobStatusView(View):
    """The state of a job as JSON (polled by the progress page); the watchdog checks this job first."""

    def get(self, request, pk):
        job = _job(request, pk)
        if job.attivo:
            requeue_stale(Job.objects.filter(pk=job.pk))
            job.refresh_from_db()
        return JsonResponse(status_payload(job))


class JobDownloadView(View):
    """The file of a ready job: never a failed, unfinished or half-written one (404, with the reason)."""

    def get(self, request, pk):
        job = _job(request, pk)
        if not file_ok(job):
            raise Http404("Il file di questo lavoro non è disponibile.")
        return file_response(job)


class JobRetryView(View):
    """«Riprova» (POST): the failed job starts again from its first attempt."""

    def post(self, request, pk):
        job = _job(request, pk)
        if job.stato == Job.Stato.ERRORE:
            restart(job)
        elif job.stato == Job.Stato.PRONTO and job.nome_file and not file_ok(job):  # the file has gone
            restart(job, from_state=Job.Stato.PRONTO)
        return redirect("jobs:detail", pk=job.pk)


class MyJobsView(View):
    """«I miei report»: every job the user asked for, newest request first, paginated."""

    def get(self, request: HttpRequest) -> HttpResponse:
        richieste = Richiesta.objects.filter(utente_id=request.user.pk).select_related("job").order_by("-richiesto_il")
        page = Paginator(richieste, JOBS_PER_PAGE).get_page(request.GET.get("pagina"))
        return render(request, "jobs/list.html", {"page": page, "breadcrumbs": _trail()})
