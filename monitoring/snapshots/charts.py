"""Charts of the quarterly monitoring of a plan, for the monitoring pages, the Ambito dashboard and the Piano di
Zona: `plan_progress(piano)` (% of actions realised by area at the latest snapshot) and
`progress_trend_charts(piano)` (% realised and mean achievement of targets by area, by quarter)."""

from __future__ import annotations

from core.charts import Chart, Reference, bar_chart, line_chart
from planning.models import PianoDiZona

from .selectors import Andamento, area_progress, latest_snapshot, progress_trend


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
