"""The regional page (role Regione, and the Amministratore): every Ambito of the Regione with its campaign of one
template and year, completeness and timeliness, the state of the set and the link to approve it; exports of that
table and of a campaign's Comuni with their sending dates."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.scoping import reads_regioni
from accounts.sections import REGIONE, section_trail
from core.exports import EXPORT_FORMATS, csv_response, xlsx_response

from ..comparison import comparison_charts
from ..views.comparison import export_rows as comparison_export_rows
from . import regione as selectors
from .regione_comparison import regione_comparison, with_definition
from .views import CampagnaMixin


def export_response(rows, fmt: str, filename: str, sheet_title: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404(_("Formato di esportazione non disponibile."))
    if fmt == "csv":
        return csv_response(rows, filename)
    return xlsx_response(rows, filename, sheet_title)


class RegioneChoiceMixin:
    """What the page shows, as chosen: the Regioni the user follows (404 for anybody else), the one of ?regione=,
    the templates to choose from and the one of ?modello= (by default the latest year's)."""

    def regione_choice(self, request) -> dict:
        """The choices, for the page's context: `regioni`, `regione`, `modelli` and `modello`."""
        if not reads_regioni(request.user):
            raise Http404(_("Pagina riservata alla Regione."))
        regioni = selectors.user_regioni(request.user)
        regione = selectors.chosen_regione(regioni, request.GET.get("regione"))
        modelli = selectors.modelli_options()
        modello = selectors.chosen_modello(regione, modelli, request.GET.get("modello"))
        return {"regioni": regioni, "regione": regione, "modelli": modelli, "modello": modello}


class RegioneView(RegioneChoiceMixin, TemplateView):
    """The user's Regione (?regione=<codice> among those it follows; the Amministratore among all) and a template
    (?modello=<codice>, by default the latest year's); ?_export=csv|xlsx downloads the table."""

    template_name = "monitoring/campaigns/regione.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        choice = self.regione_choice(request)
        regione, modello = choice["regione"], choice["modello"]
        oggi = timezone.localdate()
        rows = selectors.regione_rows(regione, modello, user, oggi)
        totale = selectors.total([r.completezza for r in rows if r.completezza is not None])
        fmt = request.GET.get("_export")
        if fmt:
            code = modello.codice if modello else "nessun-modello"
            return export_response(
                selectors.regione_export_rows(rows, totale),
                fmt,
                filename=f"completezza-{slugify(regione.nome)}-{code}",
                sheet_title=_("Completezza"),
            )
        query = request.GET.copy()
        query.pop("_export", None)
        context = self.get_context_data(
            **choice,
            rows=rows,
            totale=totale,
            da_approvare=sum(r.da_approvare for r in rows),
            aperte=sum(r.campagna is not None for r in rows),
            query_string=query.urlencode(),
            breadcrumbs=section_trail(user, REGIONE).then(regione.nome),
        )
        return self.render_to_response(context)


class RegioneComparisonView(RegioneChoiceMixin, TemplateView):
    """«Confronto degli indicatori» across the Ambiti of a Regione: the Regione and the template chosen as on the
    regional page (?regione=, ?modello=), a section per indicator (chart and table, totals of the Regione as ratios
    of sums); ?_export=csv|xlsx downloads the table. Regione users of that Regione and the Amministratore."""

    template_name = "monitoring/campaigns/regione_confronto.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        choice = self.regione_choice(request)
        regione = choice["regione"]
        modello = choice["modello"] = with_definition(choice["modello"])
        if modello is None:
            raise Http404(_("Nessun modello di scheda registrato."))
        comparison = regione_comparison(regione, modello, user)
        fmt = request.GET.get("_export")
        if fmt:
            return export_response(
                comparison_export_rows(comparison),
                fmt,
                filename=f"confronto-{slugify(regione.nome)}-{modello.codice}",
                sheet_title=f"Confronto {modello.codice}",
            )
        charts = comparison_charts(comparison, f"confronto-regione-{regione.codice}")
        context = self.get_context_data(
            **choice,
            comparison=comparison,
            sections=list(zip(comparison.indicators, charts, strict=True)),
            query_string=f"regione={regione.codice}&modello={modello.codice}",
            breadcrumbs=section_trail(user, REGIONE)
            .then(regione.nome, f"{reverse('monitoring:regione')}?regione={regione.codice}&modello={modello.codice}")
            .then(_("Confronto degli indicatori")),
        )
        return self.render_to_response(context)


class CampagnaComuniExportView(CampagnaMixin, TemplateView):
    """A campaign's expected Comuni with their sending and validation dates and the late flags: ?_export=csv|xlsx."""

    def get(self, request, *args, **kwargs):
        campagna = self.campagna
        return export_response(
            selectors.comuni_export_rows(campagna),
            request.GET.get("_export", ""),
            filename=f"comuni-{campagna.ambito.slug}-{campagna.modello.codice}",
            sheet_title=_("Comuni"),
        )
