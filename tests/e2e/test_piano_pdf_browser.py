"""In Chromium: a Dirigente opens the Magentino plan page, asks for the Piano di Zona PDF, sees the progress page
while it is generated in the background, and gets the file."""

import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Ruolo
from reports import generation
from tests.e2e.conftest import log_in_new_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dirigente_downloads_the_plan_pdf_from_the_plan_page(live_server, page, settings, monkeypatch, demo_magentino):
    settings.REPORTS_SYNC = False  # the real path: generation in a background thread
    monkeypatch.setattr(generation, "WAIT_SECONDS", 0.5)  # show the progress page at once
    piano = reverse("planning:piano_detail", args=["magentino-2025-2027"])
    log_in_new_user(page, live_server, "dirigente.pdf", Ruolo.DIRIGENTE, piano, ambito=demo_magentino)

    with page.expect_download(timeout=120_000) as download_info:
        page.get_by_role("link", name="Scarica il Piano di Zona (PDF)").click()
        expect(page.get_by_text("Il documento è in preparazione")).to_be_visible()
    download = download_info.value
    assert download.suggested_filename == "piano-di-zona-magentino-2025-2027.pdf"
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 60
    assert reader.metadata.title == "Piano di Zona 2025-2027 – Ambito del Magentino"
    assert "131.668" in " ".join(p.extract_text() for p in reader.pages)
