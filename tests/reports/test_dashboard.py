"""Ambito dashboard and the shared SVG charts: data points in the SVG, data tables, permissions."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.charts import Reference, bar_chart, stacked_bar_chart

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("without_demo_campaigns")
def test_dashboard_key_figures_and_charts(client_for, udp_user):
    response = client_for(udp_user).get(reverse("reports:dashboard", args=["magentino"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="kpi-popolazione">131.668<' in page
    charts = {c.chart_id: c for c in response.context["charts"]}
    planning = {"spesa-aree-magentino", "spesa-fondi-magentino", "avanzamento-magentino-2025-2027"}
    assert set(charts) == {"pop-magentino", "eta-magentino", "nid-magentino"} | planning
    trend = charts["pop-magentino"]
    assert ["Magenta", 23482, 23654, 23845, 23906, 24002, 24082, 23918, 24130, 24178, 24598] in trend.rows
    assert "Magenta 2024: 24.598" in str(trend.svg)  # each data point is in the SVG with its value
    ages = charts["eta-magentino"]
    magenta = next(r for r in ages.rows if r[0] == "Magenta")
    assert magenta[1:] == [Decimal("15.3"), Decimal("59.2"), Decimal("25.5")]  # 3768, 14561, 6269 of 24598
    coverage = charts["nid-magentino"]
    assert coverage.rows == [["Magenta", Decimal("73.35"), 33]]
    assert "Obiettivo 33%" in str(coverage.svg)
    assert "73,35%" in str(coverage.svg)
    assert page.count("Dati del grafico (tabella)") == 6


def test_dashboard_social_workers_chart_for_reggio(client_for, admin_user):
    response = client_for(admin_user).get(reverse("reports:dashboard", args=["reggio-emilia"]))
    charts = {c.chart_id: c for c in response.context["charts"]}
    workers = charts["soc-reggio-emilia"]
    assert workers.rows == [["Reggio nell'Emilia", Decimal("2651"), 5000, 4000]]
    assert "LEP 1 ogni 5.000" in str(workers.svg)


def test_dashboard_scoped(client_for, udp_user, operatore_user):
    assert client_for(udp_user).get(reverse("reports:dashboard", args=["reggio-emilia"])).status_code == 404
    assert client_for(operatore_user).get(reverse("reports:dashboard", args=["magentino"])).status_code == 404


def test_bar_chart_has_every_value_and_reference():
    chart = bar_chart(
        title="T",
        description="D",
        bars=[("A", 10), ("B", None), ("C", 45.5)],
        chart_id="b",
        value_label="v",
        decimals=1,
        references=[Reference(33, "Obiettivo")],
    )
    svg = str(chart.svg)
    assert "A: 10,0" in svg
    assert "C: 45,5" in svg
    assert "n.d." in svg
    assert "Obiettivo" in svg
    assert chart.rows == [["A", 10, 33], ["B", None, 33], ["C", 45.5, 33]]
    assert '<title id="b-title">T</title>' in svg


def test_stacked_bar_chart_segments():
    chart = stacked_bar_chart(title="E", description="D", categories=["x", "y"], bars=[("A", [25, 75])], chart_id="s")
    svg = str(chart.svg)
    assert "A — x: 25,0%" in svg
    assert "A — y: 75,0%" in svg
