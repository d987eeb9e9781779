"""«Allegato: confronto degli indicatori» (PDF): the comparison page of an Ambito (monitoring.comparison) as a
document, the same tables and charts, and the same annex across the Ambiti of a Regione
(monitoring:regione_confronto). Its spec comes from `reports.specs.report_spec` (document «confronto»)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from core import versions
from core.pdf import render_pdf
from monitoring.campaigns.regione_comparison import regione_comparison
from monitoring.comparison import Comparison, compare_comuni_of, comparison_charts
from monitoring.models import ModelloScheda
from territory.models import Ambito, Regione

from .monitoring_report import monitoring_fingerprint


def comparison_fingerprint(ambito: Ambito, comuni: QuerySet, modello: ModelloScheda, lettore: list | None) -> dict:
    """The data versions of the Ambito (schede, their values, templates: territory.versions), who reads which
    Comuni, and the template compared (its version: a new definition of the indicators)."""
    return {**monitoring_fingerprint(ambito, comuni, lettore), "modello": [modello.pk, modello.versione]}


def comparison_title(ambito: Ambito, modello: ModelloScheda) -> str:
    return f"Allegato: confronto degli indicatori {modello.codice} — {ambito.nome}"


def _annex_pdf(
    template: str, comparison: Comparison, chart_name: str, *, title: str, author: str, **subject: object
) -> bytes:
    """The annex of `comparison` as a PDF: its subject (the Ambito or the Regione) and its template, then a section
    per indicator, its chart (named after `chart_name`) with its table."""
    charts = comparison_charts(comparison, chart_name)
    context = {
        **subject,
        "modello": comparison.modello,
        "comparison": comparison,
        "sections": list(zip(comparison.indicators, charts, strict=True)),
        "generated": timezone.localtime(),
    }
    return render_pdf(template, context, title=title, author=author)


def comparison_pdf(ambito: Ambito, comuni: QuerySet, modello: ModelloScheda) -> bytes:
    return _annex_pdf(
        "reports/pdf/confronto_indicatori.html",
        compare_comuni_of(comuni, modello),
        f"confronto-{ambito.slug}",
        title=comparison_title(ambito, modello),
        author=ambito.ente_capofila or ambito.nome,
        ambito=ambito,
    )


# --- The same annex across the Ambiti of a Regione ------------------------------------------------------------


def regione_comparison_fingerprint(regione: Regione, modello: ModelloScheda) -> dict:
    """The data versions of every Ambito of the Regione (one query; a sub-ambito's change bumps its parent too, the
    Regione's name bumps them all) and the template compared. Every reader of the page (the Regione's users, the
    Amministratore) sees every Ambito of it: no reader in the key."""
    versions.observed()  # read: the next change bumps the versions again, even in this transaction
    ambiti = Ambito.objects.filter(regione=regione).order_by("pk").values_list("pk", "versione_dati")
    return {"regione": regione.pk, "ambiti": [list(a) for a in ambiti], "modello": [modello.pk, modello.versione]}


def regione_comparison_title(regione: Regione, modello: ModelloScheda) -> str:
    return f"Allegato: confronto degli indicatori {modello.codice} — Regione {regione.nome}"


def regione_comparison_pdf(regione: Regione, modello: ModelloScheda) -> bytes:
    return _annex_pdf(
        "reports/pdf/confronto_regione.html",
        regione_comparison(regione, modello),
        f"confronto-regione-{regione.codice}",
        title=regione_comparison_title(regione, modello),
        author=f"Regione {regione.nome}",
        regione=regione,
    )
