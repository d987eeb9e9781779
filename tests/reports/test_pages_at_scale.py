"""The Ambito pages cost the same number of queries whatever the number of Comuni: the dashboard (whose charts
group the Comuni of a large Ambito), the schede overview and the Ambito page, at 3 and at 45 Comuni."""

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from monitoring.models import Scheda
from reports import ambito_charts
from territory.models import Ambito, Comune, Popolazione
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 45  # LARGE is above ambito_charts.CHART_COMUNI_MAX: its charts group the Comuni
PAGES = {"reports:dashboard": 26, "monitoring:overview": 14, "planning:ambito_detail": 14}


def synthetic_ambito(size: int, prefix: int) -> Ambito:
    """An Ambito of `size` Comuni with two years of population and the two demo schede of Reggio each."""
    ambito = Ambito.objects.create(nome=f"Ambito di {size} Comuni", slug=f"ambito-{size}", codice=f"A{size}")
    comuni = Comune.objects.bulk_create(
        Comune(codice_istat=f"{prefix}{i:05d}", nome=f"Comune {i:02d}", sigla_provincia="ZZ", ambito=ambito)
        for i in range(size)
    )
    Popolazione.objects.bulk_create(
        Popolazione(comune=c, anno=y, totale=1000 * (i + 1), eta_0_17=160 * (i + 1), eta_65_oltre=240 * (i + 1))
        for i, c in enumerate(comuni)
        for y in (2023, 2024)
    )
    reggio = list(Scheda.objects.filter(comune_id="035033"))
    Scheda.objects.bulk_create(
        Scheda(modello_id=r.modello_id, comune=c, stato=r.stato, risultati=r.risultati, indicatori=r.indicatori)
        for c in comuni
        for r in reggio
    )
    return ambito


@pytest.mark.parametrize("name", sorted(PAGES))
def test_ambito_pages_queries_do_not_grow_with_the_comuni(name, client, django_assert_max_num_queries):
    assert SMALL <= ambito_charts.CHART_COMUNI_MAX < LARGE
    for size, prefix in ((SMALL, 8), (LARGE, 9)):
        ambito = synthetic_ambito(size, prefix)
        client.force_login(user_with_role(f"udp-{size}", Ruolo.UFFICIO_PIANO, ambito=ambito))
        url = reverse(name, args=[ambito.slug])
        client.get(url)  # warm-up: session, content types, compiled templates
        with django_assert_max_num_queries(PAGES[name]):
            response = client.get(url)
        assert response.status_code == 200
        assert f"{size}" in response.content.decode()


def test_large_ambito_charts_group_the_comuni(client):
    ambito = synthetic_ambito(LARGE, 9)
    client.force_login(user_with_role("udp-grande", Ruolo.UFFICIO_PIANO, ambito=ambito))
    charts = {c.chart_id: c for c in client.get(reverse("reports:dashboard", args=[ambito.slug])).context["charts"]}
    trend = charts["pop-ambito-45"]
    assert [row[0] for row in trend.rows] == [  # one line per class of Comuni, not one per Comune
        "Comuni fino a 5.000 abitanti",
        "Comuni da 5.001 a 20.000 abitanti",
        "Comuni da 20.001 a 100.000 abitanti",
    ]
    assert trend.rows[0][1:] == [15000, 15000]  # 1.000 + 2.000 + 3.000 + 4.000 + 5.000, in each year
    ages = charts["eta-ambito-45"]
    assert ages.rows[0][0] == "Comuni fino a 5.000 abitanti (5)"
    coverage = charts["nid-ambito-45"]  # the same scheda everywhere: ties ordered by name, top 10 and bottom 10
    assert len(coverage.rows) == 2 * ambito_charts.TOP_N
    assert [row[0] for row in coverage.rows][:2] == ["Comune 00", "Comune 01"]
    assert "dei 10 Comuni con il valore più alto e dei 10 con il più basso, su 45" in coverage.description
