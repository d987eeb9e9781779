"""The population section of the context chapter: tables of the resident population by Comune with their
variations (total, foreign, incidence of the foreign population, over 65, 0-17: seed 001 Tab. 1-5), the charts and
the summary sentence, from the population facts of the Ambito's Comuni."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from core.charts import line_chart
from core.formatting import it_number, it_percent
from planning.contesto.report import population_facts, population_printed_differences
from planning.models import PianoDiZona
from territory.models import Comune, Popolazione
from territory.selectors import PopulationYear, PopulationYears, population_years

from ... import ambito_charts
from ..blocks import Figura, Riga, Tabella, num, number_blocks, pct, perc, variation

FONTE = "Elaborazioni su dati ISTAT della popolazione residente per Comune (demo.istat.it)."


def _sum(values: list) -> int | None:
    """The total of the Comuni, only when every Comune has the figure (a partial sum is not a total)."""
    return None if not values or any(v is None for v in values) else sum(values)


@dataclass
class Popolazioni:
    """Population facts of the Ambito's Comuni for the years of the tables: the last 10 with a total up to the
    latest year complete for the Ambito. `parziali` are the partial years among them (marked with * and explained),
    `esclusi` the partial years after it (left out of the tables, and said so)."""

    comuni: list[Comune]
    anni: list[int]
    facts: dict[tuple[str, int], Popolazione]
    parziali: list[PopulationYear] = field(default_factory=list)
    esclusi: list[PopulationYear] = field(default_factory=list)

    @property
    def note(self) -> dict[int, str]:
        """Year → label of the partial years in the tables (for the charts)."""
        return {y.anno: y.nota for y in self.parziali}

    def value(self, comune: Comune, anno: int, attr: str):
        fact = self.facts.get((comune.pk, anno))
        return getattr(fact, attr) if fact else None

    def series(self, comune: Comune, attr: str) -> list:
        return [self.value(comune, a, attr) for a in self.anni]

    def totals(self, attr: str) -> list:
        return [_sum([self.value(c, a, attr) for c in self.comuni]) for a in self.anni]

    def has(self, attr: str) -> bool:
        return any(getattr(p, attr) is not None for p in self.facts.values() if p.anno in self.anni)


def popolazioni(comuni: list[Comune], anni_pop: PopulationYears, max_years: int = 10) -> Popolazioni:
    """The facts of `comuni`; the years stop at the latest complete one of `anni_pop` (all when none is)."""
    facts = population_facts(comuni)
    fino_al = anni_pop.anno
    anni = sorted(
        {anno for (_, anno), p in facts.items() if p.totale is not None and (fino_al is None or anno <= fino_al)}
    )[-max_years:]
    parziali = [y for y in anni_pop.partial if y.anno in anni]
    esclusi = [y for y in anni_pop.partial if fino_al is not None and y.anno > fino_al]
    return Popolazioni(comuni, anni, facts, parziali, esclusi)


def _year_label(pop: Popolazioni, anno: int) -> str:
    return f"{anno}*" if anno in pop.note else str(anno)


def _partial_note(pop: Popolazioni, esclusi: bool) -> str:
    """The sentences that say which years are partial: marked with * in the table, or (`esclusi`) left out."""
    parts = []
    if pop.parziali:
        anni = "; ".join(f"{y.anno}, {y.copertura}" for y in pop.parziali)
        parts.append(f"* Anni con dati parziali (totale «—»): {anni}.")
    for y in pop.esclusi if esclusi else []:
        parts.append(
            f"Il {y.anno} non è riportato: la popolazione è disponibile solo per {y.copertura} e la somma di una parte "
            f"dei Comuni non è il totale dell'Ambito."
        )
    return " ".join(parts)


def _series_table(titolo: str, pop: Popolazioni, attr: str) -> Tabella:
    a0, a1 = pop.anni[0], pop.anni[-1]
    righe = []
    for comune in pop.comuni:
        values = pop.series(comune, attr)
        righe.append(Riga(comune.nome, [num(v) for v in values] + [perc(variation(values[0], values[-1]))]))
    totals = pop.totals(attr)
    righe.append(Riga("Totale Ambito", [num(v) for v in totals] + [perc(variation(totals[0], totals[-1]))], True))
    missing = any(v is None for v in totals)
    nota = (
        "I totali sono calcolati come somma dei Comuni; «—» dove il dato di almeno un Comune manca."
        if missing
        else "I totali sono calcolati come somma dei dati dei Comuni."
    )
    return Tabella(
        titolo=titolo,
        intestazioni=["Comune", *[_year_label(pop, a) for a in pop.anni], f"Variazione {a0}-{a1}"],
        righe=righe,
        fonte=FONTE,
        nota=f"{nota} {_partial_note(pop, esclusi=attr == 'totale')}".strip(),
        classe="anni",
        campo=attr,
    )


def _printed_differences(piano: PianoDiZona) -> dict[str, str]:
    """Population totals printed in a source document that differ from the sum of the Comuni, by field."""
    out: dict[str, list[str]] = {}
    for c in population_printed_differences(piano.ambito):
        p = c.oggetto
        fonte = f"{p.documento}, {c.riferimento}" if p.documento else c.riferimento
        out.setdefault(p.campo_popolazione, []).append(
            f"Il documento di origine ({fonte}) riporta per il {c.anno} un totale di {it_number(c.atteso)}: "
            f"la somma dei dati dei Comuni, conservati come pubblicati, è {num(c.calcolato)}."
        )
    return {campo: " ".join(texts) for campo, texts in out.items()}


def _incidence_table(pop: Popolazioni) -> Tabella:
    a0, a1 = pop.anni[0], pop.anni[-1]

    def row(label, s0, t0, s1, t1, totale=False):
        p0, p1 = pct(s0, t0), pct(s1, t1)
        delta = None if p0 is None or p1 is None else p1 - p0
        return Riga(label, [num(p0, 1), num(p1, 1), num(delta, 1)], totale)

    righe = [
        row(
            c.nome,
            pop.value(c, a0, "stranieri"),
            pop.value(c, a0, "totale"),
            pop.value(c, a1, "stranieri"),
            pop.value(c, a1, "totale"),
        )
        for c in pop.comuni
    ]
    s, t = pop.totals("stranieri"), pop.totals("totale")
    righe.append(row("Ambito", s[0], t[0], s[-1], t[-1], totale=True))
    return Tabella(
        titolo=(
            f"Incidenza della popolazione residente di origine straniera nell'Ambito – Variazione per Comune "
            f"anni {a0}-{a1}"
        ),
        intestazioni=[
            "Comune",
            f"% stranieri sul totale dei residenti – {a0}",
            f"% stranieri sul totale dei residenti – {a1}",
            f"Variazione dell'incidenza {a0}-{a1} (punti %)",
        ],
        righe=righe,
        fonte=FONTE,
        nota="L'incidenza dell'Ambito è il rapporto tra le somme dei Comuni (non la media delle percentuali).",
        classe="incidenza",
    )


def _blocks(piano: PianoDiZona, comuni_qs: QuerySet, pop: Popolazioni) -> list[tuple[str, Tabella | Figura]]:
    """Tables and charts in the order they are printed (charts without data left out)."""
    a0, a1 = pop.anni[0], pop.anni[-1]
    nome = piano.ambito.nome
    periodo = f"Dettaglio per Comune anni {a0}-{a1}"
    totals = pop.totals("totale")
    trend = line_chart(
        title=f"Popolazione residente nell'Ambito {a0}-{a1}",
        description=f"Totale dei residenti dei {len(pop.comuni)} Comuni dell'Ambito, anno per anno.",
        series=[("Totale Ambito", [(a, t) for a, t in zip(pop.anni, totals, strict=True) if t is not None])],
        chart_id=f"pdz-pop-{piano.pk}",
        height=280,
    )
    blocchi: list[tuple[str, Tabella | Figura]] = [
        ("figura", Figura(trend, FONTE)),
        ("tabella", _series_table(f"Popolazione residente nell'{nome} – {periodo}", pop, "totale")),
        ("figura", Figura(ambito_charts.population_trend(comuni_qs, f"pdz{piano.pk}", pop.note, pop.anni), FONTE)),
    ]
    if pop.has("stranieri"):
        titolo = f"Popolazione residente di origine straniera nell'{nome} – {periodo}"
        blocchi.append(("tabella", _series_table(titolo, pop, "stranieri")))
        blocchi.append(("tabella", _incidence_table(pop)))
    blocchi.append(("figura", Figura(ambito_charts.age_structure(comuni_qs, f"pdz{piano.pk}", a1), FONTE)))
    if pop.has("eta_65_oltre"):
        titolo = f"Popolazione residente over 65 nell'{nome} – {periodo}"
        blocchi.append(("tabella", _series_table(titolo, pop, "eta_65_oltre")))
    if pop.has("eta_0_17"):
        titolo = f"Popolazione residente 0-17 anni nell'{nome} – {periodo}"
        blocchi.append(("tabella", _series_table(titolo, pop, "eta_0_17")))
    return [(k, b) for k, b in blocchi if k == "tabella" or b.chart.rows]


def popolazione_context(piano: PianoDiZona, comuni_qs: QuerySet) -> dict:
    """{"blocchi": tables and charts, "sintesi": str, "anni": the years of the tables}; empty without population."""
    pop = popolazioni(list(comuni_qs.order_by("nome")), population_years(comuni_qs))
    if not pop.anni:
        return {}
    blocchi = _blocks(piano, comuni_qs, pop)
    number_blocks(blocchi, "pop")
    printed = _printed_differences(piano)
    for kind, item in blocchi:
        if kind == "tabella" and item.campo in printed:
            item.nota = f"{item.nota} {printed[item.campo]}"
    return {"blocchi": blocchi, "sintesi": _sintesi(piano.ambito.nome, pop), "anni": pop.anni}


def _sintesi_comuni(pop: Popolazioni) -> list[str]:
    """The range of the Comuni's variations, and the shares of the foreign, over 65 and under 18 residents."""
    a0, a1 = pop.anni[0], pop.anni[-1]
    parts = []
    variations = [
        (c.nome, variation(*[pop.value(c, a, "totale") for a in (a0, a1)]))
        for c in pop.comuni
        if pop.value(c, a0, "totale") and pop.value(c, a1, "totale") is not None
    ]
    if len(variations) > 1:
        low = min(variations, key=lambda x: x[1])
        high = max(variations, key=lambda x: x[1])
        parts.append(
            f"Tra i Comuni la variazione va dal {it_percent(low[1], 1)} di {low[0]} "
            f"al {it_percent(high[1], 1)} di {high[0]}."
        )
    totale = pop.totals("totale")[-1]
    for attr, label in (
        ("stranieri", "i residenti di origine straniera"),
        ("eta_65_oltre", "le persone di 65 anni e oltre"),
        ("eta_0_17", "i minori di 18 anni"),
    ):
        value = pop.totals(attr)[-1]
        if value is not None:
            parts.append(f"Nel {a1} {label} sono {it_number(value)} ({it_percent(pct(value, totale), 1)}).")
    return parts


def _sintesi(nome: str, pop: Popolazioni) -> str:
    a0, a1 = pop.anni[0], pop.anni[-1]
    tot = pop.totals("totale")
    parts = []
    if tot[-1] is not None:
        text = f"La popolazione residente nell'{nome} nel {a1} è pari a {it_number(tot[-1])} abitanti"
        var = variation(tot[0], tot[-1])
        if var is not None:
            text += f", con una variazione del {it_percent(var, 1)} rispetto al {a0}"
        parts.append(text + ".")
        parts += _sintesi_comuni(pop)
    for y in pop.esclusi:
        parts.append(
            f"Per il {y.anno} la popolazione è disponibile solo per {y.copertura}: le tabelle e i grafici si "
            f"fermano quindi al {a1}, ultimo anno con i dati di tutti i Comuni dell'Ambito."
        )
    return " ".join(parts)
