"""The Ambito monitoring report (PDF): every Comune's schede status and indicators against the LEP targets,
with the charts of the dashboard."""

from __future__ import annotations

from django.utils import timezone

from core.pdf import render_pdf
from monitoring.models import ModelloScheda, Scheda
from monitoring.selectors import indicator_tables, overview_rows
from territory.models import Ambito

from . import ambito_charts
from .generation import ReportSpec


def monitoring_report_spec(ambito: Ambito, comuni, back_url: str = "") -> ReportSpec:
    modelli = list(ModelloScheda.objects.filter(attivo=True).order_by("codice"))
    schede = Scheda.objects.filter(comune__in=comuni.values("pk"), modello__in=modelli)
    fingerprint = {
        "ambito": [ambito.pk, ambito.nome],
        "comuni": list(comuni.order_by("pk").values_list("pk", "nome")),
        "modelli": [[m.pk, m.versione, str(m.aggiornato_il)] for m in modelli],
        "schede": [list(map(str, s)) for s in schede.order_by("pk").values_list("pk", "versione", "stato")],
    }

    def build() -> bytes:
        return render_pdf(
            "reports/pdf/monitoraggio_ambito.html",
            {
                "ambito": ambito,
                "rows": overview_rows(comuni.order_by("nome"), modelli),
                "indicators": indicator_tables(comuni, modelli),
                "charts": [
                    c
                    for c in (
                        ambito_charts.nursery_coverage(comuni, ambito.slug),
                        ambito_charts.social_workers(comuni, ambito.slug),
                    )
                    if c.rows
                ],
                "generated": timezone.localtime(),
            },
            title=f"Monitoraggio delle schede SOSE — {ambito.nome}",
            author=ambito.ente_capofila or ambito.nome,
        )

    return ReportSpec(
        kind="monitoraggio-ambito",
        title=f"Report di monitoraggio — {ambito.nome}",
        filename=f"monitoraggio-{ambito.slug}.pdf",
        content_type="application/pdf",
        fingerprint=fingerprint,
        build=build,
        back_url=back_url,
    )
