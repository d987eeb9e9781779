"""The Ambito monitoring report (PDF): every Comune's schede status and indicators against the LEP targets,
with the charts of the dashboard. Its spec comes from `reports.specs.report_spec`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from core.pdf import render_pdf
from monitoring.models import ModelloScheda, Scheda
from monitoring.selectors import indicator_tables, overview_rows
from territory.models import Ambito

from . import ambito_charts


def active_templates() -> list[ModelloScheda]:
    return list(ModelloScheda.objects.filter(attivo=True).order_by("codice"))


def monitoring_fingerprint(ambito: Ambito, comuni: QuerySet, modelli: list[ModelloScheda]) -> dict:
    """The Ambito, its Comuni, the active templates and the version and state of every scheda of the report."""
    schede = Scheda.objects.filter(comune__in=comuni.values("pk"), modello__in=modelli)
    return {
        "ambito": [ambito.pk, ambito.nome],
        "comuni": list(comuni.order_by("pk").values_list("pk", "nome")),
        "modelli": [[m.pk, m.versione, str(m.aggiornato_il)] for m in modelli],
        "schede": [list(map(str, s)) for s in schede.order_by("pk").values_list("pk", "versione", "stato")],
    }


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
