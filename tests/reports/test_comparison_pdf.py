"""«Allegato: confronto degli indicatori» (PDF): produced as a job through the report machinery, cached by the data
versions, the same tables (totals as ratios of sums) and charts as the page, scoped like it."""

import pytest
from django.urls import reverse

from jobs.models import Job
from monitoring.models import ModelloScheda, Scheda
from monitoring.services import scheda_save, scheda_transition
from reports.jobs import spec_from_parametri
from reports.specs import report_spec
from territory.models import Ambito
from tests.documents import assert_tagged_pdf, body, pdf_text
from tests.monitoring.test_comparison import prova  # noqa: F401 (fixture)
from tests.schede_helpers import reggio

URL = reverse("reports:comparison_pdf", args=["reggio-emilia"])


@pytest.mark.django_db
def test_reggio_annex(client_for, admin_user):
    response = client_for(admin_user).get(URL, {"modello": "NID26"})
    assert response.status_code == 200
    data = body(response)
    title = "Allegato: confronto degli indicatori NID26 — Distretto di Reggio Emilia"
    assert_tagged_pdf(data, title=title, author="Comune di Reggio nell'Emilia")
    text = pdf_text(data)
    assert "Totale Ambito" in text
    assert "51,80%" in text
    assert "52,46%" in text
    assert "Obiettivo 33%" in text
    job = Job.objects.get()
    assert job.nome_file == "confronto-indicatori-reggio-emilia-nid26.pdf"
    soc = pdf_text(body(client_for(admin_user).get(URL, {"modello": "SOC26"})))
    assert "2.651" in soc
    assert "LEP 1 ogni 5.000" in soc
    assert Job.objects.count() == 2  # one document per template


@pytest.mark.django_db
def test_totals_of_the_annex_are_ratios_of_sums(client_for, admin_user, prova):  # noqa: F811
    ambito, _comuni = prova
    client = client_for(admin_user)
    text = pdf_text(body(client.get(reverse("reports:comparison_pdf", args=[ambito.slug]), {"modello": "NID26"})))
    assert "Totale Ambito 11,05%" in text  # 115 / 1041, not the mean of the Comuni (30,75%)
    assert "229" in text  # the totals' gap in places
    assert "30,75" not in text


@pytest.mark.django_db
def test_cached_by_data_and_made_again_by_the_worker(client_for, admin_user):
    client = client_for(admin_user)
    first = body(client.get(URL, {"modello": "SOC26"}))
    assert body(client.get(URL, {"modello": "SOC26"})) == first
    assert Job.objects.count() == 1
    job = Job.objects.get()
    assert job.parametri["modello"] == ModelloScheda.objects.get(codice="SOC26").pk
    spec = spec_from_parametri(job.parametri)
    assert (spec.kind, spec.filename) == (job.kind, job.nome_file)  # the worker makes the same document
    assert spec.build().startswith(b"%PDF")
    scheda = scheda_transition(scheda=reggio("SOC26"), user=admin_user, action="riapri", reason="correzione")
    scheda_save(scheda=scheda, user=admin_user, values={("R01", "Y2025"): "30"}, expected_version=scheda.versione)
    changed = pdf_text(body(client.get(URL, {"modello": "SOC26"})))
    assert Job.objects.count() == 2
    assert "5.743" in changed  # 172.284 / 30


@pytest.mark.django_db
def test_scoping(client_for, udp_user, operatore_user):
    assert client_for(udp_user).get(URL).status_code == 404
    assert client_for(operatore_user).get(reverse("reports:comparison_pdf", args=["magentino"])).status_code == 404
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_spec_names_the_template(admin_user):
    ambito = Ambito.objects.get(slug="reggio-emilia")
    comuni = ambito.comuni.all()
    nid, soc = (ModelloScheda.objects.get(codice=c) for c in ("NID26", "SOC26"))
    specs = [report_spec("confronto", "pdf", ambito, comuni=comuni, modello=m, lettore=["tutto"]) for m in (nid, soc)]
    assert specs[0].key != specs[1].key
    assert Scheda.objects.filter(comune__ambito=ambito).count() == 2
