"""Territory pages: Ambito (Comuni table with filters and exports), Comune (population series), import."""

from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts.scoping import MANAGE, AmbitoMixin, ScopedObjectMixin, can_on_ambito, scope, scope_key, sees_ids
from accounts.sections import TERRITORIO, section_page_trail
from accounts.user_cache import reader_key
from core.charts import line_chart
from core.fragments import cached_fragment
from core.page_cache import KeyRows, cached_page
from core.page_cache import enabled as page_cache_enabled
from core.table_views import TablePage, TablePageView
from planning.navigation import ambito_trail, comune_trail
from territory.models import Ambito, Comune
from territory.selectors import (
    ambiti_summary,
    ambito_comuni,
    comuni_with_population,
    popolazione_serie,
    population_totals,
    population_years,
)
from territory.versions import territory_versions

from .filtersets import ComuneFilterSet
from .forms import PopolazioneImportForm
from .import_jobs import request_popolazione_import
from .models import PianoDiZona
from .tables import ComuneTable

# the Ambito page shows the territory alone: keyed by its territory versions (territory.versions), a save of a
# scheda or of a plan keeps it
AMBITO_KEY_ROWS = KeyRows(Ambito, "slug", ("pk", "versione_territorio", "parent__versione_territorio"), marker="\x00")


class AmbitoDetailView(AmbitoMixin, TablePageView):
    page = TablePage("planning/_ambito_detail_body.html", ComuneTable, ComuneFilterSet, ambito_comuni, "Comuni")

    def table_owner(self) -> Ambito:
        return self.ambito

    def get_queryset(self):
        comuni = scope(super().get_queryset(), self.request.user)
        self.anni = population_years(comuni)
        self.anno = self.anni.anno  # the latest year complete for the Ambito, never a partial one
        return comuni_with_population(comuni, self.anno).select_related("ambito")

    @cached_property
    def sub_ambiti(self):
        return list(self.ambito.sub_ambiti.all())

    def filter_kwargs(self):
        return {"sub_ambiti": self.sub_ambiti}

    @cached_property
    def totals(self):
        return population_totals(self.object_list)

    def get_table_kwargs(self):
        exclude = [] if self.totals.indice_vecchiaia is not None else ["indice_vecchiaia"]
        return {"exclude": exclude}

    def export_filename(self) -> str:
        return f"comuni-{self.ambito.slug}-{self.anno or 'senza-anno'}"

    def get(self, request, *args, **kwargs):
        if request.GET.get("_export"):
            return super().get(request, *args, **kwargs)  # ExportMixin: ?_export=csv|xlsx
        if request.session.get("ambito_corrente") != self.ambito.slug:
            request.session["ambito_corrente"] = self.ambito.slug
        return self.render_page()

    def dispatch(self, request, *args, **kwargs):
        """A GET is the page kept per reader (core.page_cache) when the Ambito's territory versions are those it was
        built on: read in one light query, the page rendered only when they changed (not the exports: ?_export=)."""
        if request.method not in ("GET", "HEAD") or request.GET.get("_export") or not page_cache_enabled():
            return super().dispatch(request, *args, **kwargs)
        rows = AMBITO_KEY_ROWS(kwargs["slug"])  # the Ambito's and its parent's versions: as territory_versions()
        if not rows or not sees_ids(request.user, rows[0][0]):  # (scope(Ambito): its pk among the grants)
            return super().dispatch(request, *args, **kwargs)  # 404, as without the cache
        versions = rows[0]
        if request.session.get("ambito_corrente") != kwargs["slug"]:
            request.session["ambito_corrente"] = kwargs["slug"]  # the Ambito the other pages' header names
        parts = [reader_key(request, in_ambito=True), list(versions)]
        return cached_page(request, parts, lambda: super(AmbitoDetailView, self).dispatch(request, *args, **kwargs))

    def render_page(self):
        request = self.request
        # the page's data (figures, filters, table, totals) as one fragment, cached by the Ambito's data versions,
        # the reader's scope (and whether the import button shows) and the query string
        can_import = can_on_ambito(request.user, MANAGE, self.ambito)
        parts = [territory_versions(self.ambito), scope_key(request.user), can_import, request.GET.urlencode()]
        pagina = cached_fragment("ambito", parts, self.render_fragment)
        context = {"ambito": self.ambito, "pagina": pagina, "breadcrumbs": ambito_trail(request.user, self.ambito)}
        return render(request, "planning/ambito_detail.html", context)

    def render_fragment(self) -> str:
        """The data of the page, rendered (django-filter's FilterView.get, to a string)."""
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict():
            self.object_list = self.filterset.qs
        else:
            self.object_list = self.filterset.queryset.none()
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return render_to_string(self.page.template, context, request=self.request)

    def get_table_data(self):
        return self.object_list

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            ambito=self.ambito,
            anno=self.anno,
            anni_parziali=self.anni.pending,
            totals=self.totals,
            sub_ambiti=self.sub_ambiti,
            can_import=can_on_ambito(self.request.user, MANAGE, self.ambito),
            query_string=self.request.GET.urlencode(),
            breadcrumbs=ambito_trail(self.request.user, self.ambito),
        )
        return context


class ComuneDetailView(ScopedObjectMixin, TemplateView):
    """A Comune (URL `codice_istat`): its data and its population by year."""

    template_name = "planning/comune_detail.html"
    scoped_model = Comune
    scoped_select_related = ("ambito", "ambito__parent")
    lookups = {"codice_istat": "codice_istat"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comune = self.scoped_object
        serie = popolazione_serie(comune)
        points = [(p.anno, p.totale) for p in serie.anni if p.totale is not None]
        context.update(object=comune, comune=comune, serie=serie.anni, has=serie.presenti)
        context["chart"] = (
            line_chart(
                title=_("Popolazione residente di %(nome)s") % {"nome": comune.nome},
                description=_("Andamento della popolazione residente per anno, %(da)s-%(a)s.")
                % {"da": points[0][0], "a": points[-1][0]},
                series=[(_("Popolazione residente"), points)],
                chart_id=f"chart-pop-{comune.pk}",
            )
            if len(points) >= 2
            else None
        )
        context["breadcrumbs"] = comune_trail(self.request.user, comune)
        # the plans in which the Comune owes a share (planning.bilancio): links to its shares and payments
        context["piani_quote"] = (
            PianoDiZona.objects.filter(quote_comuni__comune=comune)
            .distinct()
            .only("slug", "titolo")
            .order_by("-anno_inizio")
        )
        return context


class PopolazioneImportView(AmbitoMixin, FormView):
    """Upload of ISTAT population by age, for the Ufficio di Piano of the Ambito."""

    template_name = "planning/popolazione_import.html"
    form_class = PopolazioneImportForm
    action = MANAGE
    ambito_attr = None  # the import page does not change the current Ambito of the header

    def form_valid(self, form):
        """The file is stored and imported by a job (never in the request): its progress page follows."""
        codes = set(scope(ambito_comuni(self.ambito), self.request.user, MANAGE).values_list("pk", flat=True))
        job = request_popolazione_import(
            self.ambito,
            codes,
            form.cleaned_data["file"],
            form.cleaned_data["anno"],
            self.request.user,
            back_url=self.ambito.get_absolute_url(),
        )
        return redirect("jobs:detail", pk=job.pk)

    def get_context_data(self, **kwargs):
        trail = ambito_trail(self.request.user, self.ambito).then(_("Importa la popolazione"))
        return super().get_context_data(ambito=self.ambito, breadcrumbs=trail, **kwargs)


class AmbitoListView(TemplateView):
    """The Ambiti the user may see, with Comuni count and latest population."""

    template_name = "planning/ambito_list.html"

    def get_context_data(self, **kwargs):
        ambiti = list(scope(Ambito.objects.select_related("parent"), self.request.user))
        return super().get_context_data(
            ambiti=ambiti_summary(ambiti), breadcrumbs=section_page_trail(TERRITORIO), **kwargs
        )
