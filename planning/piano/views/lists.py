"""The plan's tables of interventions, actions and resources: filters, pagination and exports of the filtered
rows (core.exports), with a bounded number of queries (planning.piano.selectors)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.table_views import TablePage, TablePageView
from planning.navigation import interventi_trail

from ..filtersets import AzioneFilterSet, InterventoFilterSet, RisorsaFilterSet
from ..selectors import (
    azioni_lista,
    interventi_lista,
    piano_usa_codici,
    risorse_lista,
    risorse_per_fondo_anno,
    risorse_totali,
)
from ..tables import AzioneTable, InterventoTable, RisorsaTable
from .mixins import PianoMixin


class InterventoListView(PianoMixin, TablePageView):
    page = TablePage(
        "planning/intervento_list.html", InterventoTable, InterventoFilterSet, interventi_lista, "Interventi",
        export="interventi", per_page=50,
    )  # fmt: skip

    def trail(self, piano):
        return interventi_trail(self.request.user, piano)

    def get_table_kwargs(self):
        # The code column only when the plan uses codes (the Magentino cards have none).
        return {"exclude": () if piano_usa_codici(self.piano) else ("codice",)}


class PianoTableView(PianoMixin, TablePageView):
    """A table of the plan's rows below the plan in the breadcrumb, titled as its exported sheet."""

    def trail(self, piano):
        return super().trail(piano).then(_(self.sheet_title))


class AzioneListView(PianoTableView):
    page = TablePage("planning/azione_list.html", AzioneTable, AzioneFilterSet, azioni_lista, "Azioni", export="azioni")


class RisorsaListView(PianoTableView):
    page = TablePage(
        "planning/risorsa_list.html", RisorsaTable, RisorsaFilterSet, risorse_lista, "Risorse", export="risorse"
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtered = self.object_list
        context["totali"] = risorse_totali(filtered)
        context["per_fondo"] = risorse_per_fondo_anno(filtered, self.piano.anni)
        return context
