"""«Allegato: confronto degli indicatori» (PDF): the comparison page of an Ambito (monitoring.comparison) as a
document, the same tables and charts. Its spec comes from `reports.specs.report_spec` (document «confronto»)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from core.pdf import render_pdf
from monitoring.comparison import compare_comuni_of, comparison_charts
from monitoring.models import ModelloScheda
from territory.models import Ambito

from .monitoring_report import monitoring_fingerprint


def comparison_fingerprint(ambito: Ambito, comuni: QuerySet, modello: ModelloScheda, lettore: list | None) -> dict:
    """The data versions of the Ambito (schede, their values, templates: territory.versions), who reads which
    Comuni, and the template compared (its version: a new definition of the indicators)."""
    return {**monitoring_fingerprint(ambito, comuni, lettore), "modello": [modello.pk, modello.versione]}


def comparison_title(ambito: Ambito, modello: ModelloScheda) -> str:
    return f"Allegato: confronto degli indicatori {modello.codice} — {ambito.nome}"


def comparison_pdf(ambito: Ambito, comuni: QuerySet, modello: ModelloScheda) -> bytes:
    comparison = compare_comuni_of(comuni, modello)
    charts = comparison_charts(comparison, f"confronto-{ambito.slug}")
    return render_pdf(
        "reports/pdf/confronto_indicatori.html",
        {
            "ambito": ambito,
            "modello": modello,
            "comparison": comparison,
            "sections": list(zip(comparison.indicators, charts, strict=True)),
            "generated": timezone.localtime(),
        },
        title=comparison_title(ambito, modello),
        author=ambito.ente_capofila or ambito.nome,
    )
