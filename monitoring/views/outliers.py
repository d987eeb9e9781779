"""The page «Anomalie rispetto allo storico» of an Ambito: every value of the schede of a template outside the bounds
of its Comune's history (monitoring.outliers), with filters (template, Comune, quadro, justified or not)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from accounts.scoping import AmbitoMixin
from monitoring.navigation import schede_ambito_trail

from ..forms import OutlierFilterForm
from ..models import ModelloScheda
from ..outlier_checks import ambito_outliers, filter_outliers
from ..outliers import MIN_YEARS, K
from ..selectors import overview_comuni
from ..tables import OutlierTable


def default_modello(modelli: list[ModelloScheda]) -> ModelloScheda | None:
    """The template shown first: the active one of the latest reference year (by code), else the latest."""
    active = [m for m in modelli if m.attivo]
    return (active or modelli or [None])[0]


class OutliersView(AmbitoMixin, TemplateView):
    """Ufficio di Piano, Dirigente and Amministratore of the Ambito (others: 404): the outliers of a campaign."""

    template_name = "monitoring/anomalie.html"

    def get_context_data(self, **kwargs):
        request, ambito = self.request, self.ambito
        modelli = list(ModelloScheda.objects.defer("definizione").order_by("-anno_riferimento", "codice"))
        by_code = {m.codice: m for m in modelli}
        modello = by_code.get(request.GET.get("modello", "")) or default_modello(modelli)
        comuni = overview_comuni(ambito, request.user)
        choices = list(comuni.values_list("codice_istat", "nome"))
        quadri = modello.compiled().definition.quadri if modello else ()
        initial = {"modello": modello.codice} if modello else {}
        form = OutlierFilterForm(request.GET or None, initial=initial, modelli=modelli, comuni=choices, quadri=quadri)
        rows, shown = [], []
        if modello is not None:
            rows = ambito_outliers(modello, comuni)
            filters = {}
            if form.is_bound and form.is_valid():
                data = form.cleaned_data
                filters = {"comune": data["comune"], "quadro": data["quadro"], "giustificati": data["giustificati"]}
            shown = filter_outliers(rows, **filters)
        table = OutlierTable(shown)
        RequestConfig(request, paginate={"per_page": 100}).configure(table)
        return super().get_context_data(
            ambito=ambito,
            modello=modello,
            form=form,
            table=table,
            total=len(rows),
            da_giustificare=sum(1 for r in rows if not r.justified),
            shown=len(shown),
            k=K,
            min_years=MIN_YEARS,
            breadcrumbs=schede_ambito_trail(request.user, ambito).then(_("Anomalie rispetto allo storico")),
            **kwargs,
        )
