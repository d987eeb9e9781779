"""Schede pages: the user's schede, a new scheda, the Ambito overview, a scheda's summary and history."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from accounts.scoping import EDIT, MANAGE, ScopedObjectMixin, can, can_on_ambito, scope_key, scoped_path
from accounts.sections import MONITORAGGIO, section_page_trail
from core.exports import EXPORT_FORMATS, table_export_response
from core.fragments import cached_data, cached_fragment, cached_fragments
from monitoring.navigation import scheda_trail, schede_ambito_trail
from territory.models import Ambito
from territory.versions import ambito_versions

from .. import jobs as schede_jobs
from ..campaigns import selectors as campaign_selectors
from ..forms import OverviewFilterForm, SchedaCreateForm
from ..indicator_page import page_tables
from ..layout import quadro_views
from ..overview import OverviewQuery, indicator_totals, overview_counts
from ..overview_html import overview_table_html
from ..rollup import Riepilogo, riepilogo_for
from ..selectors import (
    active_modelli,
    editable_comuni,
    overview_comuni,
    prefilled_count,
    scheda_history,
    user_ambiti,
    user_schede,
)
from ..services import (
    LABELS,
    SchedaError,
    allowed_transitions,
    scheda_compute,
    scheda_create,
    submit_check,
)
from ..tables import OverviewTable
from .common import ManagedAmbitoMixin, SchedaObjectMixin


class IndexView(TemplateView):
    """The user's schede and Ambiti, and the form to start a scheda."""

    template_name = "monitoring/index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        comuni = editable_comuni(user)
        return super().get_context_data(
            schede=user_schede(user),
            ambiti=user_ambiti(user),
            create_form=SchedaCreateForm(comuni=comuni) if comuni.exists() else None,
            breadcrumbs=section_page_trail(MONITORAGGIO),
            **kwargs,
        )


class SchedaCreateView(View):
    def post(self, request):
        editable = editable_comuni(request.user)
        form = SchedaCreateForm(request.POST, comuni=editable)
        if not form.is_valid():
            messages.error(request, _("Scegliere un modello e un Comune tra quelli assegnati."))
            return redirect("monitoring:index")
        comune = get_object_or_404(editable, pk=form.cleaned_data["comune"])
        try:
            scheda = scheda_create(
                modello=form.cleaned_data["modello"],
                comune=comune,
                user=request.user,
                copy_previous=form.cleaned_data["copia"],
            )
        except SchedaError as exc:
            messages.error(request, str(exc))
            return redirect("monitoring:index")
        if scheda.copiata_da:
            messages.success(
                request,
                _("Scheda creata e precompilata con %(n)s valori di %(src)s: restano segnati finché non li modifica.")
                % {"n": prefilled_count(scheda), "src": scheda.copiata_da.modello.codice},
            )
        else:
            messages.success(request, _("Scheda creata."))
        return redirect(scheda.get_absolute_url())


INDICATOR_ROWS = 50
OVERVIEW_ROWS = 50
FILTERS = "monitoring/_overview_filters.html"


class OverviewView(ScopedObjectMixin, TemplateView):
    """Ufficio di Piano overview of an Ambito: every Comune × scheda, with indicators against targets. The header
    names the page's Ambito (`ambito_attr`), so it needs no query of its own."""

    template_name = "monitoring/overview.html"
    scoped_model = Ambito
    scoped_select_related = ("parent",)
    lookups = {"slug": "slug"}
    ambito_attr = ""
    ambito = scoped_path()

    def get(self, request, *args, **kwargs):
        modelli = active_modelli()
        if request.GET.get("_export"):
            return self.exported(request, modelli)
        form = OverviewFilterForm(request.GET or None, modelli=modelli)
        query = request.GET.copy()
        query.pop("_export", None)
        # the data-only fragments, cached by the Ambito's data versions, the reader's scope and the query string
        # (the milestones say how many days are left: the date is part of the key)
        data = [ambito_versions(self.ambito), scope_key(request.user), timezone.localdate()]
        fragments = cached_fragments(
            "quadro-schede", [*data, query.urlencode()], lambda: self.render_data(form, modelli, data)
        )
        context = self.get_context_data(
            ambito=self.ambito,
            filtri=self.filters_html(form, modelli, query.urlencode()),
            can_manage=can_on_ambito(request.user, MANAGE, self.ambito),
            breadcrumbs=schede_ambito_trail(request.user, self.ambito),
            **fragments,
        )
        return self.render_to_response(context)

    def filters_html(self, form: OverviewFilterForm, modelli, query_string: str) -> SafeString:
        """The filters with the export links, cached by the query string and the templates they offer (the form
        rendered again is the same HTML: its widgets cost more than the lookup)."""
        parts = [self.ambito.slug, [m.codice for m in modelli], query_string, get_language()]
        context = {"form": form, "ambito": self.ambito, "query_string": query_string}
        return cached_fragment("quadro-schede-filtri", parts, lambda: render_to_string(FILTERS, context))

    def render_data(self, form: OverviewFilterForm, modelli, data: list) -> dict[str, str]:
        """The counts, the table of the schede and the indicator tables, rendered (cached by `get`). The database
        filters, orders and pages the rows, counts the states by GROUP BY and adds up the indicator totals: a
        constant number of queries, whatever the number of Comuni. What the whole Ambito shares (the counts of the
        filters, the Comuni, the indicator totals) is cached by `data` (versions, scope, day) apart from the page,
        so paging and sorting never count the Ambito's schede again."""
        comuni = overview_comuni(self.ambito, self.request.user)
        filters = form.cleaned_data if form.is_valid() else {}
        shared = [*data, sorted((k, str(v)) for k, v in filters.items() if v)]  # no filter: {} or blank fields
        n_comuni, totals = cached_data("quadro-schede-totali", data, lambda: self.totals(comuni, modelli))
        counted = None if filters.get("q") else n_comuni  # the Comuni after the name filter, when there is none
        counts = cached_data(
            "quadro-schede-conteggi", shared, lambda: overview_counts(
                comuni, modelli, **filters, n_comuni=counted, grouped=None if filters.get("q") else self.grouped())
        )  # fmt: skip
        total = sum(n for _label, n in counts)
        rows = OverviewQuery(comuni, modelli, **filters, total=total)
        table = OverviewTable(rows)
        RequestConfig(self.request, paginate={"per_page": OVERVIEW_ROWS}).configure(table)
        indicator_page = Paginator(range(n_comuni), INDICATOR_ROWS).get_page(self.request.GET.get("ipagina"))
        offset = indicator_page.start_index() - 1
        indicators = page_tables(comuni, modelli, totals, offset=offset, limit=INDICATOR_ROWS)
        frame = [self.ambito.slug, self.request.GET.urlencode(), total, OVERVIEW_ROWS]
        table_html = overview_table_html(table, self.request, frame)
        tables = {"table_html": table_html, "indicators": indicators, "indicator_page": indicator_page}
        campagne = campaign_selectors.open_campagne(self.ambito, self.request.user)
        return {
            "campagne": render_to_string(
                "monitoring/campaigns/_overview_campaigns.html", {"campagne": campagne, "ambito": self.ambito}
            ),
            "conteggi": render_to_string("monitoring/_overview_counts.html", {"counts": counts}),
            "tabelle": render_to_string("monitoring/_overview_tables.html", tables, request=self.request),
        }

    @cached_property
    def riepilogo(self) -> Riepilogo | None:
        """The Ambito's rollup of the schede (monitoring.rollup) when the user sees all its Comuni; else None."""
        return riepilogo_for(self.ambito, self.request.user)

    def totals(self, comuni, modelli) -> tuple[int, dict]:
        """(the Comuni the user sees, the indicator totals): from the rollup when there is one."""
        if self.riepilogo is None:
            return comuni.count(), indicator_totals(comuni, modelli)
        return self.riepilogo.n_comuni, indicator_totals(comuni, modelli, self.riepilogo)

    def grouped(self) -> dict[tuple[int, str], int] | None:
        return None if self.riepilogo is None else self.riepilogo.counts()

    def exported(self, request, modelli) -> HttpResponse:
        """?_export=valori: every value of every scheda, as a job (never in the request); csv/xlsx: the table."""
        comuni = overview_comuni(self.ambito, request.user)
        if request.GET.get("_export") == "valori":
            back = reverse("monitoring:overview", args=[self.ambito.slug])
            job = schede_jobs.request_export(self.ambito, comuni, modelli, request.user, back)
            return redirect("jobs:detail", pk=job.pk)
        form = OverviewFilterForm(request.GET, modelli=modelli)
        rows = OverviewQuery(comuni, modelli, **(form.cleaned_data if form.is_valid() else {}))
        return self.export(request.GET["_export"], OverviewTable(rows))

    def export(self, fmt: str, table: OverviewTable) -> HttpResponse:
        """csv/xlsx: the overview table, filtered (?_export=valori is a job: see get)."""
        if fmt not in EXPORT_FORMATS:
            raise Http404
        table.order_by = self.request.GET.get("sort") or table.order_by
        return table_export_response(table, fmt, filename=f"schede-{self.ambito.slug}", sheet_title="Schede")


class RecomputeAllView(ManagedAmbitoMixin, View):
    """«Ricalcola tutte le schede» (POST, Ufficio di Piano of the Ambito or administrator): a job that recomputes
    the stored results of the schede of the Comuni the user may see; redirects to its progress page."""

    refusal = _lazy("Solo l'Ufficio di Piano dell'Ambito può ricalcolare tutte le schede.")

    def post(self, request, slug):
        ambito = self.ambito
        comuni = overview_comuni(ambito, request.user)
        back = reverse("monitoring:overview", args=[ambito.slug])
        job = schede_jobs.request_recompute(ambito, comuni, active_modelli(), request.user, back)
        return redirect("jobs:detail", pk=job.pk)


class SchedaDetailView(SchedaObjectMixin, View):
    """Summary of a scheda: status, quadri with their counts, messages, workflow, downloads."""

    def get(self, request, pk):
        scheda = self.scheda
        result = scheda_compute(scheda=scheda)
        compiled = scheda.modello.compiled()
        quadri = quadro_views(compiled, result)
        check = submit_check(scheda=scheda, result=result)
        return render(
            request,
            "monitoring/scheda_detail.html",
            {
                "scheda": scheda,
                "result": result,
                "quadri": quadri,
                "check": check,
                "transitions": [(a, LABELS[a]) for a in allowed_transitions(scheda, request.user) if a != "invia"],
                "can_send": "invia" in allowed_transitions(scheda, request.user),
                "can_edit": scheda.modificabile and can(request.user, EDIT, scheda),
                "prefilled": prefilled_count(scheda),
                "breadcrumbs": scheda_trail(request.user, scheda),
            },
        )


class StoricoView(SchedaObjectMixin, View):
    """Every change to a value or to the status: who, when, old → new."""

    def get(self, request, pk):
        scheda = self.scheda
        events = scheda_history(scheda)
        trail = scheda_trail(request.user, scheda).then(_("Storico"))
        return render(request, "monitoring/storico.html", {"scheda": scheda, "events": events, "breadcrumbs": trail})
