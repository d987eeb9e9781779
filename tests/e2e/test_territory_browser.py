"""In Chromium: log in, open the Magentino page, filter, download the XLSX and read it back."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Ruolo
from territory.models import Ambito
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_territory(db):
    call_command("load_demo", "--no-users", verbosity=0)
    return Ambito.objects.get(slug="magentino")


def test_login_filter_and_download_xlsx(live_server, page, demo_territory):
    user_with_role("udp.browser", Ruolo.UFFICIO_PIANO, ambito=demo_territory)
    ambito = reverse("planning:ambito_detail", args=["magentino"])
    page.goto(f"{live_server.url}{ambito}")
    assert reverse("login") in page.url  # redirected to login
    page.get_by_label("Nome utente").fill("udp.browser")
    page.get_by_label("Password").fill("password-di-prova-123")
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"**{ambito}")
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
