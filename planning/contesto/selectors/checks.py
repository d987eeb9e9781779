"""Every figure printed in the documents of an Ambito (population totals, spending totals, per-capita values,
variations) recomputed from the facts. A difference beyond rounding is a discrepancy: shown, never hidden or
«fixed»."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from territory.models import Ambito, Popolazione

from ...models import Dimensione, Ente, Grandezza, SpesaSociale, ValoreStampato
from .facts import (
    ZERO,
    Controllo,
    divide,
    ente_totals,
    half_unit,
    population_by_year,
    printed_all,
    printed_check,
    tables_and_facts,
    variazione,
)
from .scolastiche import scolastiche_totals

SOMMA_COMUNI = "Somma dei Comuni (i dati dei Comuni sono conservati come stampati)."
COMUNE_NON_RICALCOLABILE = "Non ricalcolabile: la spesa del singolo Comune non è tra i fatti registrati."


@dataclass
class _Figures:
    """What the printed figures of one Ambito are recomputed from."""

    ambito: Ambito
    totals: dict
    table_sums: dict
    fact_values: dict
    comune_spending: dict
    comune_population: dict
    pops: dict[int, dict[int, dict]] = field(default_factory=dict)

    def population(self, p: ValoreStampato, own: bool) -> dict[int, dict]:
        """The population by year of the printed figure's Ambito (the page's own instance when `own`)."""
        if p.ambito_id not in self.pops:
            self.pops[p.ambito_id] = population_by_year(self.ambito if own else p.ambito)
        return self.pops[p.ambito_id]


def _figures(ambito: Ambito) -> _Figures:
    ids, tabelle, facts = tables_and_facts(ambito)
    table_sums: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for f in facts:
        table_sums[(f.tabella_id, f.anno)] += f.valore or ZERO
    comune_spending = {
        (c, a): v or ZERO
        for c, a, v in SpesaSociale.objects.filter(
            tabella__ambito_id__in=ids, tabella__dimensione=Dimensione.ENTE, voce__codice=Ente.COMUNI,
            comune__isnull=False,
        ).values_list("comune_id", "anno", "valore")
    }  # fmt: skip
    comune_population = (
        {
            (c, a): t
            for c, a, t in Popolazione.objects.filter(comune_id__in={c for c, _a in comune_spending}).values_list(
                "comune_id", "anno", "totale"
            )
        }
        if comune_spending
        else {}
    )
    return _Figures(
        ambito=ambito,
        totals=ente_totals(facts, tabelle),
        table_sums=table_sums,
        fact_values={(f.tabella_id, f.voce_id, f.anno): f.valore for f in facts},
        comune_spending=comune_spending,
        comune_population=comune_population,
    )


def _popolazione(p: ValoreStampato, fig: _Figures) -> tuple[Decimal | None, Decimal, str]:
    value = fig.population(p, own=p.ambito_id == fig.ambito.pk).get(p.anno, {}).get(p.campo_popolazione)
    return (Decimal(value) if value is not None else None), half_unit(p.decimali), SOMMA_COMUNI


def _spesa(p: ValoreStampato, fig: _Figures) -> tuple[Decimal | None, Decimal, str]:
    if p.tabella_id:
        return fig.table_sums.get((p.tabella_id, p.anno)), max(half_unit(p.decimali), p.tabella.tolleranza), ""
    return fig.totals.get((p.ambito_id, p.ente, p.anno)), half_unit(p.decimali), ""


def _pro_capite(p: ValoreStampato, fig: _Figures) -> tuple[Decimal | None, Decimal, str]:
    tol = half_unit(p.decimali)
    if p.comune_id:
        spesa = fig.comune_spending.get((p.comune_id, p.anno))
        if spesa is None:
            return None, tol, COMUNE_NON_RICALCOLABILE
        return divide(spesa, fig.comune_population.get((p.comune_id, p.anno))), tol, ""
    residenti = fig.population(p, own=False).get(p.anno, {}).get("totale")
    return divide(fig.totals.get((p.ambito_id, p.ente, p.anno)), residenti), tol, ""


def _variazione(p: ValoreStampato, fig: _Figures) -> tuple[Decimal | None, Decimal, str]:
    if p.voce_id and p.tabella_id:
        a = fig.fact_values.get((p.tabella_id, p.voce_id, p.anno_base))
        b = fig.fact_values.get((p.tabella_id, p.voce_id, p.anno))
    else:
        a = fig.totals.get((p.ambito_id, p.ente, p.anno_base))
        b = fig.totals.get((p.ambito_id, p.ente, p.anno))
    return variazione(a, b), half_unit(p.decimali), ""


def _scolastica(p: ValoreStampato, fig: _Figures) -> tuple[Decimal | None, Decimal, str]:
    if p.serie_id is None:
        return None, half_unit(p.decimali), ""
    value = scolastiche_totals(fig.ambito).get((p.serie_id, p.anno, p.misura_scolastica))
    return value, half_unit(p.decimali), "Somma degli ordini di scuola (o dato dell'anno) registrati."


_RECOMPUTE = {
    Grandezza.POPOLAZIONE: _popolazione,
    Grandezza.SPESA: _spesa,
    Grandezza.QUOTE: _spesa,
    Grandezza.PRO_CAPITE: _pro_capite,
    Grandezza.VARIAZIONE: _variazione,
    Grandezza.SCOLASTICA: _scolastica,
}


def _check(p: ValoreStampato, fig: _Figures) -> Controllo:
    recompute = _RECOMPUTE.get(p.grandezza)
    calc, tol, spiegazione = recompute(p, fig) if recompute else (None, half_unit(p.decimali), "")
    return printed_check(p, calc, tol, spiegazione)


def printed_checks(ambito: Ambito) -> list[Controllo]:
    """Every figure printed in the documents of the Ambito (and sub-ambiti) compared with the computed value."""
    fig = _figures(ambito)
    return [_check(p, fig) for p in printed_all(ambito)]


def printed_checks_by_id(ambito: Ambito) -> dict[int, Controllo]:
    """The checks of `printed_checks` by the id of their printed figure."""
    return {c.oggetto.pk: c for c in printed_checks(ambito) if c.oggetto is not None}
