"""Chapter «Strumenti e processi di governance»: the governance bodies by level, with composition and functions."""

from __future__ import annotations

from planning.models import Intervento, PianoDiZona
from planning.piano.selectors import governance_per_livello


def governance_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    return {"livelli": governance_per_livello(piano)}
