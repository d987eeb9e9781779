"""The comparison of the indicators across the Ambiti of a Regione (issue 13, point 6): totals of the Regione as
ratios of sums across Ambiti, chart and table per indicator, CSV/XLSX, the PDF annex (a job cached by the data
versions of the Regione's Ambiti), scoping (the Regione's users and the Amministratore only), constant queries."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Ruolo
from jobs.models import Job
from monitoring.campaigns.regione_comparison import regione_comparison
from monitoring.models import ModelloScheda, Scheda
from reports.jobs import spec_from_parametri
from territory.models import Ambito, Regione
from tests.documents import body, pdf_text, xlsx_rows
from tests.factories import user_with_role
from tests.monitoring.test_comparison import indicator, make_ambito, nid_schede

pytestmark = pytest.mark.django_db

D = Decimal
URL = reverse("monitoring:regione_confronto")
PDF = reverse("reports:regione_comparison_pdf")
PAGE_QUERIES = 9  # session, user, grants, Regioni, templates, campaigns, chosen template, Ambiti, schede


@pytest.fixture
def molise() -> Regione:
    """Molise with three Ambiti: nord 5/10 + 100/1000 (105/1010 = 10,40%), sud 60/100 (60%) and its sub-ambito
    sud-ovest 40/100 (40%). Totals: 205/1210 = 16,94% (the mean of the Ambiti would be 36,80%)."""
    regione = Regione.objects.get(nome="Molise")
    nord, comuni_nord = make_ambito("nord", 2, provincia="BO")
    sud, comuni_sud = make_ambito("sud", 1, provincia="FE")
    sub, comuni_sub = make_ambito("sud-ovest", 1, provincia="MO", parent=sud)
    Ambito.objects.filter(pk__in=[nord.pk, sud.pk, sub.pk]).update(regione=regione)
    nid_schede(comuni_nord, [(5, 10), (100, 1000)])
    nid_schede(comuni_sud + comuni_sub, [(60, 100), (40, 100)])
    return regione


@pytest.fixture
def molise_user(molise):
    return user_with_role("regione-molise", Ruolo.REGIONE, regione=molise)


def test_totals_are_ratios_of_sums_across_ambiti(molise):
    r21 = indicator(regione_comparison(molise, ModelloScheda.objects.get(codice="NID26")), "R21")
    by_name = {r.name: r for r in r21.rows}
    assert set(by_name) == {"Ambito nord", "Ambito sud", "Ambito sud-ovest"}
    assert by_name["Ambito nord"].value == D(10500) / D(1010)
    assert by_name["Ambito nord"].targets[0].gap == 229  # 33% of 1010 = 333,3 places, 105 there
    assert by_name["Ambito sud"].value == 60  # the sub-ambito's Comune counts under the sub-ambito
    assert by_name["Ambito sud-ovest"].value == 40
    assert r21.total.name == "Totale Molise"
    assert (r21.total.numerator, r21.total.denominator) == (205, 1210)
    assert r21.total.value == D(20500) / D(1210)  # 16,94%, not the mean of the Ambiti (36,80%)
    assert r21.rounded(r21.total.value) == D("16.94")
    assert r21.total.targets[0].gap == 195  # 33% of 1210 = 399,3 places, 205 there
    assert r21.gap_sums == [D(229)]


def test_page_sections_and_link_from_the_regional_page(client_for, molise_user, molise):
    client = client_for(molise_user)
    regional = client.get(reverse("monitoring:regione"), {"modello": "NID26"}).content.decode()
    assert f"{URL}?regione={molise.codice}&amp;modello=NID26" in regional
    response = client.get(URL, {"modello": "NID26"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confronto degli indicatori — Regione Molise" in html
    assert 'data-testid="confronto-R21"' in html
    assert 'data-testid="confronto-R22"' in html
    assert f'data-testid="grafico-confronto-regione-{molise.codice}-r21"' in html
    total = html.split('data-testid="totale-R21"')[1].split("</tr>")[0]
    assert "Totale Molise" in total
    assert "16,94" in total
    assert "195" in total
    assert f"{PDF}?regione={molise.codice}&amp;modello=NID26" in html
    assert response.context["comparison"].unit_label == "Ambito"


def test_scoping(client_for, molise, molise_user, regione_user, udp_user, admin_user):
    # a Lombardia user asking Molise, an Ufficio di Piano user: 404, page and PDF
    assert client_for(regione_user).get(URL, {"regione": molise.codice}).status_code == 404
    assert client_for(regione_user).get(PDF, {"regione": molise.codice}).status_code == 404
    assert client_for(udp_user).get(URL).status_code == 404
    assert client_for(udp_user).get(PDF).status_code == 404
    assert client_for(molise_user).get(URL, {"modello": "NESSUNO"}).status_code == 404
    assert not Job.objects.exists()
    # the Lombardia user sees Lombardia's Ambiti only; the Amministratore any Regione
    lombardia = client_for(regione_user).get(URL, {"modello": "NID26"})
    names = {r.name for r in indicator(lombardia.context["comparison"], "R21").rows}
    assert "Ambito nord" not in names
    assert "Magentino" in " ".join(names)
    admin = client_for(admin_user).get(URL, {"regione": molise.codice, "modello": "NID26"})
    assert admin.status_code == 200
    assert indicator(admin.context["comparison"], "R21").total.numerator == 205


def test_queries_do_not_grow_with_the_ambiti(client_for):
    """The same number of queries with 2 and with 10 Ambiti in the Regione (page and export)."""
    regione = Regione.objects.get(nome="Molise")
    client = client_for(user_with_role("regione-m", Ruolo.REGIONE, regione=regione))

    def add_ambiti(start: int, stop: int) -> None:
        for i in range(start, stop):
            ambito, comuni = make_ambito(f"a{i}", 2, provincia="BO")
            Ambito.objects.filter(pk=ambito.pk).update(regione=regione)
            nid_schede(comuni, [(i + 1, 10), (3, 10)])

    def count(params: dict) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, params)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    add_ambiti(0, 2)
    client.get(URL, {"modello": "NID26"})  # warms the template's definition
    page, export = count({"modello": "NID26"}), count({"modello": "NID26", "_export": "csv"})
    add_ambiti(2, 10)
    assert count({"modello": "NID26"}) == page
    assert count({"modello": "NID26", "_export": "csv"}) == export
    assert page <= PAGE_QUERIES
    response = client.get(URL, {"modello": "NID26"})
    assert len(indicator(response.context["comparison"], "R21").rows) == 10


def test_csv_and_xlsx(client_for, molise_user, molise):
    client = client_for(molise_user)
    response = client.get(URL, {"modello": "NID26", "_export": "csv"})
    assert response.status_code == 200
    assert "confronto-molise-NID26" in response["Content-Disposition"]
    text = body(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Indicatore", "Ambito", "Codice", "Valore"]
    total = next(r for r in rows if r[0] == "R21" and r[1] == "Totale Molise")
    assert total[3:6] == ["16,94", "205", "1210"]
    assert total[9] == "195"
    nord = next(r for r in rows if r[0] == "R21" and r[1] == "Ambito nord")
    assert nord[2] == "nord"
    assert nord[9] == "229"
    xlsx = xlsx_rows(body(client.get(URL, {"modello": "NID26", "_export": "xlsx"})))
    (xtotal,) = [r for r in xlsx if r[0] == "R21" and r[1] == "Totale Molise"]
    assert xtotal[3:6] == (16.94, 205, 1210)
    assert client.get(URL, {"modello": "NID26", "_export": "pdf"}).status_code == 404


def test_pdf_annex_contains_the_totals_and_is_cached_by_data(client_for, molise_user, molise, admin_user):
    client = client_for(molise_user)
    first = body(client.get(PDF, {"modello": "NID26"}))
    text = pdf_text(first)
    assert "Allegato: confronto degli indicatori NID26 — Regione Molise" in text
    assert "Totale Molise 16,94%" in text
    assert "195" in text
    assert "36,80" not in text
    job = Job.objects.get()
    assert job.nome_file == "confronto-indicatori-regione-molise-nid26.pdf"
    # the same document for another reader of the Regione (the Amministratore): served from the cache
    assert body(client_for(admin_user).get(PDF, {"regione": molise.codice, "modello": "NID26"})) == first
    assert Job.objects.count() == 1
    spec = spec_from_parametri(job.parametri)  # the worker makes it again
    assert (spec.kind, spec.filename) == (job.kind, job.nome_file)
    # a changed scheda of a sub-ambito: a new document
    scheda = Scheda.objects.get(comune__ambito__slug="sud-ovest", modello__codice="NID26")
    scheda.indicatori = {**scheda.indicatori, "R21": {"num": "240", "den": "100", "targets": [None]}}
    scheda.save()
    changed = pdf_text(body(client_for(molise_user).get(PDF, {"modello": "NID26"})))
    assert Job.objects.count() == 2
    assert "Totale Molise 33,47%" in changed  # 405 / 1210
