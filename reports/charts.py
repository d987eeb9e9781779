"""Server-side SVG charts, shared by web pages and PDFs (no JavaScript, no external fonts).

Every chart carries a <title> and <desc> (and is labelled by them); pages also show the data table.
"""

from __future__ import annotations

from html import escape

from core.formatting import it_number

PALETTE = ["#0066cc", "#d9364f", "#008758", "#a66300", "#5c2f91", "#17324d"]


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def line_chart(
    *,
    title: str,
    description: str,
    series: list[tuple[str, list[tuple[int | str, float | int]]]],
    chart_id: str,
    width: int = 720,
    height: int = 320,
    y_decimals: int = 0,
) -> str:
    """A line chart of one or more series sharing the same x values (e.g. years)."""
    xs = sorted({x for _, points in series for x, _ in points})
    ys = [y for _, points in series for _, y in points if y is not None]
    if not xs or not ys:
        return ""
    left, right, top, bottom = 80, 20, 40, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = min(ys), max(ys)
    if low == high:
        low, high = low * 0.95, high * 1.05 or 1
    step = _nice_step(high - low)
    y0 = (low // step) * step
    y1 = -(-high // step) * step
    if y1 == y0:
        y1 = y0 + step

    def px(x) -> float:
        return left + (xs.index(x) * plot_w / max(len(xs) - 1, 1))

    def py(y) -> float:
        return top + plot_h - (y - y0) * plot_h / (y1 - y0)

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" class="portal-chart" font-family="Titillium Web, sans-serif">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f'<text x="{left}" y="22" font-size="15" font-weight="600" fill="#17324d">{escape(title)}</text>',
    ]
    tick = y0
    while tick <= y1 + step / 1000:
        y = py(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d0d7de"/>')
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="#333">'
            f"{escape(it_number(tick, y_decimals))}</text>"
        )
        tick += step
    for x in xs:
        parts.append(
            f'<text x="{px(x):.1f}" y="{height - bottom + 20}" font-size="12" text-anchor="middle" fill="#333">'
            f"{escape(str(x))}</text>"
        )
    for index, (label, points) in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        coords = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points if y is not None)
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{coords}"/>')
        for x, y in points:
            if y is not None:
                parts.append(
                    f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{color}">'
                    f"<title>{escape(label)} {escape(str(x))}: {escape(it_number(y, y_decimals))}</title></circle>"
                )
        legend_y = height - 12
        legend_x = left + index * 220
        parts.append(f'<rect x="{legend_x}" y="{legend_y - 10}" width="14" height="4" fill="{color}"/>')
        parts.append(f'<text x="{legend_x + 20}" y="{legend_y - 5}" font-size="12" fill="#333">{escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
