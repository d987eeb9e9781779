"""Report pages: the index of the reports and the dashboard of each Ambito."""

from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from accounts.scoping import scope
from monitoring.models import Scheda, Stato
from planning.models import Ambito, Popolazione
from planning.selectors import ambito_comuni, comuni_with_population, latest_year, population_totals

from . import ambito_charts
from .generation import serve_report
from .models import ReportJob
from .monitoring_report import monitoring_report_spec


class IndexView(TemplateView):
    """Entry page of Report: the dashboards of the user's Ambiti."""

    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(ambiti=scope(Ambito.objects.all(), self.request.user), **kwargs)


def _ambito(request, slug: str) -> Ambito:
    return get_object_or_404(scope(Ambito.objects.select_related("parent"), request.user), slug=slug)


class MonitoringReportView(View):
    """The Ambito monitoring report PDF (cached by data; generated in the background when slow)."""

    def get(self, request, slug):
        ambito = _ambito(request, slug)
        comuni = scope(ambito_comuni(ambito), request.user)
        spec = monitoring_report_spec(ambito, comuni, back_url=reverse("reports:dashboard", args=[slug]))
        return serve_report(request, spec)


class JobStatusView(View):
    """Status of a report being generated (polled by the progress page)."""

    def get(self, request, pk):
        qs = (
            ReportJob.objects.all()
            if request.user.is_superuser
            else ReportJob.objects.filter(richiesto_da=request.user)
        )
        job = get_object_or_404(qs, pk=pk)
        return JsonResponse({"stato": job.stato, "titolo": job.titolo})


class DashboardView(TemplateView):
    """Key figures and charts of an Ambito, with a link to each report and when its data last changed."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        ambito = get_object_or_404(
            scope(Ambito.objects.select_related("parent"), self.request.user), slug=kwargs["slug"]
        )
        comuni = scope(ambito_comuni(ambito), self.request.user)
        year = latest_year(comuni)
        totals = population_totals(comuni_with_population(comuni, year))
        schede = Scheda.objects.filter(comune__in=comuni.values("pk"))
        stati = dict(Stato.choices)
        counts = {stati[s]: schede.filter(stato=s).count() for s in Stato.values}
        charts = [
            ambito_charts.population_trend(comuni, ambito.slug),
            ambito_charts.age_structure(comuni, ambito.slug, year),
            ambito_charts.nursery_coverage(comuni, ambito.slug),
            ambito_charts.social_workers(comuni, ambito.slug),
        ]
        updated = {
            "popolazione": Popolazione.objects.filter(comune__in=comuni.values("pk")).aggregate(m=Max("anno"))["m"],
            "schede": schede.aggregate(m=Max("modificata_il"))["m"],
        }
        return super().get_context_data(
            ambito=ambito,
            anno=year,
            totals=totals,
            counts=[(label, n) for label, n in counts.items() if n],
            schede_totali=schede.count(),
            charts=[c for c in charts if c.rows],
            updated=updated,
            **kwargs,
        )
