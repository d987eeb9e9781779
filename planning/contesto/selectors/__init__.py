"""Read side of the context facts: spending tables, per-capita figures and printed-figure checks computed from the
stored facts, and what the context pages list. Every function reads a fixed number of queries for an Ambito (its
sub-ambiti included) and computes in Python:

- `spending_tables(ambito)` (spending): each table as rows × years with the computed totals and its checks;
- `per_capita(ambito)` (per_capita): spending of the Comuni, of the Ufficio di Piano and of both per resident, by
  year, with year-on-year variations and the printed per-capita values compared;
- `printed_checks(ambito)` (checks): every printed figure recomputed. A difference beyond rounding is a
  discrepancy: shown, never hidden or «fixed»;
- `spending_by(ambito, dimensione)` (breakdown): the latest year's spending by one dimension, for the charts;
- `school_series(ambito)` (scolastiche): the series by school year (pupils, levels, spending, per pupil) with
  their printed totals compared;
- `spese_lista`, `valori_stampati_lista`, `spending_overview`, `tabella_storia` (pages): what the pages read.

The facts are read once per Ambito instance (facts).
"""

from .breakdown import spending_by
from .checks import printed_checks, printed_checks_by_id
from .facts import Controllo, ente_totals, population_by_year, variazione
from .pages import spending_overview, spese_lista, tabella_storia, valori_stampati_lista
from .per_capita import AnnoProCapite, ProCapite, per_capita
from .scolastiche import RigaScolastica, SerieAnni, school_series
from .spending import RigaControllo, RigaSpesa, SpendingTable, spending_table, spending_tables

__all__ = [
    "AnnoProCapite",
    "Controllo",
    "ProCapite",
    "RigaControllo",
    "RigaScolastica",
    "RigaSpesa",
    "SerieAnni",
    "SpendingTable",
    "ente_totals",
    "per_capita",
    "population_by_year",
    "printed_checks",
    "printed_checks_by_id",
    "school_series",
    "spending_by",
    "spending_overview",
    "spending_table",
    "spending_tables",
    "spese_lista",
    "tabella_storia",
    "valori_stampati_lista",
    "variazione",
]
