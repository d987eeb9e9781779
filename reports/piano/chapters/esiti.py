"""Chapter «Gli esiti della programmazione precedente»: the evaluation cards of the previous plan (dimensions 1,
3-8) from planning.valutazione, a summary table (actions by state, degree of achievement under the plan's rule,
carried forward) and every card. Empty without them."""

from __future__ import annotations

from planning.models import Intervento, PianoDiZona
from planning.valutazione.rules import percentuale_compatta
from planning.valutazione.selectors import SchedaEsito, schede_esiti, sintesi, valutazione_del_piano

from ..blocks import Riga, Sottosezione, Tabella, num

HEADERS = [
    "Obiettivo",
    "Area",
    "Azioni programmate",
    "Realizzate",
    "Parzialmente realizzate",
    "Non realizzate, sospese o in corso",
    "Grado di raggiungimento",
    "Riproposto",
]


def _riga(e: SchedaEsito) -> Riga:
    c = e.conteggi
    return Riga(
        e.titolo,
        [
            e.area_completa or "—",
            num(c.totale),
            num(c.realizzate),
            num(c.parziali),
            num(c.non_concluse),
            percentuale_compatta(e.grado),
            "Sì" if e.riproposto else "No",
        ],
    )


def _tabella(valutazione, esiti: list[SchedaEsito], totali: dict) -> Tabella:
    c = totali["conteggi"]
    regola = valutazione.parziali_come_realizzate
    totale = Riga(
        "Totale",
        [
            f"{totali['schede']} schede",
            num(c.totale),
            num(c.realizzate),
            num(c.parziali),
            num(c.non_concluse),
            percentuale_compatta(totali["con_parziali"] if regola else totali["senza_parziali"]),
            "",
        ],
        True,
    )
    return Tabella(
        titolo=f"Sintesi degli esiti della programmazione {valutazione.periodo_valutato}",
        intestazioni=HEADERS,
        righe=[*(_riga(e) for e in esiti), totale],
        nota=(
            f"Grado di raggiungimento (dimensione 1) = azioni realizzate / azioni programmate × 100, calcolato "
            f"dagli stati delle azioni: {esiti[0].regola}. Con l'altra regola il totale sarebbe "
            f"{percentuale_compatta(totali['senza_parziali'] if regola else totali['con_parziali'])}. "
            "Il totale è calcolato sulle somme delle azioni, non come media delle percentuali."
        ),
        anchor="esiti-sintesi",
        classe="esiti",
        numerata=False,  # as in seed 001, the numbered tables start with the context data (Tab. 1 population)
        classi=["testo", "num", "num", "num", "num", "num", "testo"],
    )


def esiti_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    valutazione = valutazione_del_piano(piano)
    esiti = schede_esiti(valutazione) if valutazione else []
    if not esiti:
        return {}
    totali = sintesi(esiti)
    return {
        "valutazione": valutazione,
        "sintesi": _tabella(valutazione, esiti, totali),
        "schede": esiti,
        "difformi": totali["stampati_difformi"],
        "sottosezioni": [
            Sottosezione(f"Sintesi degli esiti {valutazione.periodo_valutato}", "sez-esiti-sintesi"),
            Sottosezione("Le schede di valutazione degli obiettivi", "sez-esiti-schede"),
        ],
    }
