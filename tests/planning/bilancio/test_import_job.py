"""A large accounting export of commitments and payments is imported by a job of the task queue (as the schede
import): the request only stores the file and redirects to the job's progress; the worker checks every row (step
n of m) and writes all or nothing; a bad row saves nothing and the job lists the row and the column. A small file
keeps the in-page preview."""

from decimal import Decimal

import pytest

from jobs.models import Job
from planning.bilancio import movimenti_import, movimenti_jobs
from planning.models import Movimento
from tests.job_requests import forbid_in_the_request, requested_job

from .test_import import csv_file, rows_for, upload, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_budget")]


def test_a_file_above_the_threshold_is_enqueued_never_run_in_the_request(
    client_for, udp_user, piano, riga_fnps, intervento, settings, dummy_queue, monkeypatch, enqueued
):
    settings.MOVIMENTI_IMPORT_JOB_KB = 0
    targets = [(movimenti_import, "check_rows"), (movimenti_import, "apply_rows")]
    forbid_in_the_request(monkeypatch, "importazione", *targets)
    client = client_for(udp_user)
    enqueued.clear()
    response = upload(client, piano, csv_file(rows_for(intervento)))
    job = requested_job(response, enqueued, kind=movimenti_jobs.KIND)
    assert job.parametri["piano"] == piano.pk
    assert not Movimento.objects.exists()
    assert upload(client, piano, csv_file(rows_for(intervento)))["Location"] == response["Location"]  # same job


def test_the_job_checks_every_row_and_writes_all(client_for, udp_user, piano, riga_fnps, intervento, settings):
    settings.MOVIMENTI_IMPORT_JOB_KB = 0
    client = client_for(udp_user)
    response = upload(client, piano, csv_file(rows_for(intervento)))  # ImmediateBackend: the worker's run
    job = Job.objects.get(kind=movimenti_jobs.KIND)
    assert response.status_code == 302
    assert job.stato == Job.Stato.PRONTO, job.errore
    assert (job.passo, job.passi) == (3, 3)  # two rows checked, then one transaction
    assert job.esito == "2 impegni e liquidazioni del file «movimenti.csv» registrati."
    assert sorted(Movimento.objects.filter(riga=riga_fnps).values_list("importo", flat=True)) == [
        Decimal("4000.50"),
        Decimal("10000.00"),
    ]
    assert Movimento.objects.filter(creato_da=udp_user).count() == 2


def test_a_bad_row_saves_nothing_and_the_job_names_row_and_column(
    client_for, udp_user, piano, riga_fnps, intervento, settings
):
    settings.MOVIMENTI_IMPORT_JOB_KB = 0
    bad = ["FNPS", "2025", intervento.titolo, "2025", "impegno", "nuovo", "31/02/2025", "Det. 9", "1,00"]
    upload(client_for(udp_user), piano, csv_file(rows_for(intervento, bad)))
    job = Job.objects.get(kind=movimenti_jobs.KIND)
    assert job.stato == Job.Stato.ERRORE
    assert "nessun movimento salvato" in job.errore
    assert "riga 4, colonna «data»: «31/02/2025» non è una data esistente." in job.errore
    assert not Movimento.objects.exists()


def test_a_small_file_keeps_the_preview(client_for, udp_user, piano, riga_fnps, intervento, settings):
    settings.MOVIMENTI_IMPORT_JOB_KB = 100
    response = upload(client_for(udp_user), piano, csv_file(rows_for(intervento)))
    assert response.status_code == 200
    assert 'data-testid="anteprima"' in response.content.decode()
    assert not Job.objects.filter(kind=movimenti_jobs.KIND).exists()


def test_only_the_ufficio_di_piano_can_start_the_job(
    client_for, dirigente_user, udp_oglio, piano, intervento, settings
):
    settings.MOVIMENTI_IMPORT_JOB_KB = 0
    assert upload(client_for(dirigente_user), piano, csv_file(rows_for(intervento))).status_code == 403
    assert upload(client_for(udp_oglio), piano, csv_file(rows_for(intervento))).status_code == 404
    assert not Job.objects.filter(kind=movimenti_jobs.KIND).exists()
    assert url(piano)
