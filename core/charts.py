"""Server-side SVG charts, shared by web pages and PDFs (no JavaScript, no external fonts).

Every chart is a `Chart`: the SVG (with <title> and <desc>, labelled by them) plus the same data as a
table (headers and rows), which pages and PDFs show as the accessible alternative.

Value axes start at zero (line and bar charts alike: a +3% change must not look like a surge); long labels
(legends, bar labels) wrap on several lines instead of being cut. The text uses the portal's font, Titillium Web
(the web pages' font; the PDFs embed it with @font-face), so charts and body text are one family.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from core.formatting import it_number

PALETTE = [
    "#0066cc", "#d9364f", "#008758", "#a66300", "#5c2f91", "#17324d", "#00a3a3",
    "#b3005a", "#6b8e23", "#e07b00", "#7f8c8d", "#1f9bde", "#8e44ad", "#c0392b",
]  # fmt: skip
FONT = "'Titillium Web', sans-serif"
CHAR_W = 6.3  # average width of a character at font-size 12, for layout: DejaVu Sans (a fallback) ~6.2, Titillium ~5
LABEL_W = 300  # widest column of bar labels (of 720): longer labels wrap
LINE_H = 14  # line height of wrapped labels at font-size 12

Number = int | float | Decimal
XValue = int | str  # a year, or a label
Series = list[tuple[str, list[tuple[XValue, Number | None]]]]  # (label, [(x, y or None)])
Scale = Callable[[Any], float]  # a value to its coordinate in the SVG


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
    axis: tuple[float, float] | None = None  # (minimum, maximum) of the value axis

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
    """(start, end, step) of a value axis that always includes zero."""
    low, high = min(low, 0.0), max(high, 0.0)
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


def wrap_label(label: str, max_chars: int) -> list[str]:
    """A label on lines of at most `max_chars` characters, broken between words (a longer word keeps its line)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _text(x: float, y: float, lines: list[str], attrs: str, line_h: int = LINE_H) -> str:
    """A <text> of one or more lines (<tspan> each), the first line's baseline at `y`."""
    if len(lines) == 1:
        return f'<text x="{x:.1f}" y="{y:.1f}" {attrs}>{escape(lines[0])}</text>'
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{y + i * line_h:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y:.1f}" {attrs}>{spans}</text>'


def _legend(labels: list[tuple[str, str]], x: int, y: int, width: int) -> tuple[list[str], int]:
    """Legend entries flowing on rows, a long label wrapped on several lines (never cut); returns the parts
    and the height used."""
    parts, cx, cy, row_lines = [], x, y, 1
    max_chars = max(12, int((width - x - 26) / CHAR_W))
    for label, color in labels:
        lines = wrap_label(label, max_chars)
        w = 26 + round(CHAR_W * max(len(line) for line in lines))
        if cx + w > width and cx > x:
            cx, cy, row_lines = x, cy + LINE_H * row_lines + 4, 1
        parts.append(f'<rect x="{cx}" y="{cy - 9}" width="14" height="10" fill="{color}"/>')
        parts.append(_text(cx + 19, cy, lines, 'font-size="12" fill="#333"'))
        row_lines = max(row_lines, len(lines))
        cx += w
    return parts, cy - y + LINE_H * row_lines + 4


def _bar_rows(labels: list[str], label_w: int, row_h: int = 22) -> tuple[list[list[str]], list[int]]:
    """The lines of each bar label wrapped to fit `label_w`, and the top of each row (one more: the bottom)."""
    max_chars = max(10, int((label_w - 16) / CHAR_W))
    wrapped = [wrap_label(label, max_chars) for label in labels]
    tops = [40]
    for lines in wrapped:
        tops.append(tops[-1] + max(row_h, LINE_H * len(lines) + 8))
    return wrapped, tops


def _bar_label(label_w: int, top: int, bottom: int, lines: list[str]) -> str:
    """A bar's label right-aligned before the plot, vertically centred on its row."""
    first = (top + bottom) / 2 + 4 - LINE_H * (len(lines) - 1) / 2
    return _text(label_w - 8, first, lines, 'font-size="12" text-anchor="end" fill="#17324d"')


def _value_ticks(y0: float, y1: float, step: float, py: Scale, left: int, right_x: int, decimals: int) -> list[str]:
    """Horizontal grid lines of a line chart, each with its value left of the plot; the zero line stands out."""
    parts = []
    tick = y0
    while tick <= y1 + step / 1000:
        y = py(tick)
        stroke = "#5c6f82" if abs(tick) < step / 1000 else "#d0d7de"
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right_x}" y2="{y:.1f}" stroke="{stroke}"/>')
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="#333">'
            f"{escape(_fmt(tick, decimals))}</text>"
        )
        tick += step
    return parts


def _reference_line(ref: Reference, y: float, left: int, right_x: int) -> str:
    """A dashed horizontal target line across a line chart, labelled at its right end."""
    return (
        f'<line x1="{left}" y1="{y:.1f}" x2="{right_x}" y2="{y:.1f}" stroke="{ref.color}" '
        f'stroke-dasharray="6 4" stroke-width="2"/>'
        f'<text x="{right_x - 4}" y="{y - 5:.1f}" font-size="12" text-anchor="end" fill="{ref.color}">'
        f"{escape(ref.label)}</text>"
    )


def _series_line(
    label: str, points: list[tuple[XValue, Number | None]], color: str, px: Scale, py: Scale, decimals: int
) -> list[str]:
    """One series of a line chart: the line through its known values and a dot (with a tooltip) on each."""
    known = [(x, y) for x, y in points if y is not None]
    coords = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in known)
    return [f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{coords}"/>'] + [
        f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{color}">'
        f"<title>{escape(label)} {escape(str(x))}: {escape(_fmt(y, decimals))}</title></circle>"
        for x, y in known
    ]


def _line_table(series: Series, xs: list[XValue], x_notes: dict[XValue, str]) -> tuple[list[str], list[list]]:
    """The data table of a line chart: one row per x for a single series, otherwise one row per series."""

    def x_label(x: XValue) -> XValue:
        return f"{x} ({x_notes[x]})" if x in x_notes else x

    if len(series) == 1:
        values = dict(series[0][1])
        return ["", series[0][0]], [[x_label(x), values.get(x)] for x in xs]
    # one row per series, one column per x (a compact table for many Comuni)
    headers = ["", *[str(x_label(x)) for x in xs]]
    return headers, [[label, *[dict(points).get(x) for x in xs]] for label, points in series]


def line_chart(
    *,
    title: str,
    description: str,
    series: Series,
    chart_id: str,
    width: int = 720,
    height: int = 320,
    y_decimals: int = 0,
    references: Sequence[Reference] = (),
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
    left, right, top = 80, 40, 40  # right margin: room for the last x label
    labels = [(label, PALETTE[index % len(PALETTE)]) for index, (label, _) in enumerate(series)]
    _parts, legend_h = _legend(labels, left, 0, width - right)
    bottom = 40 + legend_h + (18 if x_notes else 0)
    plot_h = max(height - top - bottom, 160)
    height = top + plot_h + bottom
    plot_w = width - left - right
    y0, y1, step = _axis(min(ys), max(ys))

    def px(x: XValue) -> float:
        return left + (xs.index(x) * plot_w / max(len(xs) - 1, 1))

    def py(y: Number) -> float:
        return top + plot_h - (float(y) - y0) * plot_h / (y1 - y0)

    parts = _open(chart_id, title, description, width, height)
    parts += _value_ticks(y0, y1, step, py, left, width - right, y_decimals)
    parts += [
        f'<text x="{px(x):.1f}" y="{top + plot_h + 18}" font-size="12" text-anchor="middle" fill="#333">'
        f"{escape(str(x))}{'*' if x in x_notes else ''}</text>"
        for x in xs
    ]
    parts += [_reference_line(ref, py(ref.value), left, width - right) for ref in references]
    for (label, points), (_label, color) in zip(series, labels, strict=True):
        parts += _series_line(label, points, color, px, py, y_decimals)
    legend, legend_h = _legend(labels, left, top + plot_h + 40, width - right)
    parts.extend(legend)
    if x_notes:
        text = "* " + "; ".join(f"{x}: {note}" for x, note in sorted(x_notes.items()))
        parts.append(
            f'<text x="{left}" y="{top + plot_h + 40 + legend_h}" font-size="12" fill="#333">{escape(text)}</text>'
        )
    parts.append("</svg>")
    headers, rows = _line_table(series, xs, x_notes)
    svg = mark_safe("\n".join(parts))
    return Chart(chart_id, title, description, svg, headers, rows, y_decimals, axis=(y0, y1))


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
    references: Sequence[Reference] = (),
    colors: list[str] | None = None,
) -> Chart:
    """Horizontal bars, one per label (e.g. per Comune), with optional vertical target lines.

    A label longer than the label column wraps on several lines (its row grows); the value axis starts at zero."""
    label_w = min(LABEL_W, 20 + round(CHAR_W * max((len(label) for label, _ in bars), default=10)))
    bar_h = 15
    top, right = 40, 60
    wrapped, tops = _bar_rows([label for label, _ in bars], label_w)
    plot_bottom = tops[-1] if bars else top + 22
    height = plot_bottom + 40 + 18 * max(1, len(references))
    values = [float(v) for _, v in bars if v is not None] + [float(r.value) for r in references]
    x0, x1, step = _axis(min(values, default=0.0), max(values, default=0.0))
    plot_w = width - label_w - right

    def px(v: Number) -> float:
        return label_w + (float(v) - x0) * plot_w / (x1 - x0)

    parts = _open(chart_id, title, description, width, height)
    tick = x0
    while tick <= x1 + step / 1000:
        x = px(tick)
        stroke = "#5c6f82" if abs(tick) < step / 1000 else "#e3e7eb"  # the zero line stands out
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{plot_bottom}" stroke="{stroke}"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{plot_bottom + 16}" font-size="11" text-anchor="middle" fill="#333">'
            f"{escape(_fmt(tick, 0))}</text>"
        )
        tick += step
    for i, (label, value) in enumerate(bars):
        middle = (tops[i] + tops[i + 1]) / 2
        parts.append(_bar_label(label_w, tops[i], tops[i + 1], wrapped[i]))
        if value is None:
            parts.append(f'<text x="{px(0) + 4:.1f}" y="{middle + 4:.1f}" font-size="11" fill="#5c6f82">n.d.</text>')
            continue
        color = (colors[i] if colors else None) or PALETTE[0]
        start, end = sorted((px(0), px(value)))
        parts.append(
            f'<rect x="{start:.1f}" y="{middle - bar_h / 2:.1f}" width="{max(end - start, 1):.1f}" height="{bar_h}" '
            f'fill="{color}"><title>{escape(label)}: {escape(_fmt(value, decimals))}{escape(suffix)}</title></rect>'
        )
        parts.append(
            f'<text x="{end + 4:.1f}" y="{middle + 4:.1f}" font-size="11" fill="#333">'
            f"{escape(_fmt(value, decimals))}{escape(suffix)}</text>"
        )
    for j, ref in enumerate(references):
        x = px(ref.value)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{plot_bottom}" stroke="{ref.color}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        ly = plot_bottom + 34 + 18 * j
        parts.append(
            f'<line x1="{label_w}" y1="{ly - 4}" x2="{label_w + 24}" y2="{ly - 4}" stroke="{ref.color}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(f'<text x="{label_w + 30}" y="{ly}" font-size="12" fill="{ref.color}">{escape(ref.label)}</text>')
    parts.append("</svg>")
    headers = ["", value_label, *[r.label for r in references]]
    rows = [[label, value, *[r.value for r in references]] for label, value in bars]
    svg = mark_safe("\n".join(parts))
    return Chart(chart_id, title, description, svg, headers, rows, decimals, axis=(x0, x1))


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
    label_w = min(LABEL_W, 20 + round(CHAR_W * max((len(label) for label, _ in bars), default=10)))
    bar_h = 15
    wrapped, tops = _bar_rows([label for label, _ in bars], label_w)
    plot_bottom = tops[-1] if bars else tops[0] + 22
    legend_labels = [(c, PALETTE[j % len(PALETTE)]) for j, c in enumerate(categories)]
    legend, legend_h = _legend(legend_labels, label_w, plot_bottom + 24, width)
    height = plot_bottom + 30 + legend_h
    plot_w = width - label_w - 20
    parts = _open(chart_id, title, description, width, height)
    for i, (label, values) in enumerate(bars):
        middle = (tops[i] + tops[i + 1]) / 2
        parts.append(_bar_label(label_w, tops[i], tops[i + 1], wrapped[i]))
        total = sum(float(v) for v in values if v is not None)
        x = float(label_w)
        for j, value in enumerate(values):
            if not value or not total:
                continue
            w = float(value) * plot_w / total
            parts.append(
                f'<rect x="{x:.1f}" y="{middle - bar_h / 2:.1f}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(label)} — {escape(categories[j])}: '
                f"{escape(_fmt(value, decimals))}{escape(suffix)}</title></rect>"
            )
            if w > 34:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{middle + 3.5:.1f}" font-size="10" text-anchor="middle" '
                    f'fill="#fff">{escape(_fmt(value, decimals))}</text>'
                )
            x += w
    parts.extend(legend)
    parts.append("</svg>")
    headers = ["", *categories]
    rows = [[label, *values] for label, values in bars]
    return Chart(chart_id, title, description, mark_safe("\n".join(parts)), headers, rows, decimals, axis=(0, 100))
