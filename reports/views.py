"""Report pages: the index of the reports and the dashboard of each Ambito."""

from datetime import datetime

from django.db.models import Count, Max
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from accounts.scoping import AmbitoMixin, ScopedObjectMixin, reads_regioni, scope, scope_key, sees_ids
from accounts.sections import REPORT, section_page_trail
from accounts.user_cache import reader_key
from core.fragments import cached_fragment
from core.page_cache import KeyRows, cached_page
from core.page_cache import enabled as page_cache_enabled
from monitoring.campaigns import regione as regione_selectors
from monitoring.campaigns.regione_comparison import with_definition
from monitoring.comparison import chosen_modello, comparison_modelli
from monitoring.models import ModelloScheda, Scheda, Stato
from monitoring.rollup import Riepilogo, riepilogo_for
from monitoring.rollup_population import PopulationRollup
from monitoring.snapshots.charts import plan_progress
from planning.contesto.charts import spending_by_area, spending_by_fund
from planning.models import PianoDiZona, PianoPerformance
from planning.piano.selectors import ultima_modifica
from reports.navigation import dashboard_trail
from territory.models import Ambito
from territory.selectors import (
    PopulationYears,
    Totals,
    ambito_comuni,
    comuni_with_population,
    population_totals,
    population_years,
)
from territory.versions import ambito_versions

from . import ambito_charts
from .generation import serve_report
from .piano.document import piano_queryset
from .specs import report_spec


class IndexView(TemplateView):
    """Entry page of Report: the dashboards of the user's Ambiti."""

    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            ambiti=scope(Ambito.objects.all(), self.request.user), breadcrumbs=section_page_trail(REPORT), **kwargs
        )


class MonitoringReportView(AmbitoMixin, View):
    """The Ambito monitoring report PDF (cached by data; generated in the background when slow)."""

    def get(self, request, slug):
        ambito = self.scoped_object
        comuni = scope(ambito_comuni(ambito), request.user)
        back = reverse("reports:dashboard", args=[slug])
        spec = report_spec("monitoraggio", "pdf", ambito, comuni=comuni, lettore=scope_key(request.user), back_url=back)
        return serve_report(request, spec)


class ComparisonReportView(AmbitoMixin, View):
    """«Allegato: confronto degli indicatori» (PDF) of the Ambito for the template ?modello= (the latest active by
    default), the same tables and charts as monitoring:comparison; cached by data, generated as a job."""

    def get(self, request, slug):
        ambito = self.scoped_object
        modello = chosen_modello(request.GET.get("modello"), comparison_modelli())
        if modello is None:
            raise Http404("Modello di scheda inesistente o non attivo.")
        comuni = scope(ambito_comuni(ambito), request.user)
        back = reverse("monitoring:comparison", args=[slug]) + f"?modello={modello.codice}"
        spec = report_spec(
            "confronto", "pdf", ambito, comuni=comuni, modello=modello, lettore=scope_key(request.user), back_url=back
        )
        return serve_report(request, spec)


class RegioneComparisonReportView(View):
    """«Allegato: confronto degli indicatori» (PDF) across the Ambiti of a Regione (?regione=, ?modello= chosen as on
    monitoring:regione_confronto): the Regione's users and the Amministratore only; cached by the data versions of
    every Ambito of the Regione, generated as a job."""

    def get(self, request):
        user = request.user
        if not reads_regioni(user):
            raise Http404("Pagina riservata alla Regione.")
        regione = regione_selectors.chosen_regione(regione_selectors.user_regioni(user), request.GET.get("regione"))
        modelli = regione_selectors.modelli_options()
        modello = with_definition(regione_selectors.chosen_modello(regione, modelli, request.GET.get("modello")))
        if modello is None:
            raise Http404("Nessun modello di scheda registrato.")
        query = f"?regione={regione.codice}&modello={modello.codice}"
        back = reverse("monitoring:regione_confronto") + query
        return serve_report(request, report_spec("confronto-regione", "pdf", regione, modello=modello, back_url=back))


class PerformanceReportView(ScopedObjectMixin, View):
    """The performance plan report (seed 004 layout) as PDF or XLSX, cached by data (reports.generation)."""

    fmt = "pdf"
    scoped_model = PianoPerformance
    scoped_select_related = ("ambito__parent",)  # the data versions of the cache key
    lookups = {"slug": "slug"}

    def get(self, request, slug):
        piano = self.scoped_object
        back = reverse("planning:performance_detail", args=[slug])
        return serve_report(request, report_spec("performance", self.fmt, piano, back_url=back))


# The Ambito's versions (as ambito_versions()) and those of its plans, a row per plan: the dashboard's key.
DASHBOARD_KEY_ROWS = KeyRows(
    Ambito,
    "slug",
    ("pk", "versione_dati", "parent__versione_dati", "piani__pk", "piani__versione_dati"),
    marker="\x00",
    order_by=("piani__pk",),
)


class DashboardView(AmbitoMixin, TemplateView):
    """Key figures and charts of an Ambito, with a link to each report and when its data last changed."""

    template_name = "reports/dashboard.html"

    @cached_property
    def data_versions(self) -> list:
        """What the dashboard's data are made of: one query (the plans' versions), the rest is loaded or in memory."""
        ambito = self.scoped_object
        piani = scope(PianoDiZona.objects.filter(ambito=ambito), self.request.user).order_by("pk")
        return [ambito_versions(ambito), list(piani.values_list("pk", "versione_dati"))]

    def dispatch(self, request, *args, **kwargs):
        """A GET is the page kept per reader (core.page_cache) when the Ambito's and its plans' data versions are
        those it was built on: read in one query (a row per plan), the page rendered only when they changed."""
        if request.method not in ("GET", "HEAD") or not page_cache_enabled():
            return super().dispatch(request, *args, **kwargs)
        rows = DASHBOARD_KEY_ROWS(kwargs["slug"])
        if not rows or not sees_ids(request.user, rows[0][0]):  # (scope(Ambito): its pk among the grants)
            return super().dispatch(request, *args, **kwargs)  # 404, as without the cache
        ambito = list(rows[0][:3])  # as ambito_versions()
        piani = [[pk, versione] for *_ambito, pk, versione in rows if pk is not None]  # every plan: a superset
        parts = [reader_key(request, in_ambito=True), ambito, piani]
        return cached_page(request, parts, lambda: super(DashboardView, self).dispatch(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        ambito = self.scoped_object
        user = self.request.user
        parts = [*self.data_versions, scope_key(user), self.request.GET.urlencode()]
        cruscotto = cached_fragment(
            "cruscotto", parts, lambda: render_to_string("reports/_dashboard_body.html", _dashboard_data(ambito, user))
        )
        return super().get_context_data(
            ambito=ambito, breadcrumbs=dashboard_trail(user, ambito), cruscotto=cruscotto, **kwargs
        )


def _dashboard_data(ambito: Ambito, user) -> dict:
    """The figures, charts and plans of the dashboard (the data-only part of the page, cached as a fragment)."""
    comuni = scope(ambito_comuni(ambito), user)
    rollup = riepilogo_for(ambito, user)
    anni, totals, population_charts = _population(ambito, comuni, rollup.popolazione if rollup else None)
    year = anni.anno  # the latest year complete for the Ambito: a partial year is never the headline
    per_stato, latest = _schede_by_state(rollup, comuni)
    counts = {label: per_stato.get(value, 0) for value, label in Stato.choices}
    n_comuni = anni.n_comuni
    charts = [
        *population_charts,
        ambito_charts.nursery_coverage(comuni, ambito.slug, n_comuni=n_comuni, rollup=rollup),
        ambito_charts.social_workers(comuni, ambito.slug, n_comuni=n_comuni, rollup=rollup),
        spending_by_area(ambito),
        spending_by_fund(ambito),
        *(plan_progress(p) for p in scope(PianoDiZona.objects.filter(ambito=ambito), user)),
    ]
    updated = {"popolazione": anni.latest, "schede": latest}
    return {
        "ambito": ambito,
        "anno": year,
        "anni_parziali": anni.pending,
        "totals": totals,
        "counts": [(label, n) for label, n in counts.items() if n],
        "schede_totali": sum(per_stato.values()),
        "charts": [c for c in charts if c.rows],
        "updated": updated,
        "piani": _piani_with_updates(ambito, user),
    }


def _population(ambito: Ambito, comuni, rollup: PopulationRollup | None) -> tuple[PopulationYears, Totals, list]:
    """The population years, the totals of the headline year and the population charts: from the Ambito's stored
    rollup when the user sees all its Comuni (no scan of their population), else from the Comuni in `comuni`."""
    if rollup is not None:
        anni = rollup.years()
        charts = [
            ambito_charts.population_trend_from(rollup, ambito.slug, anni.notes()),
            ambito_charts.age_structure_from(rollup, ambito.slug, anni.anno),
        ]
        return anni, rollup.totals(anni.anno), charts
    anni = population_years(comuni)
    charts = [
        ambito_charts.population_trend(comuni, ambito.slug, notes=anni.notes(), n_comuni=anni.n_comuni),
        ambito_charts.age_structure(comuni, ambito.slug, anni.anno, n_comuni=anni.n_comuni),
    ]
    return anni, population_totals(comuni_with_population(comuni, anni.anno)), charts


def _schede_by_state(rollup: Riepilogo | None, comuni) -> tuple[dict[str, int], datetime | None]:
    """How many schede of the active templates (this year's, not the history of past years) in each state, and
    their latest change: from the Ambito's rollup (monitoring.rollup, `riepilogo_for`: when the user sees all its
    Comuni), else in one query (each template named, so that the covering index of the schede applies,
    monitoring.models.Scheda)."""
    active = list(ModelloScheda.objects.filter(attivo=True).values_list("pk", flat=True))
    if rollup is not None:
        per_stato: dict[str, int] = {}
        for (modello, stato), n in rollup.counts().items():
            if modello in active:
                per_stato[stato] = per_stato.get(stato, 0) + n
        return per_stato, rollup.latest_change(active)
    schede = Scheda.objects.filter(comune__in=comuni.values("pk"), modello__in=active).order_by()
    rows = list(schede.values_list("stato").annotate(n=Count("pk"), m=Max("modificata_il")))
    return {stato: n for stato, n, _m in rows}, max((m for _s, _n, m in rows if m is not None), default=None)


def _piani_with_updates(ambito: Ambito, user) -> list[PianoDiZona]:
    """The plans of the Ambito the user can read, each with the date its data last changed."""
    piani = list(scope(PianoDiZona.objects.filter(ambito=ambito).select_related("ambito"), user))
    for piano in piani:
        piano.aggiornato_il = ultima_modifica(piano)
    return piani


class PianoReportView(ScopedObjectMixin, View):
    """The Piano di Zona as PDF or Excel: only readers of the plan (404 otherwise); cached by data fingerprint,
    generated in the background with a progress page when slow."""

    fmt = "pdf"
    lookups = {"slug": "slug"}

    scoped_queryset = piano_queryset

    def get(self, request, slug):
        piano = self.scoped_object
        return serve_report(request, report_spec("piano", self.fmt, piano, back_url=piano.get_absolute_url()))


class PianoPdfView(PianoReportView):
    fmt = "pdf"


class PianoXlsxView(PianoReportView):
    fmt = "xlsx"
