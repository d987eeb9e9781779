"""Report-facing read API of the evaluation and of the context facts (used by the pages, the dashboard charts and
the Piano di Zona PDF/XLSX). Every function reads a fixed number of queries and returns plain dataclasses.

- `evaluation_cards(piano)`: the evaluation cards of the previous programming written in `piano` (list of
  `SchedaEsito`: `titolo`, `area`, `conteggi`, `grado` (plan's rule), `grado_con_parziali`,
  `grado_senza_parziali`, `regola`, `stampato` and `stampato_spiegazione`, `dimensioni`, `azioni`
  [(azione, stato)], `righe` [(etichetta, valore)] as plain text, `riprese` (carry-forward links));
- `evaluation_summary(piano)`: the evaluation (period, rule) and the totals of all its cards, or None;
- `spending_tables(ambito)`: the spending tables of the Ambito and of its sub-ambiti (`SpendingTable`: `codice`,
  `titolo`, `anni`, `righe` (voce, valori, variazione), `totali`, `controlli` (printed and reference totals, one
  `Controllo` per year with `atteso`, `calcolato`, `differenza`, `difforme`), `discrepanze`);
- `per_capita(ambito)`: spending and spending per resident by year, Comuni only and with the Ufficio di Piano,
  with the printed values compared (`ProCapite`);
- `printed_checks(ambito)`: every printed figure of the documents recomputed from the facts (`Controllo`).
"""

from __future__ import annotations

from .contesto.selectors import (
    AnnoProCapite,
    Controllo,
    ProCapite,
    RigaControllo,
    RigaSpesa,
    SpendingTable,
    per_capita,
    printed_checks,
    spending_tables,
)
from .models import PianoDiZona
from .valutazione.selectors import SchedaEsito, schede_esiti, sintesi, valutazione_del_piano


def evaluation_cards(piano: PianoDiZona) -> list[SchedaEsito]:
    """The evaluation cards written in `piano` (about the previous plan), in order; [] when there is none."""
    valutazione = valutazione_del_piano(piano)
    return schede_esiti(valutazione) if valutazione else []


def evaluation_summary(piano: PianoDiZona) -> dict | None:
    """{"valutazione", "regola", "schede", "conteggi", "con_parziali", "senza_parziali", "stampati_difformi"}."""
    valutazione = valutazione_del_piano(piano)
    if valutazione is None:
        return None
    esiti = schede_esiti(valutazione)
    return {
        "valutazione": valutazione,
        "regola": valutazione.get_regola_parziali_display(),
        **sintesi(esiti),
    }


__all__ = [
    "AnnoProCapite",
    "Controllo",
    "ProCapite",
    "RigaControllo",
    "RigaSpesa",
    "SchedaEsito",
    "SpendingTable",
    "evaluation_cards",
    "evaluation_summary",
    "per_capita",
    "printed_checks",
    "spending_tables",
]
