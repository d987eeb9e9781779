"""«Importa schede» (monitoring:schede_import): the web import of many schede of an Ambito runs as a job, never in
the request; step n of m; all or nothing in one transaction; only the Comuni of the user's Ambito."""

from __future__ import annotations

import io
import json
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Ruolo
from jobs import runner
from jobs.models import Job
from jobs.uploads import upload_path
from monitoring import exchange, import_jobs
from monitoring.models import Scheda
from monitoring.services import scheda_raw_values, scheda_save
from tests.factories import user_with_role
from tests.job_requests import forbid_in_the_request, requested_job

from .helpers import snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_campaigns")]

IMPORT = reverse("monitoring:schede_import", args=["magentino"])
OVERVIEW = reverse("monitoring:overview", args=["magentino"])


def export(template: str, comune: str) -> dict:
    out = io.StringIO()
    call_command("export_schede", "--template", template, "--comune", comune, stdout=out)
    return json.loads(out.getvalue())


def upload(document, name="schede.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(document, ensure_ascii=False).encode(), "application/json")


def test_the_upload_is_enqueued_never_run_in_the_request(
    client_for, udp_user, dummy_queue, monkeypatch, magenta_nid, enqueued
):
    forbid_in_the_request(
        monkeypatch,
        "importazione",
        (import_jobs, "schede_import"),
        (exchange, "schede_import"),
        (import_jobs, "check_import"),
    )
    doc = export("NID26", "015130")
    doc["valori"]["R05"]["N25"] = "200"
    client = client_for(udp_user)
    page = client.get(OVERVIEW).content.decode()
    assert f'href="{IMPORT}"' in page
    assert "Importa schede da file" in page
    enqueued.clear()
    response = client.post(IMPORT, {"file": upload(doc)})
    job = requested_job(response, enqueued)
    assert (job.kind, job.stato) == (import_jobs.IMPORT, Job.Stato.IN_CODA)
    assert "015130" in job.parametri["comuni"]
    assert scheda_raw_values(magenta_nid)[("R05", "N25")] != "200"  # nothing written by the request
    progress = client.get(response["Location"]).content.decode()
    assert "Importazione schede «schede.json» — Ambito Magentino" in progress or "Importazione schede" in progress
    assert 'role="progressbar"' in progress
    # the same file again is the same job; another file is another job
    assert client.post(IMPORT, {"file": upload(doc)})["Location"] == response["Location"]
    doc["valori"]["R05"]["N25"] = "201"
    assert client.post(IMPORT, {"file": upload(doc)})["Location"] != response["Location"]
    assert Job.objects.count() == 2


def test_the_job_imports_every_scheda_step_n_of_m(client_for, udp_user, magenta_nid):
    doc = export("NID26", "015130")
    doc["valori"]["R05"]["N25"] = "200"
    created = {"template": "SOC26", "comune": "015130", "anno": 2025, "valori": {"M12": {"U25": "1.234"}}}
    client = client_for(udp_user)
    response = client.post(IMPORT, {"file": upload([doc, created])})  # ImmediateBackend: the worker's run
    job = Job.objects.get()
    assert job.stato == Job.Stato.PRONTO, job.errore
    assert (job.passo, job.passi) == (3, 3)  # two schede checked, then one transaction
    assert job.esito == "2 schede importate: 2 modificate (2 celle), 1 create"
    assert scheda_raw_values(magenta_nid)[("R05", "N25")] == "200"
    soc = Scheda.objects.get(modello__codice="SOC26", comune_id="015130")
    assert scheda_raw_values(soc) == {("M12", "U25"): "1234"}
    page = client.get(response["Location"]).content.decode()
    assert "Lavoro completato: 2 schede importate" in page
    listing = client.get(reverse("jobs:list")).content.decode()
    assert "Importazione schede «schede.json»" in listing


def test_one_bad_row_writes_nothing_and_names_the_row(client_for, udp_user, magenta_nid):
    good = export("NID26", "015130")
    good["valori"]["R05"]["N25"] = "200"
    bad = {"template": "SOC26", "comune": "015130", "valori": {"M12": {"U25": "molti"}}}
    before = snapshot(magenta_nid)
    client = client_for(udp_user)
    response = client.post(IMPORT, {"file": upload([good, bad], "ottobre.json")})
    job = Job.objects.get()
    assert job.stato == Job.Stato.ERRORE
    assert "Importazione di «ottobre.json» rifiutata, nessun dato salvato (1 problemi)" in job.errore
    assert "ottobre.json, scheda 2 (SOC26 015130): Cella M12/U25: Valore non numerico: «molti»" in job.errore
    assert snapshot(magenta_nid) == before
    assert not Scheda.objects.filter(modello__codice="SOC26", comune_id="015130").exists()
    page = client.get(response["Location"]).content.decode()
    assert "ottobre.json, scheda 2 (SOC26 015130): Cella M12/U25: Valore non numerico" in page.replace("&#x27;", "'")
    assert "Riprova" in page


def test_a_scheda_of_another_ambito_is_refused_by_row(client_for, udp_user, magenta_nid, reggio_soc):
    good = export("NID26", "015130")
    good["valori"]["R05"]["N25"] = "200"
    other = {"template": "SOC26", "comune": "035033", "valori": {}}  # Reggio nell'Emilia: not in the Magentino
    before = snapshot(magenta_nid)
    client_for(udp_user).post(IMPORT, {"file": upload([good, other])})
    job = Job.objects.get()
    assert job.stato == Job.Stato.ERRORE
    assert (
        "schede.json, scheda 2 (SOC26 035033): il Comune con codice ISTAT «035033» non è tra i Comuni del Suo "
        "Ambito: scheda rifiutata." in job.errore
    )
    assert snapshot(magenta_nid) == before


def test_a_scheda_changed_after_the_check_is_a_conflict(udp_user, magenta_nid):
    """Optimistic lock: the versions checked in the first pass are expected by the transaction."""
    doc = {"template": "NID26", "comune": "015130", "valori": {"R05": {"N25": "200"}}}
    items = exchange.read_import_file(_write(doc))
    errors, versions = exchange.check_import(items, allowed_comuni={"015130"})
    assert errors == []
    scheda_save(scheda=magenta_nid, user=udp_user, values={("R05", "S25"): "1"}, expected_version=magenta_nid.versione)
    with pytest.raises(exchange.ImportSchedeError) as excinfo:
        exchange.schede_import(items=items, user=udp_user, allowed_comuni={"015130"}, expected_versions=versions)
    assert "modificata da un altro utente durante l'importazione" in str(excinfo.value)


def _write(doc):
    path = Path(tempfile.mkdtemp()) / "schede.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_scoping_and_role(client_for, udp_user, dirigente_user, oglio_po):
    other = user_with_role("udp-oglio", Ruolo.UFFICIO_PIANO, ambito=oglio_po)
    assert client_for(other).get(IMPORT).status_code == 404
    assert client_for(other).post(IMPORT, {"file": upload({})}).status_code == 404
    assert client_for(dirigente_user).get(IMPORT).status_code == 403
    assert not Job.objects.exists()
    page = client_for(udp_user).get(IMPORT)
    assert page.status_code == 200
    assert "Importa schede — Ambito Magentino" in page.content.decode() or "Importa schede" in page.content.decode()


def test_the_file_is_checked_in_the_request_with_italian_messages(client_for, udp_user):
    client = client_for(udp_user)
    response = client.post(IMPORT, {"file": SimpleUploadedFile("schede.csv", b"a;b", "text/csv")})
    assert response.status_code == 400
    assert "schede.csv: estensione «.csv» non ammessa, caricare un file .json o .xlsx." in response.content.decode()
    assert not Job.objects.exists()


def test_invalid_json_fails_the_job_with_the_file_name(client_for, udp_user):
    client_for(udp_user).post(IMPORT, {"file": SimpleUploadedFile("rotto.json", b"{non json", "application/json")})
    job = Job.objects.get()
    assert job.stato == Job.Stato.ERRORE
    assert "rotto.json: JSON non valido" in job.errore
    assert runner.execute(job.pk, 1) is False  # not ours to run again without «Riprova»


def test_the_uploaded_file_is_kept_for_retry_and_removed_with_its_job(client_for, udp_user, magenta_nid):
    doc = {"template": "NID26", "comune": "015130", "valori": {"R05": {"N25": "200"}}}
    client_for(udp_user).post(IMPORT, {"file": upload(doc)})
    job = Job.objects.get()
    stored = upload_path(job.chiave, "schede.json")
    assert stored.read_bytes() == json.dumps(doc, ensure_ascii=False).encode()
    Job.objects.filter(pk=job.pk).update(creato_il=timezone.now() - timedelta(days=40))
    call_command("pulisci_report", "--giorni", "30", stdout=io.StringIO())
    assert not stored.exists()
    assert not Job.objects.exists()


def test_a_key_repeated_in_the_json_fails_the_job_naming_it(client_for, udp_user, magenta_nid):
    text = '{"template": "NID26", "comune": "015130", "valori": {"R05": {"N25": "200"}, "R05": {"S25": "3"}}}'
    before = snapshot(magenta_nid)
    client_for(udp_user).post(IMPORT, {"file": SimpleUploadedFile("doppio.json", text.encode(), "application/json")})
    job = Job.objects.get()
    assert job.stato == Job.Stato.ERRORE
    assert (
        "doppio.json: la chiave «R05» compare più volte nell'oggetto «valori»: ogni chiave va scritta una sola volta."
    ) in job.errore
    assert snapshot(magenta_nid) == before
