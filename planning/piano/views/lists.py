"""The plan's tables of interventions, actions and resources: filters, pagination and exports of the filtered
rows (core.exports), with a bounded number of queries (planning.piano.selectors)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.exports import ExportMixin
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


class InterventoListView(PianoMixin, ExportMixin, SingleTableMixin, FilterView):
    template_name = "planning/intervento_list.html"
    table_class = InterventoTable
    filterset_class = InterventoFilterSet
    table_pagination = {"per_page": 50}
    export_name = "interventi"
    sheet_title = "Interventi"

    def trail(self, piano):
        return interventi_trail(self.request.user, piano)

    def get_queryset(self):
        return interventi_lista(self.piano)

    def get_table_kwargs(self):
        # The code column only when the plan uses codes (the Magentino cards have none).
        return {"exclude": () if piano_usa_codici(self.piano) else ("codice",)}


class AzioneListView(PianoMixin, ExportMixin, SingleTableMixin, FilterView):
    template_name = "planning/azione_list.html"
    table_class = AzioneTable
    filterset_class = AzioneFilterSet
    table_pagination = {"per_page": 100}
    export_name = "azioni"
    sheet_title = "Azioni"

    def trail(self, piano):
        return super().trail(piano).then(_("Azioni"))

    def get_queryset(self):
        return azioni_lista(self.piano)


class RisorsaListView(PianoMixin, ExportMixin, SingleTableMixin, FilterView):
    template_name = "planning/risorsa_list.html"
    table_class = RisorsaTable
    filterset_class = RisorsaFilterSet
    table_pagination = {"per_page": 100}
    export_name = "risorse"
    sheet_title = "Risorse"

    def trail(self, piano):
        return super().trail(piano).then(_("Risorse"))

    def get_queryset(self):
        return risorse_lista(self.piano)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtered = self.object_list
        context["totali"] = risorse_totali(filtered)
        context["per_fondo"] = risorse_per_fondo_anno(filtered, self.piano.anni)
        return context
