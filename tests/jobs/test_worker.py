"""A real worker (database backend and RQ on Redis) killed with SIGKILL in the middle of the Piano di Zona PDF: a
new worker finishes the job, with no second click — the polling of the progress page runs the watchdog, which sees
the heartbeat stop and enqueues the next attempt. The plan is a new one of the Reggio Ambito, without chapters (its
document has the cover and the data sections of the Ambito, a few pages): the job's survival is under test, the
whole 90-page document is rendered by tests/reports."""

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from jobs.models import Job
from jobs.storage import file_path
from planning.models import PianoDiZona
from territory.models import Ambito
from tests.documents import body
from tests.factories import user_with_role
from tests.jobs.worker import LiveWorker, wait_for

pytestmark = pytest.mark.worker

PIANO = "reggio-emilia-2026-2028"
PDF_URL = reverse("reports:piano_pdf", args=[PIANO])


def _job() -> Job:
    return Job.objects.get()


def test_worker_killed_mid_pdf_then_a_new_worker_finishes_the_job(worker_queue, client, settings, tmp_path):
    backend, db_url = worker_queue
    settings.JOBS_HEARTBEAT_TIMEOUT = 6  # the worker beats every second (LIVE_JOBS_HEARTBEAT_INTERVAL)
    reggio = Ambito.objects.get(slug="reggio-emilia")
    PianoDiZona.objects.create(
        ambito=reggio, slug=PIANO, titolo="Piano di Zona 2026-2028", anno_inizio=2026, anno_fine=2028
    )
    user = user_with_role("dirigente.pdf", Ruolo.DIRIGENTE, ambito=reggio)
    client.force_login(user)

    response = client.get(PDF_URL)
    job = _job()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.stato == Job.Stato.IN_CODA
    status_url = reverse("jobs:status", args=[job.pk])
    log = tmp_path / "worker.log"

    with LiveWorker(backend, db_url, log_path=log, media_root=settings.MEDIA_ROOT, step_delay=30) as first:
        wait_for(
            lambda: Job.objects.filter(pk=job.pk, stato=Job.Stato.IN_CORSO, passo__gte=1).exists(),
            timeout=90,
            what="il primo processo di lavoro prende il lavoro",
            log=first.log_tail,
        )
        first.kill()  # in the middle of the job (each step waits 30 s)
    job.refresh_from_db()
    assert (job.stato, job.tentativi) == (Job.Stato.IN_CORSO, 1)
    assert not file_path(job.chiave).exists()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404

    with LiveWorker(backend, db_url, log_path=log, media_root=settings.MEDIA_ROOT) as second:
        # Only the progress page polls: no second click on the download button.
        status = wait_for(
            lambda: (s := client.get(status_url).json())["stato"] in ("pronto", "errore") and s,
            timeout=240,
            what="il secondo processo di lavoro completa il lavoro",
            log=second.log_tail,
        )
    assert status["stato"] == "pronto", status
    job.refresh_from_db()
    assert job.tentativi == 2  # the killed attempt and the one that finished
    assert Job.objects.count() == 1
    data = body(client.get(status["download_url"]))
    assert data.startswith(b"%PDF")
    assert len(data) == job.dimensione
    assert body(client.get(PDF_URL)) == data  # the button now serves the file at once
