"""The overview's pages at any size: in the default order (by Comune) a page of rows is a page of Comuni sliced by
the database and their schede; other orders go through the UNION query with the same place for empty values on
SQLite and PostgreSQL; the indicator rows are those of a page of Comuni; the table's cells, written by its
template, are those its columns render."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from django.db import connection
from django.http import QueryDict
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tables2 import RequestConfig

from monitoring import indicator_page as indicator_page_module
from monitoring import overview_html
from monitoring.forms import OverviewFilterForm
from monitoring.indicator_html import indicator_row, scheda_url
from monitoring.indicator_page import page_tables
from monitoring.indicators import scheda_indicators
from monitoring.models import ModelloScheda, Scheda
from monitoring.overview import OverviewQuery, indicator_tables, indicator_totals, overview_rows
from monitoring.selectors import active_modelli
from monitoring.tables import OverviewTable
from monitoring.views import schede as schede_views
from territory.models import Comune
from tests.factories import user_with_role
from tests.monitoring.test_overview_scale import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def ambito():
    """23 Comuni (NID26 each, SOC26 every other one), two pairs of namesakes."""
    ambito = build(23, "pagine", 660000)
    Comune.objects.filter(codice_istat__in=["660003", "660011"]).update(nome="Comune 0007")
    Comune.objects.filter(codice_istat__in=["660020"]).update(nome="Comune 0000")
    return ambito


def _comuni(ambito):
    return Comune.objects.filter(ambito=ambito).order_by("nome")


def _by_comune(rows, reverse_name=False):
    """The reference order: Comune name (either way), then ISTAT code and template going up."""
    rows = sorted(rows, key=lambda r: (r.comune_codice, r.modello))
    return sorted(rows, key=lambda r: r.comune_nome, reverse=reverse_name)


@pytest.mark.parametrize("window", [(0, 50), (0, 7), (3, 11), (5, 20), (19, 40), (33, 34)])
def test_a_page_by_comune_is_the_slice_of_every_row(ambito, window):
    comuni, modelli = _comuni(ambito), active_modelli()
    every = overview_rows(comuni, modelli)
    start, stop = window
    assert [vars(r) for r in OverviewQuery(comuni, modelli)[start:stop]] == [
        vars(r) for r in _by_comune(every)[start:stop]
    ]
    descending = OverviewQuery(comuni, modelli).order_by("-comune_nome")[start:stop]
    assert [vars(r) for r in descending] == [vars(r) for r in _by_comune(every, reverse_name=True)[start:stop]]


def test_a_page_by_comune_with_a_template_or_a_name_filter(ambito):
    comuni, modelli = _comuni(ambito), active_modelli()
    every = overview_rows(comuni, modelli)
    soc = [r for r in _by_comune(every) if r.modello == "SOC26"]
    assert [vars(r) for r in OverviewQuery(comuni, modelli, modello="SOC26")[2:9]] == [vars(r) for r in soc[2:9]]
    namesakes = [r for r in _by_comune(every) if r.comune_nome == "Comune 0007"]
    assert len(namesakes) == 6  # three Comuni × two templates, by ISTAT code
    assert [vars(r) for r in OverviewQuery(comuni, modelli, q="0007")[0:50]] == [vars(r) for r in namesakes]


def test_a_page_by_comune_runs_two_queries_whatever_its_place(ambito):
    comuni, modelli = _comuni(ambito), active_modelli()
    query = OverviewQuery(comuni, modelli, total=46)
    for window in ((0, 10), (30, 46)):
        with CaptureQueriesContext(connection) as ctx:
            query[window[0] : window[1]]
        assert len(ctx.captured_queries) == 2  # the page of Comuni, their schede


def test_empty_values_come_first_going_up_and_last_going_down_on_every_database(ambito):
    """«Non iniziata» rows have no completeness: the same place on SQLite and PostgreSQL (NULLS FIRST / LAST)."""
    comuni, modelli = _comuni(ambito), active_modelli()
    Scheda.objects.filter(comune__ambito=ambito, comune_id="660001").update(completezza=12.5)
    up = OverviewQuery(comuni, modelli).order_by("completezza")[0:46]
    down = OverviewQuery(comuni, modelli).order_by("-completezza")[0:46]
    missing = 11  # the Comuni without SOC26
    assert [r.completezza for r in up[:missing]] == [None] * missing
    assert up[missing].completezza == 12.5
    assert [r.completezza for r in down[-missing:]] == [None] * missing
    assert all(a.completezza >= b.completezza for a, b in pairwise(down[:-missing]))
    assert [r.comune_codice for r in up[:missing]] == sorted(r.comune_codice for r in up[:missing])


def test_the_indicator_rows_are_those_of_a_page_of_comuni(ambito):
    comuni, modelli = _comuni(ambito), active_modelli()
    whole = {t.modello.codice: t for t in indicator_tables(comuni, modelli)}
    totals = indicator_totals(comuni, modelli)
    page_codes = [c for c, _n in comuni.order_by("nome", "codice_istat").values_list("codice_istat", "nome")[5:15]]
    url = scheda_url()
    for table in page_tables(comuni, modelli, totals, offset=5, limit=10):
        expected = [row for row in whole[table.modello.codice].rows if row[1] in page_codes]
        expected.sort(key=lambda r: page_codes.index(r[1]))
        assert table.body == "".join(indicator_row(nome, pk, values, url) for nome, _c, pk, values in expected)
        assert table.body.count("<tr>") == len(expected) == (10 if table.modello.codice == "NID26" else 4)
        assert [v.value for v in table.totals] == [v.value for v in whole[table.modello.codice].totals]
        assert table.count == whole[table.modello.codice].count
    assert len(whole["SOC26"].rows) == 12


def _page_bodies(ambito) -> dict[str, str]:
    comuni, modelli = _comuni(ambito), active_modelli()
    tables = page_tables(comuni, modelli, indicator_totals(comuni, modelli), offset=0, limit=50)
    return {t.modello.codice: t.body for t in tables}


def test_the_indicator_rows_are_written_once_per_content_of_their_facts(ambito, monkeypatch):
    """A row is cached by its scheda's stored facts: a second page writes no row, a change of the facts without a
    new scheda version (as recompute-all stores them) writes that row again and shows the new value, a renamed
    Comune shows its new name."""
    first = _page_bodies(ambito)
    written = []
    original = indicator_page_module.indicator_row
    monkeypatch.setattr(indicator_page_module, "indicator_row", lambda *a: written.append(a[1]) or original(*a))
    assert _page_bodies(ambito) == first
    assert written == []

    scheda = Scheda.objects.filter(comune__ambito=ambito, modello__codice="NID26").order_by("comune__nome").first()
    facts = scheda.indicatori
    code = next(iter(k for k in facts if not k.startswith("_")))
    before = scheda_indicators(scheda.modello.indicator_definition(), facts)
    facts[code]["num"] = str(Decimal(facts[code]["num"]) + 1000)
    Scheda.objects.filter(pk=scheda.pk).update(indicatori=facts)  # the version stays: only the facts differ
    after = scheda_indicators(scheda.modello.indicator_definition(), facts)
    assert [i.value for i in after] != [i.value for i in before]
    bodies = _page_bodies(ambito)
    assert written == [scheda.pk]
    assert bodies["NID26"] != first["NID26"]
    assert bodies["SOC26"] == first["SOC26"]
    assert indicator_row(scheda.comune.nome, scheda.pk, after, scheda_url()) in bodies["NID26"]

    Comune.objects.filter(pk=scheda.comune_id).update(nome="Comune 0000 rinominato")
    written.clear()
    assert "Comune 0000 rinominato" in _page_bodies(ambito)["NID26"]
    assert scheda.pk in written


def _tbody(html: str) -> str:
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return re.sub(r"<td\s+>", "<td>", re.sub(r"\s+", " ", re.sub(r">\s+<", "><", body))).strip()


def test_the_table_cells_of_the_template_are_those_of_the_columns(ambito):
    comuni, modelli = _comuni(ambito), active_modelli()
    rows = overview_rows(comuni, modelli, today=date(2026, 1, 1))  # not sent yet: days left
    rows += overview_rows(comuni, modelli, today=date(2027, 6, 1))  # overdue
    assert {r.stato for r in rows} >= {"bozza", "inviata", "validata", "non_iniziata"}
    request = RequestFactory().get("/")
    request.user = user_with_role("lettore-pagine", "ufficio_piano", ambito=ambito)
    fast = OverviewTable(rows).as_html(request)
    generic = OverviewTable(rows, template_name="django_tables2/bootstrap5-responsive.html").as_html(request)
    for shown in ("scaduta da", "Non iniziata", 'class="badge bg-primary"', "/monitoraggio/schede/"):
        assert shown in fast
    assert _tbody(fast) == _tbody(generic)


def _overview_table(client, ambito, query: str = "") -> str:
    page = client.get(reverse("monitoring:overview", args=[ambito.slug]) + query).content.decode()
    return page[page.index('<div class="table-container') : page.index('<h2 class="h3 mt-5">Indicatori')].strip()


def _rendered_by_django_tables2(ambito, user, query: str) -> str:
    request = RequestFactory().get("/", QueryDict(query.lstrip("?")).dict())
    request.user = user
    modelli = active_modelli()
    form = OverviewFilterForm(request.GET or None, modelli=modelli)
    table = OverviewTable(OverviewQuery(_comuni(ambito), modelli, **(form.cleaned_data if form.is_valid() else {})))
    RequestConfig(request, paginate={"per_page": 10}).configure(table)
    template = Template("{% load django_tables2 %}{% render_table table %}")
    return template.render(RequestContext(request, {"table": table})).strip()


def test_the_table_of_the_page_is_the_one_django_tables2_renders(ambito, client, monkeypatch):
    """The frame cached apart (headers, sorting links, pages) with the rows written for the request is the table
    `{% render_table %}` renders, for each sorting, page and filter, asked twice in turn (the second time from the
    cache: no frame of another query string); 10 rows a page."""
    monkeypatch.setattr(schede_views, "OVERVIEW_ROWS", 10)
    user = user_with_role("lettore-cornice", "ufficio_piano", ambito=ambito)
    client.force_login(user)
    queries = ["", "?page=2", "?sort=-comune_nome&page=2", "?sort=stato_label", "?modello=SOC26", "?q=nessuno"]
    expected = {query: _rendered_by_django_tables2(ambito, user, query) for query in queries}
    assert len(set(expected.values())) == len(queries)
    assert "pagination" in expected["?page=2"]
    assert "Nessuna scheda corrisponde ai filtri." in expected["?q=nessuno"]
    for _round in range(2):
        for query in queries:
            assert _overview_table(client, ambito, query) == expected[query], query


def test_after_a_save_only_the_rows_are_written_again(ambito, client, monkeypatch):
    """A save changes the Ambito's data version: the rows of the page are made anew and show it, the frame (its
    headers, sorting links and pages) is served from the cache."""
    client.force_login(user_with_role("lettore-salva", "ufficio_piano", ambito=ambito))
    before = _overview_table(client, ambito, "?sort=-comune_nome")
    frames = []
    original = overview_html._render
    monkeypatch.setattr(overview_html, "_render", lambda *a: frames.append(a) or original(*a))
    scheda = Scheda.objects.filter(comune__ambito=ambito).order_by("comune__nome", "modello__codice")[3]
    Scheda.objects.get(pk=scheda.pk).delete()  # versioned: a «Non iniziata» row in its place, the count unchanged
    after = _overview_table(client, ambito, "?sort=-comune_nome")
    assert frames == []
    assert after != before
    assert after.count("Non iniziata") == before.count("Non iniziata") + 1


def _filters(client, ambito, query: str = "") -> str:
    page = client.get(reverse("monitoring:overview", args=[ambito.slug]) + query).content.decode()
    return page[page.index('<form method="get" class="filter-form') : page.index("</form>", page.index("filter-form"))]


def test_the_filters_show_each_request_its_own_query_and_the_templates_offered(ambito, client):
    """The filters are a cached fragment: each query string gets its own values and export links, a template made
    inactive leaves the choices."""
    client.force_login(user_with_role("lettore-filtri", "ufficio_piano", ambito=ambito))
    named = _filters(client, ambito, "?q=Comune+0007")
    assert 'name="q" value="Comune 0007"' in named
    assert "?q=Comune+0007&amp;_export=csv" in named
    by_state = _filters(client, ambito, "?stato=bozza")
    assert '<option value="bozza" selected>' in by_state
    assert 'value="Comune 0007"' not in by_state
    plain = _filters(client, ambito)
    assert " selected>" not in plain.replace('<option value="" selected>', "")
    assert '<option value="SOC26">SOC26</option>' in plain
    assert _filters(client, ambito, "?q=Comune+0007") == named
    ModelloScheda.objects.filter(codice="SOC26").update(attivo=False)
    assert '<option value="SOC26">' not in _filters(client, ambito)
