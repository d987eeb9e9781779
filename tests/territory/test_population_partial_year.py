"""A partial year is never the headline (issue 9, point 8).

After importing the 2025 population of 2 of Magentino's 13 Comuni, the Ambito page, the home page, the dashboard,
the Piano di Zona PDF and workbook keep 2024 (131.668 residents, every Comune) as the Ambito's figure and show
2025 as partial («2 Comuni su 13»); the sum of the two Comuni (44.417, 27,1% aged 65+) is never an Ambito total.
"""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from planning.models import PianoDiZona, TipoCapitolo
from reports.piano.pdf import build_piano_pdf
from reports.piano.xlsx.workbook import build_piano_xlsx
from territory.models import Ambito, Comune, Popolazione
from territory.selectors import latest_complete_year, population_years, population_years_by_ambito
from territory.versions import bump_territory
from tests.documents import pdf_pages, read_xlsx
from tests.reports.conftest import PIANO_SLUG, only_chapters

pytestmark = pytest.mark.django_db

URL_AMBITO = reverse("planning:ambito_detail", args=["magentino"])
URL_DASHBOARD = reverse("reports:dashboard", args=["magentino"])
PARTIAL = "2 Comuni su 13"
# 2025 of Magenta and Corbetta only: 24.650 + 19.767 = 44.417 residents, 6.900 + 5.137 = 12.037 aged 65+ (27,1%)
COMUNI_2025 = [("015130", "Magenta", 24650, 6900, 3700), ("015085", "Corbetta", 19767, 5137, 3200)]
PARTIAL_SUM, PARTIAL_PCT_65 = "44.417", "27,1%"


def _spread(total: int, ages: range) -> dict[int, int]:
    base, rest = divmod(total, len(ages))
    return {a: base + (1 if i < rest else 0) for i, a in enumerate(ages)}


def istat_csv(comuni=COMUNI_2025) -> bytes:
    """An ISTAT population-by-age file (one row per age 0-100, then the 999 total row) for the given Comuni."""
    lines = [
        "Popolazione residente al 1° gennaio 2025 per età e sesso",
        "Codice comune;Comune;Età;Totale maschi;Totale femmine;Totale",
    ]
    for code, name, totale, over65, minori in comuni:
        ages = {
            **_spread(minori, range(18)),
            **_spread(totale - minori - over65, range(18, 65)),
            **_spread(over65, range(65, 101)),
        }
        males = females = 0
        for age, n in ages.items():
            m = n // 2
            males, females = males + m, females + n - m
            lines.append(f"{code};{name};{age};{m};{n - m};{n}")
        lines.append(f"{code};{name};999;{males};{females};{totale}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def upload_partial_2025(client) -> str:
    """Import 2025 for Magenta and Corbetta through the upload form (a job: its progress page says the outcome);
    the Ambito page the progress page leads back to."""
    upload = io.BytesIO(istat_csv())
    upload.name = "popolazione-2025.csv"
    url = reverse("planning:popolazione_import", args=["magentino"])
    response = client.post(url, {"file": upload, "anno": "2025"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Popolazione 2025 importata: 2 Comuni nuovi, 0 aggiornati." in page
    return client.get(reverse("planning:ambito_detail", args=["magentino"])).content.decode()


def test_partial_year_is_never_the_headline(client_for, udp_user):
    client = client_for(udp_user)
    ambito_page = upload_partial_2025(client)
    assert Popolazione.objects.filter(anno=2025).count() == 2

    # Ambito page: the headline and the totals are 2024, the Comuni table shows 2024, 2025 is a visible note.
    assert 'data-testid="totale-popolazione">131.668<' in ambito_page
    assert '<p class="mb-0">Popolazione 2024</p>' in ambito_page
    assert f"2025: dati parziali, {PARTIAL}" in ambito_page  # the badge under the headline
    assert f"<strong>Popolazione 2025: dati parziali</strong>, disponibili per {PARTIAL}." in ambito_page
    assert "si riferiscono al 2024, l'ultimo anno con la popolazione di tutti i Comuni" in ambito_page
    assert "23,3%" in ambito_page  # % 65+ of 2024: 30.683 / 131.668
    assert "24.598" in ambito_page
    assert "24.650" not in ambito_page
    cache.clear()  # the page's data are built again (not served from the cache), so their context can be read
    response = client.get(URL_AMBITO)
    assert response.context["anno"] == 2024
    assert response.context["totals"].totale == 131668

    # Home page: the Ambito's population is 2024's, with 2025 labelled partial.
    home = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="popolazione-magentino">131.668<' in home
    anno_cell = home.split('data-testid="anno-magentino">')[1].split("</td>")[0]
    assert anno_cell.startswith("2024")
    assert f"2025: dati parziali, {PARTIAL}" in anno_cell

    # Dashboard: headline, age chart of 2024; the trend chart keeps each Comune's 2025 point, marked partial.
    response = client.get(URL_DASHBOARD)
    dashboard = response.content.decode()
    assert 'data-testid="kpi-popolazione">131.668<' in dashboard
    assert f"2025: dati parziali, {PARTIAL}" in dashboard
    assert f"popolazione 2025 (dati parziali, {PARTIAL})" in dashboard  # "Dati aggiornati" of the population
    charts = {c.chart_id: c for c in response.context["charts"]}
    assert charts["eta-magentino"].title == "Struttura per età della popolazione 2024"
    trend = charts["pop-magentino"]
    assert trend.headers[-1] == f"2025 (dati parziali, {PARTIAL})"
    assert ["Magenta", 23482, 23654, 23845, 23906, 24002, 24082, 23918, 24130, 24178, 24598, 24650] in trend.rows
    assert ["Arluno", 11884, 11895, 11909, 12000, 12027, 12224, 12144, 12275, 12355, 12452, None] in trend.rows
    assert "2025*</text>" in str(trend.svg)
    assert f"* 2025: dati parziali, {PARTIAL}" in str(trend.svg)
    assert f"Anno 2025: dati parziali, {PARTIAL}" in trend.description
    assert f'<th scope="col" class="text-end">2025 (dati parziali, {PARTIAL})</th>' in dashboard

    # Piano di Zona PDF, its context chapter: tables and summary stop at 2024 and say why 2025 is left out.
    piano = PianoDiZona.objects.get(slug=PIANO_SLUG)
    with only_chapters(piano, TipoCapitolo.CONTESTO):  # the population's chapter
        text = " ".join(pdf_pages(build_piano_pdf(piano)))
    assert "La popolazione residente nell'Ambito del Magentino nel 2024 è pari a 131.668 abitanti" in text
    assert (
        f"Per il 2025 la popolazione è disponibile solo per {PARTIAL}: le tabelle e i grafici si fermano quindi "
        "al 2024, ultimo anno con i dati di tutti i Comuni dell'Ambito." in text
    )
    assert "Tabella 1. Popolazione residente nell'Ambito del Magentino – Dettaglio per Comune anni 2015-2024" in text
    assert f"Il 2025 non è riportato: la popolazione è disponibile solo per {PARTIAL}" in text
    assert "Struttura per età della popolazione 2024" in text
    assert "Popolazione residente per Comune 2015-2024" in text
    assert "Totale Ambito 127.975 128.173" in text  # 2015 is still the first year: no year is dropped silently

    for page in (ambito_page, home, dashboard, text):
        assert PARTIAL_SUM not in page
        assert PARTIAL_PCT_65 not in page


def test_workbook_marks_each_year_complete_or_partial(client_for, udp_user, piano_magentino):
    upload_partial_2025(client_for(udp_user))
    ws = read_xlsx(build_piano_xlsx(piano_magentino))["Popolazione"]
    rows = list(ws.iter_rows(values_only=True))
    column = rows[0].index("Dati dell'anno nell'Ambito")
    by_year = {}
    for r in rows[1:]:
        by_year.setdefault(r[2], set()).add(r[column])
    assert by_year[2024] == {"completi (13 Comuni su 13)"}
    assert by_year[2025] == {f"parziali ({PARTIAL})"}
    assert sorted(r[1] for r in rows[1:] if r[2] == 2025) == ["Corbetta", "Magenta"]
    assert ws.tables["Popolazione"].ref == f"A1:N{len(rows)}"  # an Excel table, with its own filter


@pytest.fixture
def piano_magentino(db):
    return PianoDiZona.objects.select_related("ambito").get(slug=PIANO_SLUG)


def _complete_2025(magentino):
    """2025 for the 11 Comuni still missing it (each 100 more than in 2024)."""
    missing = Popolazione.objects.filter(comune__ambito=magentino, anno=2024).exclude(
        comune_id__in=[c[0] for c in COMUNI_2025]
    )
    Popolazione.objects.bulk_create(
        Popolazione(comune_id=p.comune_id, anno=2025, totale=p.totale + 100, fonte="test") for p in missing
    )
    bump_territory([magentino.pk])  # bulk_create sends no signal: a writer bumps the territory version itself


def test_population_years_rule(client_for, udp_user, magentino, django_assert_num_queries):
    upload_partial_2025(client_for(udp_user))
    with django_assert_num_queries(2):
        anni = population_years(magentino)
    assert [y.anno for y in anni] == list(range(2015, 2026))
    y2025 = anni.get(2025)
    assert tuple(y2025) == (2025, 2, 13, False, None)  # no total for a partial year
    assert y2025.copertura == PARTIAL
    assert y2025.nota == f"dati parziali, {PARTIAL}"
    assert (anni.anno, anni.totale) == (2024, 131668)
    assert anni.pending == [y2025]
    assert anni.latest == y2025
    assert anni.notes() == {2025: y2025.nota}
    assert latest_complete_year(magentino) == 2024
    assert latest_complete_year(Comune.objects.filter(pk__in=["015130", "015085"])) == 2025  # their own year

    _complete_2025(magentino)
    anni = population_years(magentino)
    assert anni.anno == 2025
    assert anni.pending == []
    assert anni.totale == 44417 + 131668 - 24598 - 18934 + 1100
    assert client_for(udp_user).get(URL_AMBITO).context["anno"] == 2025


def test_sub_ambiti_count_in_completeness(oglio_po, django_assert_num_queries):
    """Oglio Po aggregates Casalasco and Viadanese: a year is complete when all their 27 Comuni have it."""
    ambiti = list(Ambito.objects.filter(slug__in=["oglio-po", "casalasco", "viadanese", "magentino"]))
    by_slug = {a.slug: a for a in ambiti}
    assert (population_years(oglio_po).anno, population_years(oglio_po).totale) == (2021, 81981)
    comune = Comune.objects.filter(ambito__slug="viadanese").order_by("pk").first()
    Popolazione.objects.filter(comune=comune, anno=2021).delete()
    anni = population_years(oglio_po)
    assert anni.anno == 2020
    assert anni.get(2021).copertura == "26 Comuni su 27"
    assert population_years(by_slug["casalasco"]).anno == 2021  # the other sub-ambito is still complete
    with django_assert_num_queries(2):
        summary = population_years_by_ambito(ambiti)
    for a in ambiti:
        assert summary[a.pk] == population_years(a), a.slug


def test_no_complete_year_shows_no_total(client_for, udp_user, magentino):
    """Without any complete year the Ambito has no total (not the sum of the Comuni that have one)."""
    Popolazione.objects.filter(comune_id="015010").delete()  # Arluno has no population at all
    response = client_for(udp_user).get(URL_AMBITO)
    page = response.content.decode()
    assert response.context["anno"] is None
    assert 'data-testid="totale-popolazione">—<' in page
    assert "<strong>Popolazione 2024: dati parziali</strong>, disponibili per 12 Comuni su 13." in page
    assert "Nessun anno ha ancora la popolazione di tutti i Comuni" in page
    assert "119.216" not in page  # 131.668 - 12.452 (Arluno)
