"""The Ambito page: Comuni table, totals from sums, filters, sorting, exports and bounded queries."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tables2.rows import BoundRow

from accounts.models import Ruolo
from planning.tables import ComuneTable
from territory.models import Ambito, Comune, Popolazione
from territory.selectors import comuni_with_population
from tests.documents import read_xlsx
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

URL = reverse("planning:ambito_detail", args=["magentino"])
GENERIC = "django_tables2/bootstrap5-responsive.html"  # django-tables2's own rows


def test_page_shows_magentino_total_and_comuni(client_for, udp_user):
    response = client_for(udp_user).get(URL)
    page = response.content.decode()
    assert 'data-testid="totale-popolazione">131.668<' in page
    assert 'data-testid="totale-comuni">13<' in page
    assert "Boffalora sopra Ticino" in page
    assert "015026" in page
    assert "24.598" in page  # Magenta 2024, Italian thousands separator
    assert "12,1%" in page  # Magenta % foreign 2024: 2977 / 24598
    assert "Indice di vecchiaia" not in page.split("<tfoot")[0].split("<table")[1]  # 0-14 unknown: omitted


def test_totals_are_ratios_of_sums(client_for, udp_user):
    totals = client_for(udp_user).get(URL).context["totals"]
    assert totals.totale == 131668
    assert totals.pct_stranieri == Decimal(12191) * 100 / Decimal(131668)
    assert totals.pct_65 == Decimal(30683) * 100 / Decimal(131668)
    assert totals.pct_0_17 == Decimal(21035) * 100 / Decimal(131668)
    assert totals.indice_vecchiaia is None


def test_filter_by_text_and_population_in_italian_format(client_for, udp_user):
    client = client_for(udp_user)
    response = client.get(URL, {"q": "magenta"})
    assert [c.nome for c in response.context["table"].data] == ["Magenta"]
    assert 'data-testid="totale-popolazione">24.598<' in response.content.decode()
    response = client.get(URL, {"pop_min": "12.000"})
    names = {c.nome for c in response.context["table"].data}
    assert names == {"Arluno", "Bareggio", "Corbetta", "Magenta", "Sedriano"}
    response = client.get(URL, {"pop_min": "12000", "pop_max": "13.000"})
    assert {c.nome for c in response.context["table"].data} == {"Arluno", "Sedriano"}


def test_sorting_by_population(client_for, udp_user):
    response = client_for(udp_user).get(URL, {"sort": "-pop_totale"})
    names = [row.record.nome for row in response.context["table"].rows]
    assert names[:3] == ["Magenta", "Corbetta", "Bareggio"]


def test_indice_di_vecchiaia_shown_when_0_14_known(client_for, udp_user, magenta, arluno):
    Popolazione.objects.filter(comune=magenta, anno=2024).update(eta_0_14=3000)
    Popolazione.objects.filter(comune=arluno, anno=2024).update(eta_0_14=1700)
    response = client_for(udp_user).get(URL)
    assert response.context["totals"].indice_vecchiaia == Decimal(6269 + 2704) * 100 / Decimal(3000 + 1700)
    assert "Indice di vecchiaia" in response.content.decode()
    assert "209,0" in response.content.decode()  # Magenta: 6269 / 3000


def test_xlsx_export_has_filtered_rows_as_numbers(client_for, dirigente_user):
    response = client_for(dirigente_user).get(URL, {"pop_min": "12000", "_export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = read_xlsx(response.content).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Codice ISTAT", "Comune", "Prov.", "Popolazione")
    data = {row[1]: row for row in rows[1:]}
    assert set(data) == {"Arluno", "Bareggio", "Corbetta", "Magenta", "Sedriano"}
    assert data["Magenta"][0] == "015130"
    assert data["Magenta"][3] == 24598
    assert isinstance(data["Magenta"][3], int)
    assert data["Magenta"][4] == pytest.approx(12.10, abs=0.01)
    assert ws.freeze_panes == "A2"


def test_csv_export_uses_semicolons_and_decimal_commas(client_for, udp_user):
    response = client_for(udp_user).get(URL, {"q": "Magenta", "_export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Codice ISTAT", "Comune", "Prov.", "Popolazione"]
    assert rows[1][:5] == ["015130", "Magenta", "MI", "24598", "12,10"]
    assert len(rows) == 2


def test_unknown_export_format_is_404(client_for, udp_user):
    assert client_for(udp_user).get(URL, {"_export": "pdf"}).status_code == 404


def make_big_ambito(n_comuni: int, slug: str, first_code: int = 800000) -> Ambito:
    ambito = Ambito.objects.create(nome=f"Ambito grande {slug}", slug=slug, codice=slug.upper())
    comuni = [
        Comune(codice_istat=f"{first_code + i:06d}", nome=f"Comune {i:04d}", sigla_provincia="ZZ", ambito=ambito)
        for i in range(n_comuni)
    ]
    Comune.objects.bulk_create(comuni)
    Popolazione.objects.bulk_create(
        Popolazione(comune=c, anno=year, totale=1000 + i, stranieri=100, eta_65_oltre=250, eta_0_17=150, eta_0_14=120)
        for i, c in enumerate(comuni)
        for year in (2022, 2023, 2024)
    )
    return ambito


def test_ambito_page_queries_do_not_grow_with_comuni(client, django_assert_max_num_queries, django_assert_num_queries):
    small = make_big_ambito(10, "piccolo", first_code=700000)
    big = make_big_ambito(1500, "lombardia")
    user = user_with_role("udp-grande", Ruolo.UFFICIO_PIANO, ambito=big)
    user_with_role("udp-grande", Ruolo.UFFICIO_PIANO, ambito=small)
    client.force_login(user)
    client.get(reverse("planning:ambito_detail", args=[small.slug]))  # warm-up (session, content types)
    cache.clear()  # each request below builds its fragment (none is served from the cache)

    with CaptureQueriesContext(connection) as small_ctx:
        client.get(reverse("planning:ambito_detail", args=[small.slug]))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("planning:ambito_detail", args=[big.slug]), {"sort": "-pop_totale"})
    assert response.status_code == 200
    assert response.context["totals"].comuni == 1500
    assert response.context["totals"].totale == sum(1000 + i for i in range(1500))
    with django_assert_num_queries(len(small_ctx.captured_queries)):
        client.get(reverse("planning:ambito_detail", args=[big.slug]))
    with django_assert_max_num_queries(15):
        export = client.get(reverse("planning:ambito_detail", args=[big.slug]), {"_export": "xlsx"})
    assert read_xlsx(export.content).active.max_row == 1501


def test_home_lists_ambiti_with_counts_and_population(client_for, udp_user, oglio_po):
    user_with_role("udp", Ruolo.UFFICIO_PIANO, ambito=oglio_po)
    page = client_for(udp_user).get(reverse("portal:home")).content.decode()
    assert 'data-testid="popolazione-magentino">131.668<' in page
    assert 'data-testid="comuni-magentino">13<' in page
    assert 'data-testid="comuni-oglio-po">27<' in page
    assert 'data-testid="popolazione-oglio-po">81.981<' in page
    assert 'data-testid="popolazione-casalasco">' in page


def _tbody(html: str) -> str:
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return re.sub(r"<(td|tr)\s+>", r"<\1>", re.sub(r"\s+", " ", re.sub(r">\s+<", "><", body))).strip()


@pytest.mark.parametrize("with_age_bands", [False, True])
def test_the_table_rows_written_in_python_are_those_of_the_columns(udp_user, with_age_bands, monkeypatch):
    """The Comuni table's rows (planning.templatetags.comuni) are the cells its columns render: numbers, percents,
    the link to the Comune, an empty value as «—», a name escaped; with and without the vecchiaia column."""
    ambito = Ambito.objects.get(slug="magentino")
    anno = max(Popolazione.objects.filter(comune__ambito=ambito).values_list("anno", flat=True))
    if with_age_bands:
        Popolazione.objects.filter(comune__ambito=ambito, anno=anno).update(eta_0_14=2000)
    Comune.objects.filter(pk="015026").update(nome='Corbetta <& "O\'Neil">', sigla_provincia="")
    Popolazione.objects.filter(comune_id="015002", anno=anno).delete()  # a Comune without the year's figures
    comuni = comuni_with_population(Comune.objects.filter(ambito=ambito), anno).select_related("ambito")
    request = RequestFactory().get("/")
    request.user = udp_user
    exclude = [] if with_age_bands else ["indice_vecchiaia"]
    generic = ComuneTable(comuni, exclude=exclude, template_name=GENERIC).as_html(request)
    monkeypatch.setattr(BoundRow, "items", lambda row: pytest.fail("a cell rendered by django-tables2"))
    fast = ComuneTable(comuni, exclude=exclude).as_html(request)
    assert "Corbetta &lt;&amp; &quot;O&#x27;Neil&quot;&gt;" in fast
    assert ("Indice di vecchiaia" in fast) is with_age_bands
    assert fast.count("<tr") == 14  # the header and 13 Comuni
    assert _tbody(fast) == _tbody(generic)
