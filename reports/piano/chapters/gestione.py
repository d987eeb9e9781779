"""Chapter «I servizi in gestione associata»: the services managed jointly, grouped by area."""

from __future__ import annotations

from planning.models import Intervento, PianoDiZona
from planning.piano.selectors import servizi_associati


def gestione_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    servizi = servizi_associati(piano)
    per_area: dict = {}
    for s in servizi:
        titolo = f"Area «{s.area.titolo}»" if s.area_id else "Azioni di sistema"
        per_area.setdefault(titolo, []).append(s)
    return {"gruppi": list(per_area.items()), "n_servizi": len(servizi)}
