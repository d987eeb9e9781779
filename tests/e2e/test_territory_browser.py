"""In Chromium: log in, open the Magentino page, filter, download the XLSX and read it back."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Ruolo
from tests.e2e.conftest import log_in_new_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_filter_and_download_xlsx(live_server, page, demo_magentino):
    ambito = reverse("planning:ambito_detail", args=["magentino"])
    log_in_new_user(page, live_server, "udp.browser", Ruolo.UFFICIO_PIANO, ambito, ambito=demo_magentino)
    assert page.get_by_test_id("totale-popolazione").inner_text() == "131.668"

    page.get_by_label("Popolazione minima").fill("12.000")
    page.get_by_role("button", name="Filtra").click()
    page.wait_for_url("**pop_min=12.000**")
    assert page.get_by_test_id("totale-comuni").inner_text() == "5"
    assert page.get_by_test_id("totale-popolazione").inner_text() == "86.011"

    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    assert download.suggested_filename == "comuni-magentino-2024.xlsx"
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][1] == "Comune"
    assert {row[1] for row in rows[1:]} == {"Arluno", "Bareggio", "Corbetta", "Magenta", "Sedriano"}
    assert sum(row[3] for row in rows[1:]) == 86011
