"""Chapter «Gli obiettivi della programmazione»: for each area the «prospetto» Obiettivi | Interventi | Azioni, then
every intervention card (numbered through the whole plan)."""

from __future__ import annotations

from planning.models import Intervento, PianoDiZona
from planning.piano.cards import scheda_righe
from planning.piano.selectors import interventi_schede

from ..blocks import Sottosezione, structure


def obiettivi_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    interventi = interventi if interventi is not None else interventi_schede(piano)
    gruppi = structure(piano, "obi", interventi)
    numero = 0
    for g in gruppi:
        g.prospetto = [
            {
                "obiettivo": o,
                "interventi": o.lista_interventi,
                "azioni": [a for i in o.lista_interventi for a in i.azioni.all()],
            }
            for o in g.obiettivi
            if o.lista_interventi
        ]
        for i in g.interventi:
            numero += 1
            g.schede.append({"numero": numero, "intervento": i, "righe": scheda_righe(i)})
    return {
        "gruppi": gruppi,
        "n_schede": numero,
        "sottosezioni": [Sottosezione(g.titolo, g.anchor) for g in gruppi],
    }
