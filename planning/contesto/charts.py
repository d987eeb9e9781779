"""Charts of the spending facts (social spending by user area and by funding source) for the Ambito dashboard,
the context pages and the Piano di Zona. Each returns a `core.charts.Chart` (SVG + data table); a chart without data
has no rows (callers skip it)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.charts import Chart, bar_chart
from planning.models import Dimensione, MisuraScolastica
from territory.models import Ambito

from .selectors import SerieAnni, spending_by

UNIT = Decimal("1")


def _euro(value: Decimal) -> Decimal:
    return value.quantize(UNIT, rounding=ROUND_HALF_UP)


def _spending_chart(anno, items, *, title: str, description: str, empty: str, chart_id: str, value_label: str) -> Chart:
    """A bar chart of spending `items` (label, euro) of the year `anno`; `empty` describes it when there is no year."""
    return bar_chart(
        title=title,
        description=description if anno else empty,
        bars=[(label, _euro(value)) for label, value in items],
        chart_id=chart_id,
        value_label=value_label,
    )


def spending_by_area(ambito: Ambito) -> Chart:
    """Social spending by user area in the latest year with data (Ambito and sub-ambiti), in euro."""
    anno, items, codici, ente = spending_by(ambito, Dimensione.AREA)
    return _spending_chart(
        anno,
        items,
        title=f"Spesa sociale per area di utenza {anno or ''}".strip() + (f" — {ente}" if ente else ""),
        description=f"Spesa sociale in euro per area di utenza nell'anno {anno} (fonte: {codici}), dalla più alta.",
        empty="Nessun dato di spesa per area di utenza.",
        chart_id=f"spesa-aree-{ambito.slug}",
        value_label="Spesa (€)",
    )


def spending_by_fund(ambito: Ambito) -> Chart:
    """Spending by funding source (amount tables, e.g. the Ufficio di Piano's Tab. 14) in the latest year."""
    anno, items, codici, ente = spending_by(ambito, Dimensione.FONTE)
    di = {"Ufficio di Piano": " dell'Ufficio di Piano", "Comuni (spesa aggregata)": " dei Comuni"}.get(ente, "")
    return _spending_chart(
        anno,
        items,
        title=f"Spesa{di} per fonte di finanziamento {anno or ''}".strip(),
        description=f"Importi in euro per fonte di finanziamento nell'anno {anno} (fonte: {codici}), dal più alto.",
        empty="Nessun dato di spesa per fonte di finanziamento.",
        chart_id=f"spesa-fondi-{ambito.slug}",
        value_label="Importo (€)",
    )


def school_series_chart(s: SerieAnni) -> Chart:
    """Pupils assisted per school year of a series (e.g. the SAAP of the Casalasco), one bar per school year."""
    utenti = s.valori(MisuraScolastica.UTENTI)
    return bar_chart(
        title=f"{s.serie.codice}: minori assistiti per anno scolastico — {s.serie.ambito.nome}",
        description=(
            f"Numero di minori assistiti per anno scolastico, dal {s.etichette_anni[0]} al {s.etichette_anni[-1]} "
            f"(fonte: {s.serie.fonte_dati or s.serie.fonte})."
            if s.anni
            else "Nessun dato per anno scolastico."
        ),
        bars=[(label, v) for label, v in zip(s.etichette_anni, utenti, strict=True) if v is not None],
        chart_id=f"serie-scolastica-{s.serie.pk}",
        value_label="Minori assistiti",
    )
