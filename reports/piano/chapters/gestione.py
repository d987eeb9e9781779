"""Chapter «I servizi in gestione associata»: the services managed jointly, grouped by area."""

from __future__ import annotations

from planning.models import Intervento, PianoDiZona
from planning.piano.selectors import servizi_associati

from ..blocks import by_area


def gestione_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    servizi = servizi_associati(piano)
    return {"gruppi": by_area(servizi, "Azioni di sistema"), "n_servizi": len(servizi)}
