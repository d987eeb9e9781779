"""Server-side SVG charts, shared by web pages and PDFs (no JavaScript, no external fonts).

Every chart is a `Chart`: the SVG (with <title> and <desc>, labelled by them) plus the same data as a
table (headers and rows), which pages and PDFs show as the accessible alternative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from core.formatting import it_number

PALETTE = [
    "#0066cc", "#d9364f", "#008758", "#a66300", "#5c2f91", "#17324d", "#00a3a3",
    "#b3005a", "#6b8e23", "#e07b00", "#7f8c8d", "#1f9bde", "#8e44ad", "#c0392b",
]  # fmt: skip
FONT = "Titillium Web, DejaVu Sans, sans-serif"

Number = int | float | Decimal


@dataclass
class Reference:
    """A horizontal (or vertical, in bar charts) target line, e.g. the 33% nursery coverage objective."""

    value: Number
    label: str
    color: str = "#d9364f"


@dataclass
class Chart:
    chart_id: str
    title: str
    description: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    decimals: int = 0

    def __str__(self) -> str:
        return str(self.svg)

    def __html__(self) -> str:
        return str(self.svg)

    def points(self) -> list[Number]:
        """Every number the chart draws (used by tests and by the data table)."""
        return [v for row in self.rows for v in row[1:] if isinstance(v, int | float | Decimal)]


def _fmt(value: Number | None, decimals: int) -> str:
    return "" if value is None else it_number(value, decimals)


def _nice_step(span: float, ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _axis(low: float, high: float) -> tuple[float, float, float]:
    if low == high:
        low, high = (0.0, high * 1.2 or 1.0) if high >= 0 else (high * 1.2, 0.0)
    step = _nice_step(high - low)
    start = (low // step) * step
    end = -(-high // step) * step
    if end == start:
        end = start + step
    return start, end, step


def _open(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="portal-chart" font-family="{FONT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<text x="10" y="22" font-size="15" font-weight="600" fill="#17324d">{escape(title)}</text>',
    ]


def _legend(labels: list[tuple[str, str]], x: int, y: int, width: int) -> tuple[list[str], int]:
    """Legend entries wrapped on several lines; returns the parts and the height used."""
    parts, cx, cy = [], x, y
    for label, color in labels:
        w = 26 + 7 * len(label)
        if cx + w > width and cx > x:
            cx, cy = x, cy + 18
        parts.append(f'<rect x="{cx}" y="{cy - 9}" width="14" height="10" fill="{color}"/>')
        parts.append(f'<text x="{cx + 19}" y="{cy}" font-size="12" fill="#333">{escape(label)}</text>')
        cx += w
    return parts, cy - y + 18


def line_chart(
    *,
    title: str,
    description: str,
    series: list[tuple[str, list[tuple[int | str, Number | None]]]],
    chart_id: str,
    width: int = 720,
    height: int = 320,
    y_decimals: int = 0,
    references: list[Reference] = (),
    x_notes: dict | None = None,
) -> Chart:
    """Lines of one or more series over the same x values (e.g. years).

    `x_notes` marks some x values (e.g. {2025: "dati parziali, 2 Comuni su 13"}): their axis label gets an
    asterisk explained under the chart, and their column (or row) of the data table carries the note.
    """
    xs = sorted({x for _, points in series for x, _ in points})
    x_notes = {x: note for x, note in (x_notes or {}).items() if note and x in xs}
    ys = [float(y) for _, points in series for _, y in points if y is not None] + [float(r.value) for r in references]
    if not xs or not ys:
        return Chart(chart_id, title, description, mark_safe(""))
    legend_rows = 1 + (sum(26 + 7 * len(label) for label, _ in series) // (width - 80))
    bottom = 40 + 18 * legend_rows + (18 if x_notes else 0)
    left, right, top = 80, 40, 40  # right margin: room for the last x label
    plot_w, plot_h = width - left - right, height - top - bottom
    y0, y1, step = _axis(min(ys), max(ys))

    def px(x) -> float:
        return left + (xs.index(x) * plot_w / max(len(xs) - 1, 1))

    def py(y) -> float:
        return top + plot_h - (float(y) - y0) * plot_h / (y1 - y0)

    parts = _open(chart_id, title, description, width, height)
    tick = y0
    while tick <= y1 + step / 1000:
        y = py(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d0d7de"/>')
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="#333">'
            f"{escape(_fmt(tick, y_decimals))}</text>"
        )
        tick += step
    for x in xs:
        parts.append(
            f'<text x="{px(x):.1f}" y="{top + plot_h + 18}" font-size="12" text-anchor="middle" fill="#333">'
            f"{escape(str(x))}{'*' if x in x_notes else ''}</text>"
        )
    for ref in references:
        y = py(ref.value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{ref.color}" '
            f'stroke-dasharray="6 4" stroke-width="2"/>'
            f'<text x="{width - right - 4}" y="{y - 5:.1f}" font-size="12" text-anchor="end" fill="{ref.color}">'
            f"{escape(ref.label)}</text>"
        )
    colors = []
    for index, (label, points) in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        colors.append((label, color))
        coords = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points if y is not None)
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{coords}"/>')
        for x, y in points:
            if y is not None:
                parts.append(
                    f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{color}">'
                    f"<title>{escape(label)} {escape(str(x))}: {escape(_fmt(y, y_decimals))}</title></circle>"
                )
    legend, legend_h = _legend(colors, left, top + plot_h + 40, width - right)
    parts.extend(legend)
    if x_notes:
        text = "* " + "; ".join(f"{x}: {note}" for x, note in sorted(x_notes.items()))
        parts.append(
            f'<text x="{left}" y="{top + plot_h + 40 + legend_h}" font-size="12" fill="#333">{escape(text)}</text>'
        )
    parts.append("</svg>")
    by_x = {x: [None] * len(series) for x in xs}
    for i, (_label, points) in enumerate(series):
        for x, y in points:
            by_x[x][i] = y

    def x_label(x) -> str | int:
        return f"{x} ({x_notes[x]})" if x in x_notes else x

    if len(series) == 1:
        headers = ["", series[0][0]]
        rows = [[x_label(x), by_x[x][0]] for x in xs]
    else:  # one row per series, one column per x (a compact table for many Comuni)
        headers = ["", *[str(x_label(x)) for x in xs]]
        rows = [[label, *[dict(points).get(x) for x in xs]] for label, points in series]
    return Chart(chart_id, title, description, mark_safe("\n".join(parts)), headers, rows, y_decimals)


def bar_chart(
    *,
    title: str,
    description: str,
    bars: list[tuple[str, Number | None]],
    chart_id: str,
    value_label: str,
    width: int = 720,
    decimals: int = 0,
    suffix: str = "",
    references: list[Reference] = (),
    colors: list[str] | None = None,
) -> Chart:
    """Horizontal bars, one per label (e.g. per Comune), with optional vertical target lines."""
    label_w = min(260, 20 + 7 * max((len(label) for label, _ in bars), default=10))
    row_h = 22
    top, bottom, right = 40, 40 + 18 * max(1, len(references)), 60
    height = top + bottom + row_h * max(len(bars), 1)
    values = [float(v) for _, v in bars if v is not None] + [float(r.value) for r in references]
    high = max(values + [0.0])
    low = min(values + [0.0])
    x0, x1, step = _axis(low, high)
    plot_w = width - label_w - right

    def px(v) -> float:
        return label_w + (float(v) - x0) * plot_w / (x1 - x0)

    parts = _open(chart_id, title, description, width, height)
    tick = x0
    while tick <= x1 + step / 1000:
        x = px(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{top + row_h * len(bars)}" stroke="#e3e7eb"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{top + row_h * len(bars) + 16}" font-size="11" text-anchor="middle" fill="#333">'
            f"{escape(_fmt(tick, 0))}</text>"
        )
        tick += step
    for i, (label, value) in enumerate(bars):
        y = top + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" font-size="12" text-anchor="end" fill="#17324d">'
            f"{escape(label[:38])}</text>"
        )
        if value is None:
            parts.append(f'<text x="{px(0) + 4:.1f}" y="{y + 15}" font-size="11" fill="#5c6f82">n.d.</text>')
            continue
        color = (colors[i] if colors else None) or PALETTE[0]
        start, end = sorted((px(0), px(value)))
        parts.append(
            f'<rect x="{start:.1f}" y="{y + 3}" width="{max(end - start, 1):.1f}" height="{row_h - 7}" fill="{color}">'
            f"<title>{escape(label)}: {escape(_fmt(value, decimals))}{escape(suffix)}</title></rect>"
        )
        parts.append(
            f'<text x="{end + 4:.1f}" y="{y + 15}" font-size="11" fill="#333">'
            f"{escape(_fmt(value, decimals))}{escape(suffix)}</text>"
        )
    for j, ref in enumerate(references):
        x = px(ref.value)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + row_h * len(bars)}" stroke="{ref.color}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        ly = top + row_h * len(bars) + 34 + 18 * j
        parts.append(
            f'<line x1="{label_w}" y1="{ly - 4}" x2="{label_w + 24}" y2="{ly - 4}" stroke="{ref.color}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(f'<text x="{label_w + 30}" y="{ly}" font-size="12" fill="{ref.color}">{escape(ref.label)}</text>')
    parts.append("</svg>")
    headers = ["", value_label, *[r.label for r in references]]
    rows = [[label, value, *[r.value for r in references]] for label, value in bars]
    return Chart(chart_id, title, description, mark_safe("\n".join(parts)), headers, rows, decimals)


def stacked_bar_chart(
    *,
    title: str,
    description: str,
    categories: list[str],
    bars: list[tuple[str, list[Number | None]]],
    chart_id: str,
    width: int = 720,
    decimals: int = 1,
    suffix: str = "%",
) -> Chart:
    """Horizontal 100%-style stacked bars (e.g. the age structure of each Comune: 0-17, 18-64, 65+)."""
    label_w = min(260, 20 + 7 * max((len(label) for label, _ in bars), default=10))
    row_h, top = 22, 40
    legend_h = 18 * (1 + sum(26 + 7 * len(c) for c in categories) // (width - label_w))
    height = top + row_h * max(len(bars), 1) + 30 + legend_h
    plot_w = width - label_w - 20
    parts = _open(chart_id, title, description, width, height)
    for i, (label, values) in enumerate(bars):
        y = top + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" font-size="12" text-anchor="end" fill="#17324d">'
            f"{escape(label[:38])}</text>"
        )
        total = sum(float(v) for v in values if v is not None)
        x = float(label_w)
        for j, value in enumerate(values):
            if not value or not total:
                continue
            w = float(value) * plot_w / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 7}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(label)} — {escape(categories[j])}: '
                f"{escape(_fmt(value, decimals))}{escape(suffix)}</title></rect>"
            )
            if w > 34:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 15}" font-size="10" text-anchor="middle" fill="#fff">'
                    f"{escape(_fmt(value, decimals))}</text>"
                )
            x += w
    legend, _h = _legend(
        [(c, PALETTE[j % len(PALETTE)]) for j, c in enumerate(categories)], label_w, top + row_h * len(bars) + 24, width
    )
    parts.extend(legend)
    parts.append("</svg>")
    headers = ["", *categories]
    rows = [[label, *values] for label, values in bars]
    return Chart(chart_id, title, description, mark_safe("\n".join(parts)), headers, rows, decimals)
