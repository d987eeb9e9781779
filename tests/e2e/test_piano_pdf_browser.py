"""In Chromium: a Dirigente opens the Magentino plan page, asks for the Piano di Zona PDF, sees the progress page
while the job waits in the queue, a worker of the task queue (database backend) builds it, and the page downloads
the file by itself. The document has only its context chapter here (tests/reports/conftest.py `only_chapters`):
the flow is under test, the whole document is in tests/reports/test_piano_pdf.py."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Ruolo
from planning.models import PianoDiZona, TipoCapitolo
from tests.e2e.conftest import log_in_new_user
from tests.reports.conftest import only_chapters

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dirigente_downloads_the_plan_pdf_from_the_plan_page(live_server, page, settings, demo_magentino):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    piano = reverse("planning:piano_detail", args=["magentino-2025-2027"])
    log_in_new_user(page, live_server, "dirigente.pdf", Ruolo.DIRIGENTE, piano, ambito=demo_magentino)

    with (
        only_chapters(PianoDiZona.objects.get(slug="magentino-2025-2027"), TipoCapitolo.CONTESTO),
        page.expect_download(timeout=120_000) as download_info,
    ):
        page.get_by_role("link", name="Scarica il Piano di Zona (PDF)").click()
        expect(page.get_by_text("In coda: il lavoro partirà")).to_be_visible()
        expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)  # the worker
    download = download_info.value
    assert download.suggested_filename == "piano-di-zona-magentino-2025-2027.pdf"
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 5  # cover, contents, the context chapter with its tables and charts
    assert reader.metadata.title == "Piano di Zona 2025-2027 – Ambito del Magentino"
    assert "131.668" in " ".join(p.extract_text() for p in reader.pages)
    page.goto(live_server.url + reverse("jobs:list"))
    expect(page.get_by_role("row", name="Piano di Zona 2025-2027")).to_contain_text("Pronto")
