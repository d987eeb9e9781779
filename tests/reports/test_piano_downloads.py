"""Downloads of the Piano di Zona (PDF and Excel): buttons, permissions, cache by data, commands, failures."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import Job
from monitoring.snapshots.models import Rilevazione
from planning.models import (
    Capitolo,
    Fondo,
    Intervento,
    Risorsa,
    SchedaValutazione,
    SpesaSociale,
    ValorePuntoChiave,
)
from reports.piano import pdf as piano_pdf
from reports.piano.document import piano_queryset
from reports.piano.fingerprint import piano_fingerprint
from reports.specs import report_spec
from territory.models import Popolazione
from tests.documents import body, read_xlsx

pytestmark = pytest.mark.django_db

PDF_URL = reverse("reports:piano_pdf", args=["magentino-2025-2027"])
XLSX_URL = reverse("reports:piano_xlsx", args=["magentino-2025-2027"])
URLS = [PDF_URL, XLSX_URL]
FAKE_PDF = b"%PDF-1.7 piano di prova"


@pytest.fixture
def fake_pdf(monkeypatch):
    """The PDF build replaced by fixed bytes (the real rendering is tested once in test_piano_pdf)."""
    calls = []

    def build(piano):
        calls.append(piano.titolo)
        return FAKE_PDF + piano.titolo.encode()

    monkeypatch.setattr(piano_pdf, "build_piano_pdf", build)
    return calls


def test_plan_page_and_dashboard_have_the_download_buttons(client_for, dirigente_user):
    client = client_for(dirigente_user)
    page = client.get(reverse("planning:piano_detail", args=["magentino-2025-2027"])).content.decode()
    assert f'href="{PDF_URL}"' in page
    assert "Scarica il Piano di Zona (PDF)" in page
    assert f'href="{XLSX_URL}"' in page
    dashboard = client.get(reverse("reports:dashboard", args=["magentino"])).content.decode()
    assert f'href="{PDF_URL}"' in dashboard
    assert f'href="{XLSX_URL}"' in dashboard
    assert "Piano di Zona 2025-2027 – Ambito del Magentino" in dashboard


@pytest.mark.parametrize("url", URLS)
def test_readers_of_the_plan_download(client_for, dirigente_user, udp_user, admin_user, fake_pdf, url):
    for user in (dirigente_user, udp_user, admin_user):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        data = body(response)
        if url.endswith(".pdf"):
            assert response["Content-Type"] == "application/pdf"
            assert data.startswith(b"%PDF")
            assert 'filename="piano-di-zona-magentino-2025-2027.pdf"' in response["Content-Disposition"]
        else:
            assert data[:2] == b"PK"
            assert read_xlsx(data).sheetnames[0] == "Obiettivi"
            assert 'filename="piano-di-zona-magentino-2025-2027.xlsx"' in response["Content-Disposition"]


@pytest.mark.parametrize("url", URLS)
def test_others_get_404(client_for, operatore_user, udp_oglio, fake_pdf, url):
    assert client_for(operatore_user).get(url).status_code == 404  # a Comune's operator does not read the plan
    assert client_for(udp_oglio).get(url).status_code == 404  # another Ambito
    assert not fake_pdf
    assert not Job.objects.exists()


@pytest.mark.parametrize("url", URLS)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_unknown_plan_is_404(client_for, admin_user):
    assert client_for(admin_user).get(reverse("reports:piano_pdf", args=["nessuno"])).status_code == 404


def test_xlsx_cached_until_an_intervention_changes(client_for, udp_user, piano):
    client = client_for(udp_user)
    first = body(client.get(XLSX_URL))
    assert body(client.get(XLSX_URL)) == first  # from the cache
    assert Job.objects.count() == 1
    intervento = Intervento.objects.get(piano=piano, titolo="Interventi a sostegno della domiciliarità")
    intervento.titolo = "Domiciliarità: interventi a sostegno delle famiglie"
    intervento.save()
    changed = body(client.get(XLSX_URL))
    assert changed != first
    assert Job.objects.count() == 2
    titles = [r[2] for r in read_xlsx(changed)["Interventi"].iter_rows(min_row=2, values_only=True)]
    assert "Domiciliarità: interventi a sostegno delle famiglie" in titles


def test_pdf_regenerated_after_an_edit(client_for, udp_user, piano, fake_pdf):
    client = client_for(udp_user)
    first = body(client.get(PDF_URL))
    body(client.get(PDF_URL))
    assert len(fake_pdf) == 1  # the second download came from the cache
    key = report_spec("piano", "pdf", fresh(piano)).key
    intervento = Intervento.objects.filter(piano=piano).first()
    intervento.titolo = "Titolo cambiato"
    intervento.save()
    assert report_spec("piano", "pdf", fresh(piano)).key != key
    body(client.get(PDF_URL))
    assert len(fake_pdf) == 2
    assert first.startswith(FAKE_PDF)


def fresh(piano):
    """The plan as the download view loads it (the cache key is made of the data versions loaded with it)."""
    return piano_queryset().get(pk=piano.pk)


def _edits(piano):
    def chapter():
        c = Capitolo.objects.get(piano=piano, titolo="Introduzione")
        c.corpo += "\n\nUna frase in più."
        c.save()

    def population():
        p = Popolazione.objects.get(comune__nome="Magenta", anno=2024)
        p.totale += 1
        p.save()

    def key_point():
        v = ValorePuntoChiave.objects.filter(valore__intervento__piano=piano).first()
        v.testo = "Punto chiave riscritto"
        v.save()

    def status():
        intervento = Intervento.objects.filter(piano=piano).first()
        intervento.stato = "in_corso"
        intervento.save()

    def resource():
        Risorsa.objects.create(
            intervento=Intervento.objects.filter(piano=piano).first(), fondo=Fondo.objects.first(), anno=2025,
            previsto=Decimal("10"),
        )  # fmt: skip

    return {"chapter": chapter, "population": population, "key_point": key_point, "status": status,
            "resource": resource}  # fmt: skip


@pytest.mark.parametrize("edit", ["chapter", "population", "key_point", "status", "resource"])
def test_fingerprint_changes_with_any_edit(piano, edit):
    """An edit of the plan (chapter, card, key point, resource) or of its Ambito (population) changes the
    fingerprint; the imports (bulk writes) are in tests/reports/test_data_versions.py."""
    before = piano_fingerprint(fresh(piano))
    assert piano_fingerprint(fresh(piano)) == before  # stable while nothing changes
    _edits(piano)[edit]()
    assert piano_fingerprint(fresh(piano)) != before


def test_failure_is_shown_and_no_file_is_served(client_for, udp_user, monkeypatch, caplog):
    def broken(piano):
        raise RuntimeError("impaginazione fallita")

    monkeypatch.setattr(piano_pdf, "build_piano_pdf", broken)
    client = client_for(udp_user)
    response = client.get(PDF_URL)
    job = Job.objects.get()
    assert response.status_code == 302  # to the progress page of the failed job, never a file
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Non è stato possibile completare «Piano di Zona 2025-2027" in page
    assert "impaginazione fallita" in page
    assert f'action="{reverse("jobs:retry", args=[job.pk])}"' in page
    assert f'href="{reverse("planning:piano_detail", args=["magentino-2025-2027"])}"' in page  # back to the plan
    assert "impaginazione fallita" in caplog.text
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_commands_write_the_same_files_as_the_buttons(client_for, udp_user, fake_pdf, tmp_path):
    client = client_for(udp_user)
    pdf, xlsx = body(client.get(PDF_URL)), body(client.get(XLSX_URL))
    call_command("piano_pdf", "--ambito", "magentino", "--periodo", "2025-2027", "--output", tmp_path / "p.pdf")
    call_command("piano_xlsx", "--ambito", "magentino", "--periodo", "2025-2027", "--output", tmp_path / "p.xlsx")
    assert (tmp_path / "p.pdf").read_bytes() == pdf
    assert (tmp_path / "p.xlsx").read_bytes() == xlsx
    assert len(fake_pdf) == 1


def test_command_generates_when_nothing_is_cached(fake_pdf, tmp_path):
    call_command("piano_xlsx", "--ambito", "magentino", "--periodo", "2025", "--output", tmp_path / "d" / "p.xlsx")
    assert load_workbook(tmp_path / "d" / "p.xlsx").sheetnames[-1] == "Spesa"
    call_command("piano_pdf", "--ambito", "magentino", "--periodo", "2025-2027", "--output", tmp_path / "p.pdf")
    assert (tmp_path / "p.pdf").read_bytes().startswith(FAKE_PDF)


@pytest.mark.parametrize(
    ("ambito", "periodo", "message"),
    [("nessuno", "2025-2027", "inesistente"), ("magentino", "2030-2032", "Nessun Piano"), ("magentino", "x", "non")],
)
def test_command_errors(ambito, periodo, message):
    with pytest.raises(CommandError, match=message):
        call_command("piano_pdf", "--ambito", ambito, "--periodo", periodo)


def test_fingerprint_includes_spending_evaluation_and_snapshots(piano):
    before = piano_fingerprint(fresh(piano))
    fact = SpesaSociale.objects.filter(tabella__ambito=piano.ambito).first()
    fact.valore = (fact.valore or 0) + 1
    fact.save()
    after_spending = piano_fingerprint(fresh(piano))
    assert after_spending != before
    scheda = SchedaValutazione.objects.filter(valutazione__piano=piano).first()
    scheda.d5_criticita = "Nuove criticità"
    scheda.save()
    after_evaluation = piano_fingerprint(fresh(piano))
    assert after_evaluation != after_spending
    rilevazione = Rilevazione.objects.filter(piano=piano).first()
    rilevazione.note = "Nota aggiunta"
    rilevazione.save()
    assert piano_fingerprint(fresh(piano)) != after_evaluation
