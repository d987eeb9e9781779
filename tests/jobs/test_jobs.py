"""Jobs: one job per data fingerprint under concurrent clicks, the watchdog (requeue, at most three attempts), the
progress page on failure, the download guards, «I miei report» and who may see a job."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import registry, runner
from jobs.models import Job, Richiesta
from jobs.services import request_job
from jobs.storage import file_path
from jobs.watchdog import requeue_stale
from tests.concurrency import at_once, raised
from tests.documents import body
from tests.factories import UserFactory

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def ask(user, kind="prova-saluto", chiave="k1", **extra):
    return request_job(
        kind=kind, chiave=chiave, titolo="Saluto di prova", user=user, nome_file="saluto.txt",
        content_type="text/plain", parametri={"nome": "Magenta"}, **extra,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_first_requests_create_one_job_and_one_task(hello_kind, dummy_queue, enqueued):
    users = [UserFactory(username=f"utente{i}") for i in range(10)]
    assert not raised(at_once(ask, users))
    job = Job.objects.get()
    assert job.stato == Job.Stato.IN_CODA
    assert enqueued == [[job.pk, 1]]  # one task, for the first attempt
    assert Richiesta.objects.filter(job=job).count() == 10  # every user finds it in «I miei report»


@pytest.mark.django_db
def test_job_runs_with_steps_and_its_file_is_served_only_to_requesters(hello_kind, client, admin_user):
    owner, stranger = UserFactory(username="chiede"), UserFactory(username="estraneo")
    job = ask(owner)
    assert (job.stato, job.passo, job.passi, job.esito) == (Job.Stato.PRONTO, 2, 2, "saluto scritto")
    assert job.dimensione == len(b"ciao Magenta")
    download = reverse("jobs:download", args=[job.pk])
    client.force_login(stranger)
    for name in ("detail", "status", "download"):
        assert client.get(reverse(f"jobs:{name}", args=[job.pk])).status_code == 404, name
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    client.force_login(owner)
    response = client.get(download)
    assert body(response) == b"ciao Magenta"
    assert 'filename="saluto.txt"' in response["Content-Disposition"]
    client.force_login(admin_user)  # a superuser sees every job
    assert client.get(download).status_code == 200


@pytest.mark.django_db
def test_a_half_written_or_missing_file_is_never_served(hello_kind, client):
    user = UserFactory(username="chiede")
    job = ask(user)
    client.force_login(user)
    download = reverse("jobs:download", args=[job.pk])
    path = file_path(job.chiave)
    path.write_bytes(b"ciao")  # not the recorded size
    assert client.get(download).status_code == 404
    assert "download_url" not in client.get(reverse("jobs:status", args=[job.pk])).json()
    path.unlink()
    assert client.get(download).status_code == 404
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Il file non è più disponibile" in page
    assert ask(user).stato == Job.Stato.PRONTO  # asked again: made again
    assert body(client.get(download)) == b"ciao Magenta"


@pytest.fixture
def flaky_kind():
    """A kind that fails the first time (with a half-written file) and succeeds when retried."""
    calls = []

    def run(parametri, out, progress):
        calls.append(1)
        progress(1, 3, "Impaginazione")
        out.write_bytes(b"mezzo file")
        if len(calls) == 1:
            raise RuntimeError("carattere mancante")
        progress(3, 3, "Fine")

    registry.register("prova-instabile", run=run, allowed=lambda parametri, user: True)
    yield calls
    registry._KINDS.pop("prova-instabile", None)


@pytest.mark.django_db
def test_failed_job_page_stops_polling_shows_the_error_and_retries(flaky_kind, caplog):
    user = UserFactory(username="chiede")
    job = ask(user, kind="prova-instabile", back_url=reverse("portal:home"))
    assert job.stato == Job.Stato.ERRORE
    assert "carattere mancante" in caplog.text  # logged with the traceback
    assert not file_path(job.chiave).exists()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["stato"] == "errore"
    assert status["errore"] == (
        "Non è stato possibile completare «Saluto di prova» al passo 1 di 3 («Impaginazione»): carattere mancante. "
        "L'errore è stato registrato per gli amministratori; può riprovare con il pulsante «Riprova»."
    )
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "data-status-url" not in page  # nothing left to poll
    assert "carattere mancante" in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    retry = reverse("jobs:retry", args=[job.pk])
    assert f'<form method="post" action="{retry}"' in page
    assert client.post(retry).status_code == 403  # CSRF token required
    assert client.get(retry).status_code == 405
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(retry, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.stato, job.tentativi, job.errore) == (Job.Stato.PRONTO, 1, "")
    assert body(client.get(reverse("jobs:download", args=[job.pk]))) == b"mezzo file"


def test_progress_script_stops_after_a_limit_and_on_failure(settings):
    script = (settings.BASE_DIR / "static" / "js" / "job-progress.js").read_text()
    assert "data-poll-limit" in (settings.BASE_DIR / "templates" / "jobs" / "detail.html").read_text()
    assert "polls >= limit" in script
    assert "La pagina ha smesso di aggiornarsi" in script
    assert 'job.stato === "errore"' in script
    assert "job-error" in script


def _stale(job, stato=Job.Stato.IN_CORSO):
    Job.objects.filter(pk=job.pk).update(stato=stato, battito_il=timezone.now() - timedelta(minutes=5))


@pytest.mark.django_db
def test_watchdog_requeues_a_dead_workers_job_at_most_twice_then_fails_it(hello_kind, dummy_queue, enqueued, client):
    user = UserFactory(username="chiede")
    job = ask(user)
    assert enqueued == [[job.pk, 1]]
    Job.objects.filter(pk=job.pk).update(battito_il=timezone.now())
    _stale(job)
    assert requeue_stale() == [(job.pk, "riaccodato")]
    job.refresh_from_db()
    assert (job.stato, job.tentativi) == (Job.Stato.IN_CODA, 2)
    assert enqueued[-1] == [job.pk, 2]
    assert not runner.execute(job.pk, 1)  # the dead attempt's task, delivered late: not its job any more
    _stale(job)
    client.force_login(user)
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["tentativi"] == 3  # polling runs the watchdog
    _stale(job)
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["stato"] == "errore"
    assert status["errore"].startswith("Il processo di lavoro si è interrotto 3 volte durante «Saluto di prova»")
    assert len(enqueued) == 3
    assert requeue_stale() == []


@pytest.mark.django_db
def test_watchdog_command_requeues_once(hello_kind, dummy_queue, enqueued):
    job = ask(UserFactory(username="chiede"))
    _stale(job)
    out = StringIO()
    call_command("jobs_watchdog", "--once", stdout=out)
    assert out.getvalue() == f"Lavoro {job.pk}: riaccodato\n"
    assert enqueued[-1] == [job.pk, 2]


@pytest.mark.django_db
def test_watchdog_leaves_a_live_job_and_a_waiting_task_alone(hello_kind, settings):
    settings.TASKS = DB_QUEUE
    job = ask(UserFactory(username="chiede"))
    Job.objects.filter(pk=job.pk).update(accodato_il=timezone.now() - timedelta(minutes=5))
    assert requeue_stale() == []  # its task is still waiting for a free worker
    Job.objects.filter(pk=job.pk).update(stato=Job.Stato.IN_CORSO, battito_il=timezone.now())
    assert requeue_stale() == []  # beating


@pytest.mark.django_db
def test_watchdog_requeues_a_queued_job_whose_task_failed(hello_kind, settings):
    settings.TASKS = DB_QUEUE
    job = ask(UserFactory(username="chiede"))
    DBTaskResult.objects.filter(pk=job.task_id).update(status="FAILED")
    Job.objects.filter(pk=job.pk).update(accodato_il=timezone.now() - timedelta(minutes=5))
    assert requeue_stale() == [(job.pk, "riaccodato")]
    job.refresh_from_db()
    assert job.tentativi == 2
    assert DBTaskResult.objects.filter(pk=job.task_id, status="READY").exists()


@pytest.mark.django_db
def test_my_reports_lists_only_the_users_jobs_newest_first(hello_kind, client, django_assert_max_num_queries):
    me, other = UserFactory(username="io"), UserFactory(username="altro")
    for i in range(27):
        ask(me, chiave=f"mio-{i}")
    ask(other, chiave="suo")
    shared = ask(other, chiave="comune")
    ask(me, chiave="comune")  # found ready: it is mine too
    client.force_login(me)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("jobs:list")).content.decode()
    rows = re.findall(r'<th scope="row"><a href="([^"]+)"', page)
    assert len(rows) == 25
    assert rows[0] == reverse("jobs:detail", args=[shared.pk])  # newest request first
    assert rows[1] == reverse("jobs:detail", args=[Job.objects.get(chiave="mio-26").pk])
    assert f'href="{reverse("jobs:detail", args=[Job.objects.get(chiave="suo").pk])}"' not in page
    assert "<caption>Report e lavori richiesti (28)</caption>" in page
    assert 'scope="col"' in page
    assert "Pagina 1 di 2" in page
    assert "12 byte" in page
    second = client.get(reverse("jobs:list"), {"pagina": 2}).content.decode()
    assert second.count('scope="row"') == 3


@pytest.mark.django_db
def test_user_menu_links_my_reports(client):
    client.force_login(UserFactory(username="io"))
    assert f'href="{reverse("jobs:list")}"' in client.get(reverse("portal:home")).content.decode()
