"""Health check, UI shell (Italian, Bootstrap Italia, no placeholders), formatting and charts."""

import re
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError
from django.urls import reverse

from accounts.models import Ruolo
from core.charts import line_chart
from core.formatting import it_number, it_percent
from territory.models import Ambito, Regione
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_healthz_ok_without_login(client):
    response = client.get(reverse("portal:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_down(client):
    with mock.patch("portal.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("portal:healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "error"


PLACEHOLDERS = ["Nome Ente", "Nome Organizzazione", "Link 1", "Lorem", "Esempio di Megamenu", "link 1 attivo"]


@pytest.mark.parametrize(
    "url",
    [
        reverse("portal:home"),
        reverse("planning:ambito_detail", args=["magentino"]),
        reverse("planning:comune_detail", args=["015130"]),
        reverse("portal:privacy"),
    ],
)
def test_shell_is_italian_bootstrap_italia_without_placeholders(client_for, udp_user, url):
    page = client_for(udp_user).get(url).content.decode()
    assert '<html lang="it">' in page
    assert "bootstrap-italia.min.css" in page
    assert 'href="#contenuto"' in page
    assert 'id="contenuto"' in page
    for label in ("Territorio", "Piano di Zona", "Monitoraggio", "Report"):
        assert f"<span>{label}</span>" in page
    for label in ("Privacy", "Note legali", "Dichiarazione di accessibilità"):
        assert label in page
    assert "Ambito del Magentino" in page.split("</header>")[0]  # current Ambito in the header
    for placeholder in PLACEHOLDERS:
        assert placeholder not in page


def test_legal_pages(client_for, udp_user):
    client = client_for(udp_user)
    assert "Legge 4/2004" in client.get(reverse("portal:accessibilita")).content.decode()
    assert "GDPR" in client.get(reverse("portal:privacy")).content.decode()
    assert "Note legali" in client.get(reverse("portal:note_legali")).content.decode()


def test_static_favicons_exist():
    assert finders.find("images/favicon-32x32.png")
    assert finders.find("css/portal.css")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.56, 2, "1.234,56"),
        (Decimal("131668"), 0, "131.668"),
        (Decimal("2.5"), 0, "3"),  # half up, not banker's rounding
        (Decimal("3474.5"), 0, "3.475"),
        (-1234567.891, 1, "-1.234.567,9"),
        (None, 0, ""),
        (1234567, 0, "1.234.567"),  # a count: written without going through Decimal
        (-1234, 0, "-1.234"),
        (0, 0, "0"),
        (7, 2, "7,00"),
    ],
)
def test_it_number(value, decimals, expected):
    assert it_number(value, decimals) == expected


def test_it_percent():
    assert it_percent(Decimal("12.345"), 1) == "12,3%"


def test_line_chart_is_accessible_svg():
    chart = line_chart(
        title="Popolazione", description="Andamento", series=[("Totale", [(2015, 100), (2016, 1200)])], chart_id="c1"
    )
    svg = str(chart.svg)
    assert chart.rows == [[2015, 100], [2016, 1200]]
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert '<title id="c1-title">Popolazione</title>' in svg
    assert '<desc id="c1-desc">Andamento</desc>' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert "1.200" in svg  # Italian tick/point labels
    assert svg.count("<circle") == 2


def test_comune_page_has_chart_and_data_table(client_for, udp_user):
    page = client_for(udp_user).get(reverse("planning:comune_detail", args=["015130"])).content.decode()
    assert "<svg" in page
    assert "Popolazione residente di Magenta" in page
    table = page.split('data-testid="serie-popolazione"')[1].split("</table>")[0]
    assert "<caption>" in table
    assert 'scope="col"' in table
    assert "23.482" in table
    assert "24.598" in table
    assert "01/01/2024" in table  # dd/mm/yyyy


@pytest.mark.parametrize(
    "url", [reverse("planning:ambito_detail", args=["magentino"]), reverse("monitoring:overview", args=["magentino"])]
)
def test_table_headers_have_one_scope(client_for, udp_user, url):
    page = client_for(udp_user).get(url).content.decode()
    assert 'scope="col"' in page
    assert page.count('scope="col" scope="col"') == 0
    assert 'scope="col" class="text-end" scope="col"' not in page

    assert not [th for th in re.findall(r"<th[^>]*>", page) if th.count("scope=") > 1]


def header_line(response) -> str:
    match = re.search(r'data-testid="ambito-corrente">\s*(.*?)\s*</div>', response.content.decode(), re.S)
    assert match, "the header's line is missing"
    return match[1]


def test_the_header_names_the_regione_of_a_regione_user_and_the_ambito_of_its_pages(client_for, udp_user, magentino):
    regione = user_with_role("regione-lombardia", Ruolo.REGIONE, regione=Regione.objects.get(nome="Lombardia"))
    client = client_for(regione)
    assert header_line(client.get(reverse("portal:home"))) == "Regione Lombardia"
    ambito_page = client.get(reverse("planning:ambito_detail", args=[magentino.slug]))
    assert header_line(ambito_page) == magentino.nome
    assert header_line(client_for(udp_user).get(reverse("portal:home"))) == magentino.nome


def test_the_schede_overview_names_its_own_ambito_in_the_header(client_for, udp_user, magentino):
    """The overview of another Ambito than the last one visited names the overview's Ambito (it used to name the
    last Ambito of the session)."""
    regione = user_with_role("regione-lombardia", Ruolo.REGIONE, regione=Regione.objects.get(nome="Lombardia"))
    client = client_for(regione)
    oglio_po = Ambito.objects.get(slug="oglio-po")
    client.get(reverse("planning:ambito_detail", args=[magentino.slug]))  # the session's current Ambito
    assert header_line(client.get(reverse("monitoring:overview", args=[oglio_po.slug]))) == oglio_po.nome
    assert header_line(client.get(reverse("monitoring:overview", args=[magentino.slug]))) == magentino.nome
