"""The schede overview at national scale: rows filtered, ordered and paged by the database, states counted by
GROUP BY, indicator totals added up exactly by the database (integer millionths); a constant number of queries
at 3, 45 and 1.500 Comuni, and the same rows, counts and totals as the Python computation they replace."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Ruolo
from monitoring.indicators import SUMS_KEY, ambito_indicators
from monitoring.models import ModelloScheda, Scheda, Stato
from monitoring.overview import (
    OverviewQuery,
    ambito_totals,
    filter_overview,
    overview_counts,
    overview_rows,
    status_counts,
)
from monitoring.selectors import active_modelli
from territory.models import Ambito, Comune
from tests.factories import scheda_like, user_with_role

pytestmark = pytest.mark.django_db

STATES = [Stato.BOZZA, Stato.INVIATA, Stato.VALIDATA, Stato.RIMANDATA]


def build(size: int, slug: str, prefix: int) -> Ambito:
    """An Ambito of `size` Comuni; every Comune has NID26 with Reggio's values, every other one SOC26 too."""
    ambito = Ambito.objects.create(nome=f"Ambito {size}", slug=slug, codice=slug.upper())
    comuni = Comune.objects.bulk_create(
        Comune(codice_istat=f"{prefix + i:06d}", nome=f"Comune {i:04d}", ambito=ambito) for i in range(size)
    )
    reggio = {s.modello.codice: s for s in Scheda.objects.filter(comune_id="035033").select_related("modello")}
    now = timezone.now()
    Scheda.objects.bulk_create(
        (
            scheda_like(r, c, stato=STATES[i % len(STATES)], n_errori=i % 3, modificata_il=now - timedelta(minutes=i))
            for i, c in enumerate(comuni)
            for code, r in reggio.items()
            if code == "NID26" or i % 2 == 0
        ),
        batch_size=1000,
    )
    return ambito


def uncached_get(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_constant_queries_at_3_45_and_1500_comuni(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    counts = {}
    for size, prefix in ((3, 610000), (45, 620000), (1500, 630000)):
        ambito = build(size, f"scala-{size}", prefix)
        client.force_login(user_with_role(f"udp-{size}", Ruolo.UFFICIO_PIANO, ambito=ambito))
        url = reverse("monitoring:overview", args=[ambito.slug])
        response, counts[size] = uncached_get(client, url)
        page = response.content.decode()
        nid_only = size // 2  # Comuni with NID26 only: their SOC26 is «Non iniziata»
        assert f"<strong>{nid_only}</strong> non iniziata" in page
        table = response.context["table"]
        assert len(table.page.object_list) == min(50, size + (size + 1) // 2 + nid_only)
        for params in ({"stato": "bozza"}, {"q": "0001", "modello": "SOC26"}, {"sort": "-completezza", "page": 2}):
            assert uncached_get(client, url, params)[1] <= counts[size] + 1
    # Constant from 45 Comuni up; a small Ambito (at most monitoring.rollup_population.CHART_COMUNI_MAX Comuni)
    # reads its Comuni's population rows once more, for a chart line per Comune.
    assert counts[45] == counts[1500], counts
    assert counts[3] == counts[45] + 1, counts


def test_sql_rows_and_counts_equal_the_python_ones(udp_user):
    ambito = build(45, "medio", 640000)
    comuni = Comune.objects.filter(ambito=ambito).order_by("nome")
    modelli = active_modelli()
    every = overview_rows(comuni, modelli)
    filters = [
        {},
        {"q": "comune 001"},
        {"q": "6400"},
        {"modello": "SOC26"},
        {"stato": "non_iniziata"},
        {"stato": "validata", "modello": "NID26"},
        {"scadute": True},
        {"scadute": True, "stato": "inviata"},
    ]
    for f in filters:
        expected = sorted(filter_overview(every, **f), key=lambda r: (r.comune_nome, r.modello))
        query = OverviewQuery(comuni, modelli, **f)
        assert [vars(r) for r in query[0:1000]] == [vars(r) for r in expected], f
        assert overview_counts(comuni, modelli, **f) == status_counts(expected), f
        assert query.count() == len(expected)
    by_errors = OverviewQuery(comuni, modelli).order_by("-errori")[0:5]
    assert [r.errori for r in by_errors] == [2, 2, 2, 2, 2]
    page_two = OverviewQuery(comuni, modelli)[50:100]
    assert [vars(r) for r in page_two] == [
        vars(r) for r in sorted(every, key=lambda r: (r.comune_nome, r.modello))[50:]
    ]


def totals_match(definition, schede) -> list:
    sql, count = ambito_totals(definition, schede)
    python = ambito_indicators(definition, list(schede.values_list("indicatori", flat=True)))
    assert count == schede.count()
    for a, b in zip(sql, python, strict=True):
        assert (a.value, a.numerator, a.denominator) == (b.value, b.numerator, b.denominator)
        assert [(c.target, c.met) for c in a.checks] == [(c.target, c.met) for c in b.checks]
    return sql


def test_indicator_totals_in_sql_are_the_exact_python_sums():
    for modello in ModelloScheda.objects.filter(attivo=True):
        definition = modello.indicator_definition()
        totals_match(definition, Scheda.objects.filter(modello=modello))  # the demo data
    nid = ModelloScheda.objects.get(codice="NID26")
    [r21, _r22] = totals_match(nid.indicator_definition(), Scheda.objects.filter(modello=nid, comune_id="035033"))
    assert (r21.numerator, r21.denominator) == (1800, 3475)  # Reggio nell'Emilia seed values: 1.800 / 3.475
    assert r21.value.quantize(Decimal("0.01")) == Decimal("51.80")
    ambito = build(45, "somme", 650000)
    soc = ModelloScheda.objects.get(codice="SOC26")
    [r01b, r04] = totals_match(soc.indicator_definition(), Scheda.objects.filter(modello=soc, comune__ambito=ambito))
    assert r01b.numerator == 23 * 172284  # 23 schede SOC26 × Reggio's population
    assert r04.checks[0].target is not None  # weighted by population


def test_schede_saved_before_the_exact_addends_are_added_up_in_python():
    nid = ModelloScheda.objects.get(codice="NID26")
    scheda = Scheda.objects.get(modello=nid, comune_id="035033")
    legacy = {k: v for k, v in scheda.indicatori.items() if k != SUMS_KEY}
    Scheda.objects.filter(pk=scheda.pk).update(indicatori=legacy)
    [r21, _r22] = totals_match(nid.indicator_definition(), Scheda.objects.filter(modello=nid))
    assert r21.numerator is not None


@pytest.mark.usefixtures("without_demo_campaigns")
def test_overview_page_shows_italian_numbers_and_links(client_for, udp_user):
    page = client_for(udp_user).get(reverse("monitoring:overview", args=["magentino"])).content.decode()
    assert 'data-testid="totale-NID26-R21">73,3%<' in page
    magenta = Scheda.objects.get(modello__codice="NID26", comune_id="015130")
    assert reverse("monitoring:scheda_detail", args=[magenta.pk]) in page
    assert "<strong>25</strong> non iniziata" in page
