"""The dashboard's population figures (years, headline totals, population trend, age structure) from the Ambito's
stored rollup (monitoring.rollup_population): the same as those computed from the Comuni's population, not read
again while the rollup is fresh, rebuilt after a population write."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Ruolo
from accounts.scoping import scope
from monitoring.models import RiepilogoSchede
from monitoring.rollup import riepilogo
from reports import ambito_charts
from reports.views import _dashboard_data
from territory.models import Ambito, Comune, Popolazione
from territory.selectors import ambito_comuni, comuni_with_population, population_totals, population_years
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

POPULATION_TABLE = Popolazione._meta.db_table


def _figures_from_the_facts(ambito: Ambito) -> tuple:
    comuni = ambito_comuni(ambito)
    anni = population_years(comuni)
    n = anni.n_comuni
    return (
        anni,
        population_totals(comuni_with_population(comuni, anni.anno)),
        ambito_charts.population_trend(comuni, ambito.slug, notes=anni.notes(), n_comuni=n),
        ambito_charts.age_structure(comuni, ambito.slug, anni.anno, n_comuni=n),
    )


def _figures_from_the_rollup(ambito: Ambito) -> tuple:
    population = riepilogo(ambito).popolazione
    assert population is not None
    anni = population.years()
    return (
        anni,
        population.totals(anni.anno),
        ambito_charts.population_trend_from(population, ambito.slug, anni.notes()),
        ambito_charts.age_structure_from(population, ambito.slug, anni.anno),
    )


def _comuni(ambito: Ambito, prefix: str, size: int) -> list[Comune]:
    """`size` Comuni with six-digit codes (as ISTAT's) from the two-digit `prefix`: 96…, 97… are no real code."""
    return Comune.objects.bulk_create(
        Comune(codice_istat=f"{prefix}{i:04d}", nome=f"Comune {prefix} {i:02d}", sigla_provincia="ZZ", ambito=ambito)
        for i in range(size)
    )


def synthetic(size: int, sub_size: int, slug: str) -> Ambito:
    """An Ambito of `size` own Comuni and a sub-ambito of `sub_size`, with Comuni of every size class, some
    figures missing, a partial latest year and a Comune whose class changes from one year to the next."""
    ambito = Ambito.objects.create(nome=f"Sintetico {slug}", slug=slug, codice=f"S{size}")
    sub = Ambito.objects.create(nome=f"Sub {slug}", slug=f"{slug}-sub", codice=f"S{size}s", parent=ambito)
    comuni = _comuni(ambito, "96", size) + _comuni(sub, "97", sub_size)
    rows = []
    for i, c in enumerate(comuni):
        for anno in (2022, 2023):
            totale = 400 * (i + 1) ** 2 + (anno - 2022) * 700  # up to beyond 100.000 residents
            rows.append(
                Popolazione(
                    comune=c,
                    anno=anno,
                    totale=None if i == 3 and anno == 2022 else totale,
                    stranieri=totale // 10 if i % 3 else None,
                    eta_0_14=totale // 8 if i % 4 else None,
                    eta_0_17=None if i % 5 == 0 else totale // 6,
                    eta_65_oltre=totale // 4 if i % 7 else None,
                )
            )
    rows += [Popolazione(comune=c, anno=2024, totale=5000 + i) for i, c in enumerate(comuni[:3])]  # partial year
    Popolazione.objects.bulk_create(rows)
    return ambito


@pytest.mark.parametrize("slug", ["magentino", "reggio-emilia", "oglio-po"])
def test_demo_ambiti_figures_from_the_rollup_equal_those_from_the_facts(slug):
    ambito = Ambito.objects.get(slug=slug)
    assert _figures_from_the_rollup(ambito) == _figures_from_the_facts(ambito)


@pytest.mark.parametrize(("size", "sub_size"), [(30, 15), (5, 3)])
def test_synthetic_ambiti_figures_from_the_rollup_equal_those_from_the_facts(size, sub_size):
    ambito = synthetic(size, sub_size, f"sint-{size}")
    facts = _figures_from_the_facts(ambito)
    assert _figures_from_the_rollup(ambito) == facts
    trend, ages = facts[2], facts[3]
    if size + sub_size > ambito_charts.CHART_COMUNI_MAX:  # by class: every class present, the chart not empty
        assert [row[0] for row in trend.rows] == [label for _b, label in ambito_charts.SIZE_CLASSES]
        assert len(ages.rows) == len(ambito_charts.SIZE_CLASSES)
    else:
        assert len(trend.rows) == size + sub_size
    assert facts[0].pending  # 2024 is partial


def test_a_population_write_makes_the_rollup_stale_and_rebuilt():
    ambito = Ambito.objects.get(slug="magentino")
    before = _figures_from_the_rollup(ambito)
    stored = RiepilogoSchede.objects.get(ambito=ambito).versione
    row = Popolazione.objects.filter(comune__ambito=ambito, totale__isnull=False).order_by("-anno", "pk").first()
    row.totale += 1000
    row.save()  # bumps the Ambito's data version, not the rollup
    ambito.refresh_from_db()
    assert ambito.versione_dati != stored
    after = _figures_from_the_rollup(ambito)
    assert RiepilogoSchede.objects.get(ambito=ambito).versione == ambito.versione_dati  # rebuilt
    assert after != before
    assert after == _figures_from_the_facts(ambito)


@pytest.mark.parametrize(("size", "sub_size"), [(30, 15), (5, 3)])
def test_the_dashboard_does_not_read_the_population_while_the_rollup_is_fresh(client, size, sub_size):
    ambito = synthetic(size, sub_size, f"sint-{size}")
    client.force_login(user_with_role(f"udp-{size}", Ruolo.UFFICIO_PIANO, ambito=ambito))
    url = reverse("reports:dashboard", args=[ambito.slug])
    expected = client.get(url).context["charts"]  # the rollup built and stored
    cache.clear()  # the dashboard's fragment is built again
    with CaptureQueriesContext(connection) as queries:
        charts = client.get(url).context["charts"]
    assert [q["sql"] for q in queries.captured_queries if POPULATION_TABLE in q["sql"]] == []
    assert charts == expected
    assert {"pop-" + ambito.slug, "eta-" + ambito.slug} <= {c.chart_id for c in charts}


def test_a_reader_who_sees_some_comuni_gets_their_figures_from_the_facts(operatore_user):
    """The rollup counts every Comune of the Ambito: the dashboard data of a reader who sees only Magenta are
    hers (the figures of Magenta alone, read from the facts), never the Ambito's."""
    ambito = Ambito.objects.get(slug="magentino")
    riepilogo(ambito)  # stored and fresh
    with CaptureQueriesContext(connection) as queries:
        data = _dashboard_data(ambito, operatore_user)
    assert any(POPULATION_TABLE in q["sql"] for q in queries.captured_queries)
    magenta = scope(ambito_comuni(ambito), operatore_user)
    assert list(magenta.values_list("nome", flat=True)) == ["Magenta"]
    assert data["totals"] == population_totals(comuni_with_population(magenta, data["anno"]))
    assert data["totals"].comuni == 1
