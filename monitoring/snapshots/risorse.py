"""«Risorse» of a quarterly snapshot: for each intervention of the plan with budget lines, what is planned (the
plan's years up to the snapshot's year), committed and paid up to the quarter's last day (movements dated on or
before it), with totals; exported as CSV or XLSX (`?_export=csv|xlsx`). Read from the plan's budget read API
(planning.bilancio.selectors.risorse_alla_data): a fixed number of queries whatever the number of lines.

Who reads the snapshot reads this (Ufficio di Piano, Dirigente); others get 404.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.breadcrumbs import Trail
from core.exports import EXPORT_FORMATS, csv_response, xlsx_response
from planning.bilancio.selectors import RisorseAllaData, risorse_alla_data

from .models import Rilevazione

HEADERS = ("Area", "Intervento", "Programmato (€)", "Impegnato (€)", "Liquidato (€)", "Da impegnare (€)")


def risorse_rilevazione(rilevazione: Rilevazione) -> RisorseAllaData:
    """The plan's money at the quarter's last day of the snapshot."""
    return risorse_alla_data(rilevazione.piano, rilevazione.fine_trimestre)


def export_rows(risorse: RisorseAllaData):
    """The rows of the export: header, one row per intervention (real numbers), the total."""
    yield HEADERS
    for r in risorse.righe:
        yield (r.area, r.intervento.titolo, r.programmato, r.impegnato, r.liquidato, r.da_impegnare)
    yield ("Totale", "", risorse.programmato, risorse.impegnato, risorse.liquidato, risorse.da_impegnare)


class RilevazioneRisorseMixin:
    """The page of a snapshot's money (goes before monitoring.snapshots.views.RilevazioneBase)."""

    template_name = "monitoring/rilevazione_risorse.html"
    rilevazione: Rilevazione
    request: object

    def trail(self) -> Trail:
        return super().trail().then(_("Risorse"))  # type: ignore[misc]

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("_export")
        if fmt in EXPORT_FORMATS:
            rows = export_rows(risorse_rilevazione(self.rilevazione))
            name = f"rilevazione-{self.rilevazione.codice}-risorse"
            if fmt == "csv":
                return csv_response(rows, name)
            return xlsx_response(rows, name, f"Risorse {self.rilevazione.codice}")
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(tab="risorse", risorse=risorse_rilevazione(self.rilevazione))
        return context
