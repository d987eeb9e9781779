"""The long work on the schede of an Ambito runs as jobs: the bulk export of every value (never in the request,
even for 1.500 Comuni) and «Ricalcola tutte le schede» (Ufficio di Piano only, on the Comuni it may see)."""

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from jobs import runner
from jobs.models import Job
from monitoring import bulk_export
from monitoring import jobs as schede_jobs
from monitoring.models import ModelloScheda, Scheda
from territory.models import Ambito, Comune
from tests.concurrency import at_once, raised
from tests.documents import body, read_xlsx
from tests.factories import user_with_role
from tests.job_requests import forbid_in_the_request, requested_job
from tests.schede_helpers import magenta_nid
from tests.two_sessions import sessions

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("monitoring:overview", args=["magentino"])
RECOMPUTE = reverse("monitoring:recompute_all", args=["magentino"])


@pytest.fixture
def large_ambito(db):
    """An Ambito of 1.500 Comuni, each with a scheda of every active template."""
    ambito = Ambito.objects.create(nome="Ambito regionale", slug="regionale", codice="REGIONALE")
    comuni = Comune.objects.bulk_create(
        Comune(codice_istat=f"{700000 + i:06d}", nome=f"Comune {i:04d}", ambito=ambito) for i in range(1500)
    )
    modelli = list(ModelloScheda.objects.filter(attivo=True))
    Scheda.objects.bulk_create((Scheda(modello=m, comune=c) for c in comuni for m in modelli), batch_size=1000)
    return ambito


def test_export_of_1500_comuni_is_a_job_never_built_in_the_request(
    client, dummy_queue, monkeypatch, large_ambito, django_assert_max_num_queries, enqueued
):
    targets = [(schede_jobs, "export_schede_to_file"), (bulk_export, "export_schede_to_file")]
    forbid_in_the_request(monkeypatch, "esportazione", *targets)
    client.force_login(user_with_role("udp-regione", Ruolo.UFFICIO_PIANO, ambito=large_ambito))
    url = reverse("monitoring:overview", args=["regionale"])
    enqueued.clear()
    with django_assert_max_num_queries(18):  # constant: no query per Comune or scheda
        response = client.get(url, {"_export": "valori"})
    job = requested_job(response, enqueued)
    assert (job.kind, job.stato) == (schede_jobs.EXPORT, Job.Stato.IN_CODA)
    assert len(job.parametri["comuni"]) == 1500
    page = client.get(response["Location"]).content.decode()
    assert "Valori di tutte le schede — Ambito regionale" in page
    assert 'role="progressbar"' in page
    assert client.get(url, {"_export": "valori"})["Location"] == response["Location"]  # same data: same job
    assert Job.objects.count() == 1


def test_export_job_writes_the_workbook_in_the_worker(client_for, udp_user, dummy_queue):
    client = client_for(udp_user)
    client.get(OVERVIEW, {"_export": "valori"})
    job = Job.objects.get()
    assert runner.execute(job.pk, 1)
    job.refresh_from_db()
    total = Scheda.objects.filter(comune__ambito__slug="magentino", modello__attivo=True).count()
    assert (job.stato, job.passo, job.passi) == (Job.Stato.PRONTO, total, total)  # step n of m: schede written
    wb = read_xlsx(body(client.get(reverse("jobs:download", args=[job.pk]))))
    n = Scheda.objects.filter(comune__ambito__slug="magentino", modello__codice="NID26").count()
    assert wb.sheetnames[0] == "NID26"
    assert len(list(wb["NID26"].iter_rows())) == 2 + n  # header, labels, a row per scheda


def test_recompute_all_is_a_job_of_the_ufficio_di_piano(client_for, udp_user, dirigente_user, operatore_user):
    scheda = magenta_nid()
    Scheda.objects.filter(pk=scheda.pk).update(n_errori=99, completezza=0)
    assert client_for(dirigente_user).post(RECOMPUTE).status_code == 403
    assert client_for(operatore_user).post(RECOMPUTE).status_code == 404
    assert "Ricalcola tutte le schede" not in client_for(dirigente_user).get(OVERVIEW).content.decode()
    client = client_for(udp_user)
    assert f'action="{RECOMPUTE}"' in client.get(OVERVIEW).content.decode()
    assert client.get(RECOMPUTE).status_code == 405
    response = client.post(RECOMPUTE)
    job = Job.objects.get(kind=schede_jobs.RECOMPUTE)
    n = Scheda.objects.filter(comune__ambito__slug="magentino", modello__attivo=True).count()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.stato == Job.Stato.PRONTO
    assert job.esito == f"{n} schede ricalcolate"
    assert (job.passo, job.passi) == (n, n)
    scheda.refresh_from_db()
    assert scheda.n_errori != 99
    assert scheda.completezza > 0
    page = client.get(response["Location"]).content.decode()
    assert f"Lavoro completato: {n} schede ricalcolate" in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404  # no file to serve


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_first_clicks_on_the_export_create_one_job_and_one_task(dummy_queue, enqueued):
    """Ten users of the Ufficio di Piano ask for the same export at the same moment (ten threads, ten requests)."""
    ambito = Ambito.objects.create(nome="Ambito concorrente", slug="concorrente", codice="CONCORRENTE")
    Comune.objects.bulk_create(
        Comune(codice_istat=f"{800000 + i:06d}", nome=f"Comune {i}", ambito=ambito) for i in range(20)
    )
    clients = sessions(*(user_with_role(f"udp-{i}", Ruolo.UFFICIO_PIANO, ambito=ambito) for i in range(10)))
    url = reverse("monitoring:overview", args=["concorrente"])
    enqueued.clear()
    responses = at_once(lambda client: client.get(url, {"_export": "valori"}), clients)
    assert not raised(responses)
    job = Job.objects.get()
    detail = reverse("jobs:detail", args=[job.pk])
    assert [(r.status_code, r.get("Location")) for r in responses] == [(302, detail)] * 10
    assert enqueued == [[job.pk, 1]]
    assert job.richiedenti.count() == 10
