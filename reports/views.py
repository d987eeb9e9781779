"""Report pages: the index of the reports and the dashboard of each Ambito."""

from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from accounts.scoping import scope
from monitoring.models import Scheda, Stato
from planning.models import Ambito, Popolazione
from planning.selectors import ambito_comuni, comuni_with_population, latest_year, population_totals

from . import ambito_charts


class IndexView(TemplateView):
    """Entry page of Report: the dashboards of the user's Ambiti."""

    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(ambiti=scope(Ambito.objects.all(), self.request.user), **kwargs)


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
