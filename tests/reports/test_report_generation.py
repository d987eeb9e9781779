"""Report files: cache by data fingerprint, invalidation after an edit, failures, jobs of the task queue."""

from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from jobs import registry, runner
from jobs.models import Job
from monitoring.services import scheda_save
from reports import generation
from reports.generation import ReportSpec
from tests.documents import body
from tests.schede_helpers import magenta_nid

URL = reverse("reports:monitoring_pdf", args=["magentino"])
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def download(client, url=URL):
    response = client.get(url)
    return response, body(response)


@pytest.mark.django_db
@pytest.mark.usefixtures("without_demo_campaigns")
def test_monitoring_report_pdf(client_for, dirigente_user):
    response, data = download(client_for(dirigente_user))
    assert response.status_code == 200
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    assert "Monitoraggio delle schede SOSE — Ambito del Magentino" in text
    assert "Magenta" in text
    assert "Arluno" in text
    assert "Non iniziata" in text
    assert "73,35%" in text
    assert "Obiettivo 33%" in text
    assert "Pagina 1 di" in text


@pytest.mark.django_db
def test_cached_until_the_data_changes(client_for, udp_user):
    client = client_for(udp_user)
    _, first = download(client)
    assert Job.objects.count() == 1
    _, again = download(client)  # the time of a cached download: bench/reports.py
    assert again == first
    assert Job.objects.count() == 1  # served from the cache
    scheda = magenta_nid()
    scheda_save(scheda=scheda, user=udp_user, values={("R05", "N25"): "200"}, expected_version=scheda.versione)
    _, changed = download(client)
    assert Job.objects.count() == 2
    assert changed != first


@pytest.mark.django_db
def test_permissions(client_for, operatore_user, udp_user):
    assert client_for(operatore_user).get(URL).status_code == 404
    assert client_for(udp_user).get(reverse("reports:monitoring_pdf", args=["reggio-emilia"])).status_code == 404
    assert not Job.objects.exists()


@pytest.fixture
def broken_kind():
    def broken(parametri, out, progress):
        progress(1, 2, "Impaginazione")
        out.write_bytes(b"%PDF-1.7 a met")  # half-written when it fails: never served
        raise RuntimeError("impaginazione fallita")

    registry.register("prova-rotto", run=broken, allowed=lambda parametri, user: True)
    yield
    registry._KINDS.pop("prova-rotto")


@pytest.mark.django_db
def test_failure_is_logged_and_shown_never_a_broken_file(client, udp_user, caplog, broken_kind):
    client.force_login(udp_user)
    spec = ReportSpec("prova-rotto", "Prova", "prova.pdf", "application/pdf", {"x": 1}, lambda: b"")
    request = client.get(URL).wsgi_request  # a request of the user, for serve_report
    response = generation.serve_report(request, spec)
    job = Job.objects.get(chiave=spec.key)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.stato == Job.Stato.ERRORE
    assert job.errore.startswith("Non è stato possibile completare «Prova» al passo 1 di 2 («Impaginazione»)")
    assert "impaginazione fallita" in caplog.text
    assert not generation.file_path(spec.key).exists()
    assert not list(generation.file_path(spec.key).parent.glob("*.part"))
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_report_is_built_by_the_worker_not_in_the_request(client, udp_user, settings):
    """With a queue (DummyBackend: nothing runs) the request enqueues the job and shows its progress page; the file
    is served once the worker has built it."""
    settings.TASKS = DUMMY
    client.force_login(udp_user)
    response = client.get(URL)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.stato == Job.Stato.IN_CODA
    assert job.task_id
    assert job.parametri["document"] == "monitoraggio"
    assert "015130" in job.parametri["comuni"]  # the Comuni the user may see (Magenta), for the worker
    page = client.get(response["Location"]).content.decode()
    assert f'data-status-url="{reverse("jobs:status", args=[job.pk])}"' in page
    assert 'role="progressbar"' in page
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["stato"] == "in_coda"
    assert client.get(URL).status_code == 302  # a second click: the same job, not a second one
    assert Job.objects.count() == 1

    assert runner.execute(job.pk, 1)  # what the worker does with the task
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["stato"] == "pronto"
    assert status["passo"] == status["passi"] == 3
    assert status["download_url"] == reverse("jobs:download", args=[job.pk])
    response, data = download(client)
    assert response.status_code == 200
    assert data.startswith(b"%PDF")
    assert body(client.get(status["download_url"])) == data


@pytest.mark.django_db
def test_a_second_reader_shares_the_job_a_stranger_does_not_see_it(client_for, udp_user, dirigente_user, udp_oglio):
    download(client_for(udp_user))
    job = Job.objects.get()
    status_url = reverse("jobs:status", args=[job.pk])
    assert client_for(udp_oglio).get(status_url).status_code == 404  # did not ask for it
    assert client_for(udp_oglio).get(reverse("jobs:download", args=[job.pk])).status_code == 404
    response, data = download(client_for(dirigente_user))  # the same document: the same file, from the cache
    assert response.status_code == 200
    assert data == generation.file_path(job.chiave).read_bytes()
    assert Job.objects.count() == 1
    assert set(job.richiedenti.values_list("username", flat=True)) == {udp_user.username}  # nothing written


@pytest.mark.django_db
def test_cleanup_command_removes_old_files(client_for, udp_user):
    download(client_for(udp_user))
    job = Job.objects.get()
    assert generation.file_path(job.chiave).exists()
    out = StringIO()
    call_command("pulisci_report", "--giorni", "30", stdout=out)
    assert Job.objects.count() == 1  # recent: kept
    Job.objects.update(creato_il=timezone.now() - timedelta(days=31))
    call_command("pulisci_report", "--giorni", "30", stdout=out)
    assert "1 registrazioni, 1 file" in out.getvalue()
    assert not generation.file_path(job.chiave).exists()
    assert not Job.objects.exists()
