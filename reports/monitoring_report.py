"""The Ambito monitoring report (PDF): every Comune's schede status and indicators against the LEP targets,
with the charts of the dashboard. Its spec comes from `reports.specs.report_spec`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from core.pdf import render_pdf
from monitoring.models import ModelloScheda
from monitoring.overview import indicator_tables, overview_rows
from territory.models import Ambito
from territory.versions import ambito_versions

from . import ambito_charts


def active_templates() -> list[ModelloScheda]:
    return list(ModelloScheda.objects.filter(attivo=True).order_by("codice"))


def monitoring_fingerprint(ambito: Ambito, comuni: QuerySet, lettore: list | None = None) -> dict:
    """The data versions of the Ambito (its Comuni, schede and their values, templates, population:
    territory.versions) and which of its Comuni the reader sees: `lettore` (the grants that decide it, no query)
    or, without it, the Comuni themselves (one query). A cached report is found without reading the schede."""
    seen = lettore if lettore is not None else list(comuni.order_by("pk").values_list("pk", flat=True))
    return {"ambito": ambito_versions(ambito), "comuni": seen}


def monitoring_pdf(ambito: Ambito, comuni: QuerySet, modelli: list[ModelloScheda]) -> bytes:
    charts = (ambito_charts.nursery_coverage(comuni, ambito.slug), ambito_charts.social_workers(comuni, ambito.slug))
    return render_pdf(
        "reports/pdf/monitoraggio_ambito.html",
        {
            "ambito": ambito,
            "rows": overview_rows(comuni.order_by("nome"), modelli),
            "indicators": indicator_tables(comuni, modelli),
            "charts": [c for c in charts if c.rows],
            "generated": timezone.localtime(),
        },
        title=f"Monitoraggio delle schede SOSE — {ambito.nome}",
        author=ambito.ente_capofila or ambito.nome,
    )
