"""Charts of the planning data (spending facts, quarterly monitoring), shared by the Ambito dashboard, the
monitoring pages and the Piano di Zona PDF. Each function returns a `reports.charts.Chart` (SVG + data table);
a chart without data has no rows (callers skip it). Labels are passed whole: the charts wrap them, never cut them.

- `spending_by_area(ambito)`: social spending by user area, latest year;
- `spending_by_fund(ambito)`: spending by funding source (amounts), latest year;
- `plan_progress(piano)`: % of actions realised by area at the latest quarterly snapshot;
- `progress_trend_charts(piano)`: % of actions realised and mean achievement of targets by area, by quarter.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from monitoring.snapshots.selectors import Andamento, area_progress, latest_snapshot, progress_trend
from planning.contesto.selectors import spending_by
from planning.models import Ambito, Dimensione, PianoDiZona

from .charts import Chart, Reference, bar_chart, line_chart

UNIT = Decimal("1")


def _euro(value: Decimal) -> Decimal:
    return value.quantize(UNIT, rounding=ROUND_HALF_UP)


def spending_by_area(ambito: Ambito) -> Chart:
    """Social spending by user area in the latest year with data (Ambito and sub-ambiti), in euro."""
    anno, items, codici, ente = spending_by(ambito, Dimensione.AREA)
    return bar_chart(
        title=f"Spesa sociale per area di utenza {anno or ''}".strip() + (f" — {ente}" if ente else ""),
        description=f"Spesa sociale in euro per area di utenza nell'anno {anno} (fonte: {codici}), dalla più alta."
        if anno
        else "Nessun dato di spesa per area di utenza.",
        bars=[(label, _euro(value)) for label, value in items],
        chart_id=f"spesa-aree-{ambito.slug}",
        value_label="Spesa (€)",
    )


def spending_by_fund(ambito: Ambito) -> Chart:
    """Spending by funding source (amount tables, e.g. the Ufficio di Piano's Tab. 14) in the latest year."""
    anno, items, codici, ente = spending_by(ambito, Dimensione.FONTE)
    di = {"Ufficio di Piano": " dell'Ufficio di Piano", "Comuni (spesa aggregata)": " dei Comuni"}.get(ente, "")
    return bar_chart(
        title=f"Spesa{di} per fonte di finanziamento {anno or ''}".strip(),
        description=f"Importi in euro per fonte di finanziamento nell'anno {anno} (fonte: {codici}), dal più alto."
        if anno
        else "Nessun dato di spesa per fonte di finanziamento.",
        bars=[(label, _euro(value)) for label, value in items],
        chart_id=f"spesa-fondi-{ambito.slug}",
        value_label="Importo (€)",
    )


def plan_progress(piano: PianoDiZona) -> Chart:
    """% of the plan's actions realised in each area at the latest quarterly snapshot."""
    rilevazione = latest_snapshot(piano)
    aree = area_progress(rilevazione) if rilevazione else []
    codice = rilevazione.codice if rilevazione else ""
    stato = f" ({rilevazione.get_stato_display().lower()})" if rilevazione else ""
    return bar_chart(
        title=f"Avanzamento del piano per area — rilevazione {codice}".strip(" —"),
        description=(
            f"Percentuale di azioni realizzate per area alla rilevazione trimestrale {codice}{stato} del "
            f"{piano.titolo}."
            if rilevazione
            else "Nessuna rilevazione trimestrale."
        ),
        bars=[(a.etichetta, a.pct_realizzate) for a in aree],
        chart_id=f"avanzamento-{piano.slug}",
        value_label="% azioni realizzate",
        decimals=1,
        suffix="%",
        references=[Reference(100, "Tutte le azioni realizzate", "#008758")] if aree else [],
    )


def progress_trend_charts(piano: PianoDiZona, andamento: Andamento | None = None) -> list[Chart]:
    """Two line charts by quarter and area: % of actions realised, mean achievement of the year's targets."""
    andamento = andamento or progress_trend(piano)
    codici = [r.codice for r in andamento.rilevazioni]
    if not codici:
        return []

    def series(values: dict) -> list:
        return [
            (label, [(c, v) for c, v in zip(codici, values.get(key, []), strict=False) if v is not None])
            for key, label in andamento.aree
            if any(v is not None for v in values.get(key, []))
        ]

    return [
        line_chart(
            title="Azioni realizzate per area, per trimestre (%)",
            description="Percentuale di azioni realizzate in ogni area a ciascuna rilevazione trimestrale.",
            series=series(andamento.pct_realizzate),
            chart_id=f"trend-azioni-{piano.slug}",
            y_decimals=1,
        ),
        line_chart(
            title="Raggiungimento medio dei target per area, per trimestre (%)",
            description="Media, sugli indicatori rilevati con un target dell'anno, del valore rilevato sul target "
            "(ogni indicatore al massimo 100%).",
            series=series(andamento.media_target),
            chart_id=f"trend-target-{piano.slug}",
            y_decimals=1,
            references=[Reference(100, "Target raggiunto", "#008758")],
        ),
    ]
