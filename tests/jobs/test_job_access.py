"""A job's pages ask its kind again whether the requester may still reach it (jobs.registry.JobKind.allowed): a user
who has lost the assignment to the Ambito no longer downloads the file, sees the progress, or rebuilds or re-runs
the job with «Riprova» (which would read, or write, the Ambito's current data)."""

import io

import pytest
from django.urls import reverse

from accounts.models import Assegnazione, Ruolo
from jobs import registry
from jobs.models import Job
from jobs.storage import file_path
from monitoring import jobs as schede_jobs
from planning.import_jobs import POPOLAZIONE
from reports.jobs import reads_document
from territory.models import Popolazione, Regione
from tests.factories import user_with_role
from tests.territory.test_population_import import population_csv

pytestmark = pytest.mark.django_db


def _pages(job: Job) -> dict[str, str]:
    return {
        "detail": reverse("jobs:detail", args=[job.pk]),
        "status": reverse("jobs:status", args=[job.pk]),
        "download": reverse("jobs:download", args=[job.pk]),
    }


def _revoke(user) -> None:
    """The user moves to another office: no assignment left (the plan's pages answer 404 from now on)."""
    Assegnazione.objects.filter(user=user).delete()


def test_a_requester_who_lost_the_ambito_loses_the_plans_file_and_its_retry(client_for, udp_user, piano):
    client = client_for(udp_user)
    assert client.get(reverse("reports:piano_xlsx", args=[piano.slug])).status_code == 200
    job = Job.objects.get(richieste__utente=udp_user)
    for name, url in _pages(job).items():
        assert client.get(url).status_code == 200, name

    _revoke(udp_user)
    client = client_for(udp_user)
    assert client.get(reverse("planning:piano_detail", args=[piano.slug])).status_code == 404
    for name, url in _pages(job).items():
        assert client.get(url).status_code == 404, name
    file_path(job.chiave).unlink()  # cleaned up: «Riprova» would build it again from today's plan
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    assert Job.objects.get(pk=job.pk).tentativi == job.tentativi
    assert not file_path(job.chiave).exists()
    colleague = user_with_role("udp-collega", Ruolo.UFFICIO_PIANO, ambito=piano.ambito)
    response = client_for(colleague).get(reverse("reports:piano_xlsx", args=[piano.slug]))
    assert response.status_code == 200  # a user still assigned gets the file again through the plan's page
    assert colleague.lavori.filter(pk=job.pk).exists()


def test_a_failed_population_import_is_not_run_again_for_a_user_who_lost_the_ambito(client_for, udp_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    upload = io.BytesIO(population_csv())
    upload.name = "popolazione.csv"
    client = client_for(udp_user)
    client.post(reverse("planning:popolazione_import", args=["magentino"]), {"file": upload, "anno": "2031"})
    job = Job.objects.get(kind=POPOLAZIONE)
    Job.objects.filter(pk=job.pk).update(stato=Job.Stato.ERRORE, errore="processo di lavoro interrotto")
    assert registry.get(POPOLAZIONE).allowed(job.parametri, udp_user)

    _revoke(udp_user)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for(udp_user)
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    assert Job.objects.get(pk=job.pk).stato == Job.Stato.ERRORE
    assert not Popolazione.objects.filter(anno=2031).exists()


def test_the_export_of_the_schede_follows_the_comuni_the_requester_still_sees(client_for, udp_user, dummy_queue):
    client = client_for(udp_user)
    response = client.get(reverse("monitoring:overview", args=["magentino"]), {"_export": "valori"})
    job = Job.objects.get(kind=schede_jobs.EXPORT)
    assert response["Location"] == _pages(job)["detail"]
    assert client.get(_pages(job)["status"]).status_code == 200

    _revoke(udp_user)
    assert client_for(udp_user).get(_pages(job)["status"]).status_code == 404


def test_a_job_of_a_kind_no_app_registers_reaches_only_superusers(client_for, udp_user, admin_user):
    job = Job.objects.create(chiave="x" * 64, kind="tipo-sconosciuto", titolo="Lavoro di un tipo dismesso")
    job.richiedenti.add(udp_user, through_defaults={"richiesto_il": job.creato_il})
    assert client_for(udp_user).get(_pages(job)["detail"]).status_code == 404
    assert client_for(admin_user).get(_pages(job)["detail"]).status_code == 200


def test_a_regions_comparison_follows_the_regioni_the_requester_still_follows(db):
    molise, lombardia = Regione.objects.get(nome="Molise"), Regione.objects.get(nome="Lombardia")
    user = user_with_role("regione-molise", Ruolo.REGIONE, regione=molise)
    comparison = {"document": "confronto-regione", "fmt": "pdf"}
    assert reads_document({**comparison, "pk": molise.pk}, user)
    assert not reads_document({**comparison, "pk": lombardia.pk}, user)
    _revoke(user)
    again = type(user).objects.get(pk=user.pk)  # as the next request loads it (grants are cached on the user)
    assert not reads_document({**comparison, "pk": molise.pk}, again)
