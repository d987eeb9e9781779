"""One rule for numbers (core.formatting): integers without decimals, amounts with two, percentages with one
decimal and «%», thousands always separated; years never. Checked on the functions and on real pages."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.template import Context, Template
from django.urls import reverse

from core.formatting import format_amount, format_int, format_percent, format_quantity
from monitoring.services import scheda_save
from monitoring.snapshots.models import Rilevazione
from planning.models import Fondo, Indicatore, Intervento, Risorsa, TargetIndicatore
from tests.schede_helpers import magenta_nid

pytestmark = pytest.mark.django_db

PIANO = "magentino-2025-2027"
PERCENT = re.compile(r"\d{1,3}(?:\.\d{3})*,\d%")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def column(html: str, table_testid: str, index: int) -> list[str]:
    """The texts of the index-th cell of every body row of a table."""
    table = html.split(f'data-testid="{table_testid}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody", 1)[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [text(re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)[index]).strip() for row in rows]


# --- The rule ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (format_int, Decimal("120.00"), "120"),  # a count stored as Decimal
        (format_int, 131668, "131.668"),
        (format_int, Decimal("2.5"), "3"),  # half up
        (format_amount, 1234.5, "1.234,50"),
        (format_amount, Decimal("0"), "0,00"),
        (format_amount, Decimal("-1234567.891"), "-1.234.567,89"),
        (format_percent, 100, "100,0%"),
        (format_percent, Decimal("85.714"), "85,7%"),
        (format_percent, Decimal("1234.56"), "1.234,6%"),
        (format_int, None, ""),
        (format_percent, "", ""),
    ],
)
def test_the_rule(function, value, expected):
    assert function(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (Decimal("120.00"), "numero", "120"),
        (Decimal("1200.00"), "", "1.200"),
        (Decimal("12.50"), "ore", "12,5"),
        (Decimal("12.25"), "ore", "12,25"),
        (Decimal("45.55"), "%", "45,6%"),
        (Decimal("45"), "percentuale", "45,0%"),
        (Decimal("1500"), "euro", "1.500,00"),
        (Decimal("1500"), "€", "1.500,00"),
        (None, "euro", ""),
    ],
)
def test_quantities_follow_their_unit(value, unit, expected):
    assert format_quantity(value, unit) == expected


def test_template_filters(rf):
    template = Template(
        "{% load portal %}{{ n|it_int }} {{ e|it_amount }} {{ p|it_pct }} {{ q|it_qty:'numero' }} {{ q|it_qty:'%' }}"
    )
    rendered = template.render(Context({"n": Decimal("1420.00"), "e": 1234.5, "p": 100, "q": Decimal("120.00")}))
    assert rendered == "1.420 1.234,50 100,0% 120 120,0%"


# --- Pages -----------------------------------------------------------------------------------------------


def test_percentages_of_the_valutazione_table_have_one_decimal_and_the_sign(client_for, udp_user):
    html = client_for(udp_user).get(reverse("planning:valutazione", args=[PIANO])).content.decode()
    # columns: N., Area, Obiettivo, 3 counts, Non realizzate, Grado x2, % nel documento, Bisogno, Riproposto
    gradi = column(html, "tabella-schede-valutazione", 7) + column(html, "tabella-schede-valutazione", 8)
    stampati = column(html, "tabella-schede-valutazione", 9)
    for value in gradi + stampati:
        assert PERCENT.fullmatch(value) or value == "—", value
    assert "100,0%" in gradi
    assert "85,7%" in gradi
    assert "85,7%" in stampati
    assert not [v for v in gradi + stampati if re.fullmatch(r"[\d.,]+", v)]  # no percentage without its sign
    sintesi = text(html.split('data-testid="sintesi-valutazione"', 1)[1].split("</table>", 1)[0])
    assert re.search(r"Grado complessivo, solo realizzate \d+,\d%", sintesi)
    assert "Parzialmente" in column(html, "tabella-schede-valutazione", 10)
    table_tag = html.split('data-testid="tabella-schede-valutazione"', 1)[0].rsplit("<table", 1)[1]
    assert "tabella-compatta" in table_tag  # smaller headings: the table fits (static/css/forms.css)


def test_scheda_storico_shows_values_formatted_like_the_quadro(client_for, udp_user):
    scheda = magenta_nid()
    scheda_save(
        scheda=scheda, user=udp_user, values={("R04", "N25"): "1234,56", ("R05", "N25"): "1420"},
        expected_version=scheda.versione,
    )  # fmt: skip
    page = text(client_for(udp_user).get(reverse("monitoring:storico", args=[scheda.pk])).content.decode())
    assert "Cella R04/N25 — 1.234,56" in page  # euro cell: two decimals
    assert "Cella R05/N25 180 1.420" in page  # count: no decimals, thousands separated
    assert not re.search(r"\b1234\b|\b1420\b", page)


def test_a_count_stored_as_decimal_is_an_integer(client_for, udp_user):
    target = TargetIndicatore.objects.filter(
        indicatore__intervento__piano__slug=PIANO, indicatore__unita="numero", valore=120
    ).first()
    assert target is not None
    assert target.valore == Decimal("120.00")
    html = client_for(udp_user).get(target.indicatore.intervento.get_absolute_url()).content.decode()
    indicatori = text(html.split('data-testid="indicatori"', 1)[1].split("</table>", 1)[0])
    assert "2025: 120 " in indicatori
    assert "120,00" not in indicatori


def test_counts_in_a_table_have_no_decimals(client_for, udp_user):
    rilevazione = Rilevazione.objects.filter(piano__slug=PIANO).order_by("-anno", "-trimestre").first()
    html = client_for(udp_user).get(reverse("monitoring:rilevazione_indicatori", args=[rilevazione.pk])).content
    targets = column(html.decode(), "tabella-valori-indicatori", 4)
    assert targets
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*|—", t) for t in targets), targets


def test_amounts_have_two_decimals_and_years_no_separator(client_for, udp_user):
    intervento = Intervento.objects.filter(piano__slug=PIANO).order_by("pk").first()
    Risorsa.objects.create(
        intervento=intervento, fondo=Fondo.objects.get(codice="FNPS"), anno=2025, previsto=Decimal("1234.5")
    )
    client = client_for(udp_user)
    html = client.get(reverse("planning:risorsa_list", args=[PIANO])).content.decode()
    row = column(html, "tabella-risorse", 2) + column(html, "tabella-risorse", 3)
    assert row == ["2025", "1.234,50"]
    detail = text(client.get(intervento.get_absolute_url()).content.decode())
    assert "Fondo Nazionale Politiche Sociali 2025 1.234,50 0,00 0,00" in detail


@pytest.mark.usefixtures("without_demo_campaigns")
def test_indicator_percentages_of_the_schede_overview_have_one_decimal(client_for, udp_user):
    html = client_for(udp_user).get(reverse("monitoring:overview", args=["magentino"])).content.decode()
    assert 'data-testid="totale-NID26-R21">73,3%<' in html  # 366 / 499
    assert "(33,0%)" in html
    assert "(33,00)" not in html


def test_indicator_units_drive_the_format(client_for, udp_user):
    indicatore = Indicatore.objects.filter(intervento__piano__slug=PIANO).order_by("pk").first()
    Indicatore.objects.filter(pk=indicatore.pk).update(unita="%", baseline=Decimal("42.50"))
    html = client_for(udp_user).get(indicatore.intervento.get_absolute_url()).content.decode()
    assert "42,5%" in text(html.split('data-testid="indicatori"', 1)[1].split("</table>", 1)[0])
