"""Chapter «Analisi dei soggetti e delle reti»: the projects of the network by area, and the PNRR lines with their
amounts (totals computed from the items, printed totals compared)."""

from __future__ import annotations

from planning.models import Intervento, PianoDiZona
from planning.piano.selectors import pnrr_totals, progetti_rete

from ..blocks import Sottosezione, by_area


def reti_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    progetti = progetti_rete(piano)
    pnrr = pnrr_totals(piano)
    sottosezioni = []
    if progetti:
        sottosezioni.append(Sottosezione("I progetti della rete", "sez-progetti"))
    if pnrr.linee:
        sottosezioni.append(Sottosezione("Le linee PNRR Missione 5 Componente 2", "sez-pnrr"))
    return {
        "progetti": by_area(progetti, "Altri progetti"),
        "n_progetti": len(progetti),
        "linee": pnrr.linee,
        "totale_pnrr": pnrr.totale,
        "sottosezioni": sottosezioni,
    }
