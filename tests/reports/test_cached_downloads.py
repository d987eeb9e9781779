"""A cached report is found from the data versions (core.versions) in a handful of queries, never by reading the
data: PDF and workbook of the Piano di Zona, the performance report, the Ambito monitoring report. An edit of a
chapter, an intervention, a population figure or a scheda value gives a new file; a change in another Ambito
does not."""

import pytest
from django.urls import reverse

from jobs.models import Job
from monitoring.models import ValoreCella
from planning.models import Capitolo, Intervento, PianoPerformance
from reports.piano import pdf as piano_pdf
from territory.models import Popolazione
from tests.documents import body

pytestmark = pytest.mark.django_db

PIANO = "magentino-2025-2027"
PDF_URL = reverse("reports:piano_pdf", args=[PIANO])
XLSX_URL = reverse("reports:piano_xlsx", args=[PIANO])
# session, user, the user's grants, the scoped object with select_related, the job of the key
MAX_QUERIES = 5


@pytest.fixture
def fake_pdf(monkeypatch):
    calls = []

    def build(piano):
        calls.append(piano.pk)
        return b"%PDF-1.7 prova " + str(len(calls)).encode()

    monkeypatch.setattr(piano_pdf, "build_piano_pdf", build)
    return calls


def performance_url(fmt: str) -> str:
    piano = PianoPerformance.objects.order_by("pk").first()
    return reverse(f"reports:performance_{fmt}", args=[piano.slug])


@pytest.mark.parametrize("url", [PDF_URL, XLSX_URL, "performance-pdf", "performance-xlsx", "monitoraggio"])
def test_a_cached_download_runs_at_most_five_queries(
    client_for, udp_user, fake_pdf, monkeypatch, django_assert_max_num_queries, url
):
    if url.startswith("performance"):
        url = performance_url(url.split("-")[1])
    elif url == "monitoraggio":
        url = reverse("reports:monitoring_pdf", args=["magentino"])
        monkeypatch.setattr("reports.monitoring_report.monitoring_pdf", lambda *args: b"%PDF-1.7 monitoraggio")
    client = client_for(udp_user)
    first = body(client.get(url))
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
        assert response.status_code == 200
        assert body(response) == first


def test_the_monitoring_report_is_shared_by_readers_with_the_same_grants(two_udp, admin_user, client_for, monkeypatch):
    built = []
    monkeypatch.setattr("reports.monitoring_report.monitoring_pdf", lambda *args: built.append(1) or b"%PDF-1.7 m")
    url = reverse("reports:monitoring_pdf", args=["magentino"])
    for client in two_udp:
        assert body(client.get(url)) == b"%PDF-1.7 m"
    assert len(built) == 1  # the same Comuni read: one file
    body(client_for(admin_user).get(url))
    assert len(built) == 2  # other grants: a file of its own


def _chapter(piano):
    capitolo = Capitolo.objects.filter(piano__slug=PIANO).order_by("pk").first()
    capitolo.corpo += "\n\nUna frase in più."
    capitolo.save()


def _intervention(piano):
    intervento = Intervento.objects.filter(piano__slug=PIANO).order_by("pk").first()
    intervento.titolo += " (rivisto)"
    intervento.save()


def _population(piano):
    fact = Popolazione.objects.filter(comune__ambito__slug="magentino").order_by("-anno").first()
    fact.totale += 1
    fact.save()


def _scheda_value(piano):
    valore = ValoreCella.objects.filter(scheda__comune__ambito__slug="magentino").order_by("pk").first()
    valore.valore = "12345"
    valore.save()


@pytest.mark.parametrize("edit", [_chapter, _intervention, _population, _scheda_value])
def test_an_edit_gives_a_new_file(client_for, udp_user, fake_pdf, edit):
    client = client_for(udp_user)
    first = body(client.get(PDF_URL))
    assert body(client.get(PDF_URL)) == first  # cached
    assert len(fake_pdf) == 1
    edit(None)
    assert body(client.get(PDF_URL)) != first  # a new key: generated again
    assert len(fake_pdf) == 2
    assert Job.objects.filter(kind="piano-di-zona-pdf").count() == 2


def test_a_change_in_another_ambito_keeps_the_cached_file(client_for, udp_user, fake_pdf):
    client = client_for(udp_user)
    first = body(client.get(PDF_URL))
    other = Intervento.objects.exclude(piano__ambito__slug="magentino").order_by("pk").first()
    other.titolo += " (rivisto)"
    other.save()
    fact = (
        Popolazione.objects.filter(comune__ambito__slug="oglio-po").first()
        or Popolazione.objects.exclude(comune__ambito__slug="magentino").exclude(comune__ambito=None).first()
    )
    fact.totale += 1
    fact.save()
    assert body(client.get(PDF_URL)) == first
    assert len(fake_pdf) == 1
