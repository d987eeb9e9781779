"""Report files: cache by data fingerprint, invalidation after an edit, failures, background generation."""

import time
from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from monitoring.services import scheda_save
from reports import generation
from reports.generation import ReportSpec
from reports.models import ReportJob
from tests.factories import UserFactory
from tests.schede_helpers import magenta_nid

URL = reverse("reports:monitoring_pdf", args=["magentino"])


def download(client, url=URL):
    response = client.get(url)
    body = b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
    return response, body


@pytest.mark.django_db
def test_monitoring_report_pdf(client_for, dirigente_user):
    response, body = download(client_for(dirigente_user))
    assert response.status_code == 200
    assert body.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)
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
    assert ReportJob.objects.count() == 1
    _, again = download(client)  # the time of a cached download: bench/reports.py
    assert again == first
    assert ReportJob.objects.count() == 1  # served from the cache
    scheda = magenta_nid()
    scheda_save(scheda=scheda, user=udp_user, values={("R05", "N25"): "200"}, expected_version=scheda.versione)
    _, changed = download(client)
    assert ReportJob.objects.count() == 2
    assert changed != first


@pytest.mark.django_db
def test_permissions(client_for, operatore_user, udp_user):
    assert client_for(operatore_user).get(URL).status_code == 404
    assert client_for(udp_user).get(reverse("reports:monitoring_pdf", args=["reggio-emilia"])).status_code == 404


@pytest.mark.django_db
def test_failure_is_logged_and_shown_never_a_broken_file(rf, udp_user, caplog):
    def broken() -> bytes:
        raise RuntimeError("impaginazione fallita")

    spec = ReportSpec("prova", "Prova", "prova.pdf", "application/pdf", {"x": 1}, broken)
    request = rf.get("/report/prova")
    request.user = udp_user
    response = generation.serve_report(request, spec)
    assert response.status_code == 500
    assert "Non è stato possibile generare il documento" in response.content.decode()
    assert "impaginazione fallita" in caplog.text
    assert not generation.file_path(spec.key).exists()
    assert ReportJob.objects.get(chiave=spec.key).stato == ReportJob.Stato.ERRORE


@pytest.mark.django_db(transaction=True)
def test_slow_report_shows_progress_then_the_file(client, settings, monkeypatch):
    settings.REPORTS_SYNC = False
    monkeypatch.setattr(generation, "WAIT_SECONDS", 0.05)
    user = UserFactory(username="lento")
    client.force_login(user)

    def slow() -> bytes:
        time.sleep(0.5)
        return b"%PDF-1.7 finto"

    spec = ReportSpec("lento", "Report lento", "lento.pdf", "application/pdf", {"v": 1}, slow)

    request = RequestFactory().get("/report/lento")
    request.user = user
    response = generation.serve_report(request, spec)
    assert response.status_code == 202
    page = response.content.decode()
    assert "in preparazione" in page
    job = ReportJob.objects.get(chiave=spec.key)
    assert f'data-status-url="{reverse("reports:job_status", args=[job.pk])}' in page
    assert client.get(reverse("reports:job_status", args=[job.pk])).json()["stato"] == "in_corso"
    for _ in range(50):
        if client.get(reverse("reports:job_status", args=[job.pk])).json()["stato"] == "pronto":
            break
        time.sleep(0.1)
    response = generation.serve_report(request, spec)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 finto"


@pytest.mark.django_db
def test_job_status_is_shared_but_reveals_only_the_state(client_for, udp_user, dirigente_user):
    download(client_for(udp_user))
    job = ReportJob.objects.get()
    # A second reader waiting for the same document polls the same job: it gets the state and nothing else.
    assert client_for(dirigente_user).get(reverse("reports:job_status", args=[job.pk])).json() == {"stato": "pronto"}


@pytest.mark.django_db
def test_cleanup_command_removes_old_files(client_for, udp_user):
    download(client_for(udp_user))
    job = ReportJob.objects.get()
    assert generation.file_path(job.chiave).exists()
    out = StringIO()
    call_command("pulisci_report", "--giorni", "30", stdout=out)
    assert ReportJob.objects.count() == 1  # recent: kept
    ReportJob.objects.update(creato_il=timezone.now() - timedelta(days=31))
    call_command("pulisci_report", "--giorni", "30", stdout=out)
    assert "1 registrazioni, 1 file" in out.getvalue()
    assert not generation.file_path(job.chiave).exists()
    assert not ReportJob.objects.exists()
