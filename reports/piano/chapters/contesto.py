"""Chapter «Dati di contesto e quadro della conoscenza»: the population section and, when the spending facts exist,
the spending section."""

from __future__ import annotations

from planning.models import Intervento, PianoDiZona
from territory.selectors import ambito_comuni

from ..blocks import Sottosezione
from .popolazione import popolazione_context
from .spesa import spesa_context


def contesto_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    popolazione = popolazione_context(piano, ambito_comuni(piano.ambito))
    spesa = spesa_context(piano)
    sottosezioni = [Sottosezione("Il quadro sociodemografico", "sez-popolazione")]
    if spesa:
        sottosezioni.append(Sottosezione("Analisi della spesa sociale", "sez-spesa"))
    return {"popolazione": popolazione, "spesa": spesa, "sottosezioni": sottosezioni}
