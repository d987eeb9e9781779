"""The SVG charts of reports.charts (web pages and PDFs): value axes from zero, long labels wrapped not cut, the
portal's font."""

import re
from html import unescape

import pytest

from core.charts import FONT, Reference, bar_chart, line_chart, stacked_bar_chart, wrap_label
from monitoring.snapshots.charts import plan_progress, progress_trend_charts

LONG = (
    "C. Contrasto alla povertà, emarginazione sociale e promozione dell'inclusione attiva e delle politiche per il "
    "lavoro"
)


def texts(svg) -> list[str]:
    """The text of each <text> element (its <tspan> lines joined by a space)."""
    out = []
    for body in re.findall(r"<text\b[^>]*>(.*?)</text>", str(svg), re.S):
        lines = re.findall(r"<tspan\b[^>]*>(.*?)</tspan>", body, re.S) or [body]
        out.append(unescape(" ".join(lines)))
    return out


def tick_labels(svg) -> list[str]:
    return [unescape(t) for t in re.findall(r'text-anchor="end" fill="#333">([^<]*)</text>', str(svg))]


def test_line_chart_value_axis_starts_at_zero():
    chart = line_chart(
        title="Popolazione residente nell'Ambito 2015-2024",
        description="Totale",
        series=[("Totale Ambito", [(2015, 127_975), (2020, 129_195), (2024, 131_668)])],
        chart_id="pop",
    )
    assert chart.axis[0] == 0
    assert chart.axis[1] >= 131_668
    assert tick_labels(chart.svg)[0] == "0"  # the lowest tick, drawn first
    negative = line_chart(title="T", description="D", series=[("S", [(1, -5), (2, 20)])], chart_id="neg")
    assert negative.axis[0] < 0 < negative.axis[1]  # zero inside the axis, not below it


def test_bar_charts_start_at_zero():
    chart = bar_chart(title="T", description="D", bars=[("A", 900), ("B", 950)], chart_id="b", value_label="V")
    assert chart.axis[0] == 0
    with_ref = bar_chart(
        title="T", description="D", bars=[("A", 40)], chart_id="r", value_label="V", references=[Reference(100, "R")]
    )
    assert with_ref.axis == (0, 100)


def test_wrap_label_keeps_every_word():
    lines = wrap_label(LONG, 30)
    assert " ".join(lines) == LONG
    assert all(len(line) <= 30 for line in lines)
    assert wrap_label("Supercalifragilistichespiralidoso breve", 10) == ["Supercalifragilistichespiralidoso", "breve"]


def test_long_legend_labels_are_wrapped_whole():
    series = [(LONG, [(2024, 10), (2025, 20)]), ("A. Famiglia, minori e politiche giovanili", [(2024, 5), (2025, 7)])]
    chart = line_chart(title="T", description="D", series=series, chart_id="legend")
    labels = texts(chart.svg)
    assert LONG in labels
    assert "A. Famiglia, minori e politiche giovanili" in labels
    assert "…" not in str(chart.svg)
    svg = str(chart.svg)
    assert svg.count("<tspan") >= 2  # the long label is on several lines
    height = int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    baselines = [float(y) for y in re.findall(r'<tspan x="[\d.]+" y="([\d.]+)"', svg)]
    assert max(baselines) < height  # the chart grows with its legend


def test_long_bar_labels_are_wrapped_whole():
    chart = bar_chart(
        title="T", description="D", bars=[(LONG, 36.4), ("D. Governance e rete", 7.1)], chart_id="bars", value_label="%"
    )
    assert LONG in texts(chart.svg)
    assert "…" not in str(chart.svg)
    stacked = stacked_bar_chart(
        title="E", description="D", categories=["x", "y"], bars=[(LONG, [25, 75])], chart_id="s"
    )
    assert LONG in texts(stacked.svg)


def test_chart_text_uses_the_portal_font():
    chart = bar_chart(title="T", description="D", bars=[("A", 1)], chart_id="f", value_label="V")
    assert f'font-family="{FONT}"' in str(chart.svg)
    assert FONT.split(",")[0].strip("'\" ") == "Titillium Web"  # the font of pdf.css and of the web pages


@pytest.mark.django_db
def test_planning_charts_pass_area_labels_whole(piano):
    chart = plan_progress(piano)
    labels = texts(chart.svg)
    assert chart.rows
    assert all(row[0] in labels for row in chart.rows)
    assert any(len(row[0]) > 60 for row in chart.rows)  # the long area names, once cut at 36 characters
    for trend in progress_trend_charts(piano):
        assert all(label in texts(trend.svg) for label, *_ in trend.rows)
        assert "…" not in str(trend.svg)
