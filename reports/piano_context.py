"""The Piano di Zona as a document: one context builder per chapter, all read from the stored data of one plan.

`piano_document(piano)` gives everything the PDF template needs: the cover, the chapters in the order of the
plan's Sommario (seed 001) with their Markdown text and, for each kind of chapter, the structured section built
by its own function (`contesto_context`, `reti_context`, `obiettivi_context`, …). The sections read from the
evaluation, spending and quarterly monitoring data (`esiti_context` → planning.valutazione, `spesa_context` →
planning.contesto and the charts of planning.contesto,
`snapshot_context` → monitoring.snapshots) have their own builders
and include templates; each is empty when its data (or its app) is absent.

`piano_fingerprint(piano)` hashes every row the document reads (plan, chapters, cards, catalogues, population,
network sections, evaluation, spending, snapshots) plus the latest history date and the layout files: any edit,
import or admin change gives a new fingerprint, so a cached file is never stale. The PDF and the workbook share it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe

from core.charts import Chart, line_chart
from core.formatting import it_number, it_percent
from core.markdown import render_markdown
from planning.models import (
    AttoreRete,
    Azione,
    CampoModello,
    Capitolo,
    Fondo,
    Indicatore,
    Intervento,
    Leps,
    LineaPNRR,
    MacroArea,
    ModelloIntervento,
    Obiettivo,
    OrganismoGovernance,
    PianoDiZona,
    Progetto,
    PuntoChiave,
    Risorsa,
    ServizioAssociato,
    StatoAzione,
    TargetIndicatore,
    ValoreCampo,
    ValorePuntoChiave,
    VocePNRR,
)
from planning.piano.cards import intervento_scheda_queryset, scheda_righe
from planning.piano.services import CAPITOLI_SOMMARIO
from territory.models import Comune, Popolazione
from territory.selectors import PopulationYear, PopulationYears, ambito_comuni, population_years

from . import ambito_charts

# --- Chapters ---------------------------------------------------------------------------------------------

# Kind of chapter → words that recognise it in the chapter's title (the titles of seed 001's Sommario, or
# the user's own wording of them). The order is the order of the Sommario.
KINDS: list[tuple[str, str]] = [
    ("introduzione", r"\bintroduzione\b|\bpremessa\b"),
    ("esiti", r"\besiti\b|programmazione precedente"),
    ("contesto", r"\bcontesto\b|quadro della conoscenza"),
    ("reti", r"\bsoggetti\b|\breti\b"),
    ("bisogni", r"\bbisogni\b"),
    ("obiettivi", r"\bobiettivi\b"),
    ("gestione", r"gestione associata"),
    ("governance", r"\bgovernance\b"),
    ("monitoraggio", r"\bmonitoraggio\b|\bvalutazione\b"),
]
KIND_INDEX = {kind: i for i, (kind, _) in enumerate(KINDS)}
DEFAULT_TITLES = dict(zip([k for k, _ in KINDS], CAPITOLI_SOMMARIO, strict=True))
TEMPLATE_DIR = "reports/pdf/piano"


@dataclass
class Sottosezione:
    titolo: str
    anchor: str


@dataclass
class CapitoloDoc:
    numero: int
    titolo: str
    kind: str
    corpo: SafeString
    sezione: dict = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return f"cap-{self.numero}"

    @property
    def template(self) -> str:
        return f"{TEMPLATE_DIR}/{self.kind}.html" if self.kind else ""

    @property
    def sottosezioni(self) -> list[Sottosezione]:
        return self.sezione.get("sottosezioni", [])

    @property
    def vuoto(self) -> bool:
        """No text and nothing computed to print (the PDF says so instead of leaving an empty page)."""
        contenuto = [v for k, v in self.sezione.items() if k not in ("sottosezioni", "anni") and not isinstance(v, int)]
        return not self.corpo and not any(contenuto)


def chapter_kind(titolo: str, taken: set[str]) -> str:
    """The kind of a chapter from its title ('' for a chapter of free text only); each kind is used once."""
    text = titolo.lower().replace("’", "'")
    for kind, pattern in KINDS:
        if kind not in taken and re.search(pattern, text):
            return kind
    return ""


def plan_chapters(capitoli: list[Capitolo]) -> list[tuple[str, str, str]]:
    """(kind, title, Markdown) in the plan's order; a kind with no chapter of its own is added at its place."""
    out: list[tuple[str, str, str]] = []
    taken: set[str] = set()
    for c in capitoli:
        kind = chapter_kind(c.titolo, taken)
        if kind:
            taken.add(kind)
        out.append((kind, c.titolo, c.corpo))
    for kind, _ in KINDS:
        if kind in taken:
            continue
        position = 0
        for i, (k, _t, _c) in enumerate(out):
            if k and KIND_INDEX[k] < KIND_INDEX[kind]:
                position = i + 1
        out.insert(position, (kind, DEFAULT_TITLES[kind], ""))
    return out


# --- Tables -----------------------------------------------------------------------------------------------


@dataclass
class Riga:
    etichetta: str
    celle: list[str]
    totale: bool = False
    classi: list[str] = field(default_factory=list)

    @property
    def coppie(self) -> list[tuple[str, str]]:
        """(cell, CSS class) pairs: numbers right-aligned unless the table says otherwise."""
        return [(c, self.classi[i] if i < len(self.classi) else "num") for i, c in enumerate(self.celle)]


@dataclass
class Tabella:
    """A table of the document with cells already formatted the Italian way (numbered by the stylesheet)."""

    titolo: str
    intestazioni: list[str]
    righe: list[Riga]
    fonte: str = ""
    nota: str = ""
    anchor: str = ""
    classe: str = ""
    classi: list[str] = field(default_factory=list)  # CSS class of each column after the first ("num" if missing)
    campo: str = ""  # the population field of a population table
    numerata: bool = True  # numbered by the stylesheet («Tabella N.»)

    def __post_init__(self) -> None:
        self.fonte = frase(self.fonte)  # the note follows the source: «Fonte: X. I totali …»
        if self.classi:
            for riga in self.righe:
                riga.classi = self.classi


@dataclass
class Figura:
    """A chart of the document (numbered by the stylesheet), with its source."""

    chart: Chart
    fonte: str = ""
    anchor: str = ""

    def __post_init__(self) -> None:
        self.fonte = frase(self.fonte)


def frase(text: str) -> str:
    """`text` as a sentence: stripped, with a final full stop unless it already ends with one (or ?, !, …)."""
    text = (text or "").strip()
    return text if not text or text.endswith((".", "?", "!", "…")) else f"{text}."


def _pct(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


def _variation(first, last) -> Decimal | None:
    if first is None or last is None or not first:
        return None
    return (Decimal(last) - Decimal(first)) * 100 / Decimal(first)


def _num(value, decimals: int = 0) -> str:
    return "—" if value is None else it_number(value, decimals)


def _misura(value) -> str:
    """A measured value or target: decimals only when it has them (100 → «100», 46,5 → «46,50»)."""
    return "—" if value is None else floatformat(value, "-2g")


def _perc(value, decimals: int = 1) -> str:
    return "—" if value is None else it_percent(value, decimals)


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


def popolazioni(comuni: list[Comune], anni_pop: PopulationYears, max_years: int = 10) -> Popolazioni:
    """The facts of `comuni`; the years stop at the latest complete one of `anni_pop` (all when none is)."""
    facts = {
        (p.comune_id, p.anno): p
        for p in Popolazione.objects.filter(comune__in=[c.pk for c in comuni]).order_by("comune_id", "anno")
    }
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


def _series_table(titolo: str, pop: Popolazioni, attr: str, fonte: str) -> Tabella:
    a0, a1 = pop.anni[0], pop.anni[-1]
    righe = []
    for comune in pop.comuni:
        values = pop.series(comune, attr)
        righe.append(Riga(comune.nome, [_num(v) for v in values] + [_perc(_variation(values[0], values[-1]))]))
    totals = pop.totals(attr)
    righe.append(Riga("Totale Ambito", [_num(v) for v in totals] + [_perc(_variation(totals[0], totals[-1]))], True))
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
        fonte=fonte,
        nota=f"{nota} {_partial_note(pop, esclusi=attr == 'totale')}".strip(),
        classe="anni",
        campo=attr,
    )


def _population_printed_differences(piano: PianoDiZona) -> dict[str, str]:
    """Population totals printed in a source document that differ from the sum of the Comuni, by field."""
    try:
        from planning.contesto.selectors import printed_checks
        from planning.models import Grandezza
    except ImportError:
        return {}
    out: dict[str, list[str]] = {}
    for c in printed_checks(piano.ambito):
        p = c.oggetto
        if p is None or p.grandezza != Grandezza.POPOLAZIONE or not c.difforme or p.ambito_id != piano.ambito_id:
            continue
        fonte = f"{p.documento}, {c.riferimento}" if p.documento else c.riferimento
        out.setdefault(p.campo_popolazione, []).append(
            f"Il documento di origine ({fonte}) riporta per il {c.anno} un totale di {it_number(c.atteso)}: "
            f"la somma dei dati dei Comuni, conservati come pubblicati, è {_num(c.calcolato)}."
        )
    return {campo: " ".join(texts) for campo, texts in out.items()}


def _incidence_table(pop: Popolazioni, fonte: str) -> Tabella:
    a0, a1 = pop.anni[0], pop.anni[-1]

    def row(label, s0, t0, s1, t1, totale=False):
        p0, p1 = _pct(s0, t0), _pct(s1, t1)
        delta = None if p0 is None or p1 is None else p1 - p0
        return Riga(label, [_num(p0, 1), _num(p1, 1), _num(delta, 1)], totale)

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
        fonte=fonte,
        nota="L'incidenza dell'Ambito è il rapporto tra le somme dei Comuni (non la media delle percentuali).",
        classe="incidenza",
    )


def _has(pop: Popolazioni, attr: str) -> bool:
    return any(getattr(p, attr) is not None for p in pop.facts.values() if p.anno in pop.anni)


def popolazione_context(piano: PianoDiZona, comuni_qs: QuerySet) -> dict:
    """Tables of the resident population by Comune with their variations (total, foreign, incidence of the
    foreign population, over 65, 0-17: seed 001 Tab. 1-5) and the charts, in the order they are printed."""
    comuni = list(comuni_qs.order_by("nome"))
    pop = popolazioni(comuni, population_years(comuni_qs))
    if not pop.anni:
        return {}
    a0, a1 = pop.anni[0], pop.anni[-1]
    nome = piano.ambito.nome
    periodo = f"Dettaglio per Comune anni {a0}-{a1}"
    fonte = "Elaborazioni su dati ISTAT della popolazione residente per Comune (demo.istat.it)."
    totals = pop.totals("totale")
    trend = line_chart(
        title=f"Popolazione residente nell'Ambito {a0}-{a1}",
        description=f"Totale dei residenti dei {len(comuni)} Comuni dell'Ambito, anno per anno.",
        series=[("Totale Ambito", [(a, t) for a, t in zip(pop.anni, totals, strict=True) if t is not None])],
        chart_id=f"pdz-pop-{piano.pk}",
        height=280,
    )
    blocchi: list[tuple[str, object]] = [
        ("figura", Figura(trend, fonte)),
        ("tabella", _series_table(f"Popolazione residente nell'{nome} – {periodo}", pop, "totale", fonte)),
        (
            "figura",
            Figura(ambito_charts.population_trend(comuni_qs, f"pdz{piano.pk}", pop.note, pop.anni), fonte),
        ),
    ]
    if _has(pop, "stranieri"):
        titolo = f"Popolazione residente di origine straniera nell'{nome} – {periodo}"
        blocchi.append(("tabella", _series_table(titolo, pop, "stranieri", fonte)))
        blocchi.append(("tabella", _incidence_table(pop, fonte)))
    blocchi.append(("figura", Figura(ambito_charts.age_structure(comuni_qs, f"pdz{piano.pk}", a1), fonte)))
    if _has(pop, "eta_65_oltre"):
        titolo = f"Popolazione residente over 65 nell'{nome} – {periodo}"
        blocchi.append(("tabella", _series_table(titolo, pop, "eta_65_oltre", fonte)))
    if _has(pop, "eta_0_17"):
        titolo = f"Popolazione residente 0-17 anni nell'{nome} – {periodo}"
        blocchi.append(("tabella", _series_table(titolo, pop, "eta_0_17", fonte)))
    blocchi = [(k, b) for k, b in blocchi if k == "tabella" or b.chart.rows]
    for i, (kind, item) in enumerate(blocchi, start=1):
        item.anchor = f"pop-{kind}-{i}"
    printed = _population_printed_differences(piano)
    for kind, item in blocchi:
        if kind == "tabella" and item.campo in printed:
            item.nota = f"{item.nota} {printed[item.campo]}"
    return {"blocchi": blocchi, "sintesi": _sintesi_popolazione(nome, pop), "anni": pop.anni}


def _sintesi_popolazione(nome: str, pop: Popolazioni) -> str:
    a0, a1 = pop.anni[0], pop.anni[-1]
    tot = pop.totals("totale")
    parts = []
    if tot[-1] is not None:
        text = f"La popolazione residente nell'{nome} nel {a1} è pari a {it_number(tot[-1])} abitanti"
        var = _variation(tot[0], tot[-1])
        if var is not None:
            text += f", con una variazione del {it_percent(var, 1)} rispetto al {a0}"
        parts.append(text + ".")
        variations = [
            (c.nome, _variation(*[pop.value(c, a, "totale") for a in (a0, a1)]))
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
        for attr, label in (
            ("stranieri", "i residenti di origine straniera"),
            ("eta_65_oltre", "le persone di 65 anni e oltre"),
            ("eta_0_17", "i minori di 18 anni"),
        ):
            value = pop.totals(attr)[-1]
            if value is not None:
                parts.append(f"Nel {a1} {label} sono {it_number(value)} ({it_percent(_pct(value, tot[-1]), 1)}).")
    for y in pop.esclusi:
        parts.append(
            f"Per il {y.anno} la popolazione è disponibile solo per {y.copertura}: le tabelle e i grafici si "
            f"fermano quindi al {a1}, ultimo anno con i dati di tutti i Comuni dell'Ambito."
        )
    return " ".join(parts)


# --- Chapter builders -------------------------------------------------------------------------------------


def introduzione_context(piano: PianoDiZona) -> dict:
    return {}


def esiti_context(piano: PianoDiZona) -> dict:
    """Evaluation cards of the previous plan (dimensions 1, 3-8) from planning.valutazione: a summary table (actions
    by state, degree of achievement under the plan's rule, carried forward) and every card. Empty without them."""
    try:
        from planning.valutazione.rules import percentuale_compatta
        from planning.valutazione.selectors import schede_esiti, sintesi, valutazione_del_piano
    except ImportError:  # the evaluation data are not part of this installation
        return {}
    valutazione = valutazione_del_piano(piano)
    esiti = schede_esiti(valutazione) if valutazione else []
    if not esiti:
        return {}
    totali = sintesi(esiti)
    righe = []
    for e in esiti:
        c = e.conteggi
        righe.append(
            Riga(
                e.titolo,
                [
                    e.area or "—",
                    _num(c.totale),
                    _num(c.realizzate),
                    _num(c.parziali),
                    _num(c.non_concluse),
                    percentuale_compatta(e.grado),
                    "Sì" if e.riproposto else "No",
                ],
            )
        )
    c = totali["conteggi"]
    regola = valutazione.parziali_come_realizzate
    righe.append(
        Riga(
            "Totale",
            [
                f"{totali['schede']} schede",
                _num(c.totale),
                _num(c.realizzate),
                _num(c.parziali),
                _num(c.non_concluse),
                percentuale_compatta(totali["con_parziali"] if regola else totali["senza_parziali"]),
                "",
            ],
            True,
        )
    )
    tabella = Tabella(
        titolo=f"Sintesi degli esiti della programmazione {valutazione.periodo_valutato}",
        intestazioni=[
            "Obiettivo",
            "Area",
            "Azioni programmate",
            "Realizzate",
            "Parzialmente realizzate",
            "Non realizzate, sospese o in corso",
            "Grado di raggiungimento",
            "Riproposto",
        ],
        righe=righe,
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
    return {
        "valutazione": valutazione,
        "sintesi": tabella,
        "schede": esiti,
        "difformi": totali["stampati_difformi"],
        "sottosezioni": [
            Sottosezione(f"Sintesi degli esiti {valutazione.periodo_valutato}", "sez-esiti-sintesi"),
            Sottosezione("Le schede di valutazione degli obiettivi", "sez-esiti-schede"),
        ],
    }


def _spesa_cell(value, present: bool, decimals: int) -> str:
    if not present:
        return "—"
    return "–" if value is None else it_number(value, decimals)  # «–»: nothing reported («-» in the source)


def _controlli_note(controlli: list) -> str:
    """Differences between the facts and the source document, one sentence per label (years together)."""
    groups: dict[tuple[str, bool, str], list] = {}
    for c in controlli:
        groups.setdefault((c.etichetta, c.stampato, c.spiegazione), []).append(c)
    sentences = []
    for (label, stampato, spiegazione), items in groups.items():
        items.sort(key=lambda c: c.anno)
        atteso = ", ".join(f"{it_number(c.atteso, c.decimali)} ({c.anno})" for c in items)
        calcolato = ", ".join(
            "non ricalcolabile" if c.calcolato is None else f"{it_number(c.calcolato, c.decimali)} ({c.anno})"
            for c in items
        )
        if stampato:
            text = f"«{label}»: il documento di origine riporta {atteso}; dai dati registrati risulta {calcolato}."
        else:
            text = f"La somma delle voci, {calcolato}, differisce da «{label}», {atteso}."
        sentences.append(f"{text} {spiegazione}".strip())
    return " ".join(sentences)


def _spending_table(t) -> Tabella:
    """A spending table of planning.contesto (rows × years, computed totals, printed figures compared)."""
    percentuale = t.percentuale
    decimals = t.decimali
    a0, a1 = (t.anni[0], t.anni[-1]) if t.anni else (None, None)
    variazione = not percentuale and len(t.anni) > 1
    righe = []
    for r in t.righe:
        celle = [_spesa_cell(v, p, decimals) for v, p in zip(r.valori, r.presenti, strict=True)]
        if variazione:
            celle.append(_num(r.variazione, 1))
        righe.append(Riga(r.etichetta, celle))
    totali = [_num(v, decimals) for v in t.totali]
    if variazione:
        known = [v for v in t.totali if v is not None]
        totali.append(_num(_variation(known[0], known[-1]) if len(known) > 1 else None, 1))
    righe.append(Riga("Totale", totali, True))
    note = _controlli_note(t.discrepanze)
    unita = "quote percentuali" if percentuale else "valori in €"
    fonte = t.tabella.fonte_dati or ""
    return Tabella(
        titolo=f"{t.titolo} ({unita})",
        intestazioni=[
            t.tabella.get_dimensione_display(),
            *[str(a) for a in t.anni],
            *([f"Variazione % {a0}-{a1}"] if variazione else []),
        ],
        righe=righe,
        fonte=fonte,
        nota=f"I totali sono calcolati dai dati registrati. {note}".strip(),
        classe="spesa",
    )


def _per_capita_table(pc) -> Tabella:
    anni = [a.anno for a in pc.anni]
    righe = [Riga(nome, [_num(v, 2) for v in valori]) for nome, valori in pc.comuni_stampati]
    righe.append(
        Riga(
            "Spesa pro capite dei Comuni (senza Ufficio di Piano)",
            [_num(a.pro_capite_comuni, 2) for a in pc.anni],
            True,
        )
    )
    righe.append(
        Riga("Spesa pro capite d'Ambito (con Ufficio di Piano)", [_num(a.pro_capite_totale, 2) for a in pc.anni], True)
    )
    note = _controlli_note(pc.discrepanze)
    nota = (
        "Le medie d'Ambito sono calcolate come spesa dell'anno divisa per i residenti dello stesso anno (somma dei "
        "Comuni)."
    )
    if pc.comuni_stampati:
        nota += " I valori dei singoli Comuni sono quelli riportati nel flusso regionale (la spesa del singolo Comune "
        nota += "non è tra i dati registrati)."
    if note:
        nota += " " + note
    return Tabella(
        titolo=f"Spesa sociale pro capite {anni[0]}-{anni[-1]} (€ per abitante)"
        if anni
        else "Spesa sociale pro capite",
        intestazioni=["", *[str(a) for a in anni]],
        righe=righe,
        fonte="Flusso regionale Spesa sociale e dati ISTAT della popolazione residente.",
        nota=nota,
        classe="spesa",
    )


def spesa_context(piano: PianoDiZona) -> dict:
    """Social spending tables (seed 001 Tab. 8-14: by entity, per capita, by user area, by intervention, by
    management type, by source of funding) and their charts, from the spending facts of planning.contesto.

    Same shape as `popolazione_context`: {"sintesi": str, "blocchi": [("tabella", Tabella) | ("figura", Figura)]},
    printed by `piano/contesto_spesa.html`. Empty without spending facts.
    """
    try:
        from planning.contesto.charts import spending_by_area, spending_by_fund
        from planning.contesto.selectors import per_capita, spending_tables
        from planning.models import Dimensione
    except ImportError:  # the spending facts are not part of this installation
        return {}
    ambito = piano.ambito
    tables = [t for t in spending_tables(ambito) if t.righe]
    if not tables:
        return {}
    pc = per_capita(ambito)
    fonte = "Flusso regionale Spesa sociale."
    blocchi: list[tuple[str, object]] = []
    charts_after = {
        Dimensione.AREA: spending_by_area(ambito),
        Dimensione.FONTE: spending_by_fund(ambito),
    }
    placed_per_capita = False
    for t in tables:
        blocchi.append(("tabella", _spending_table(t)))
        dimensione = t.tabella.dimensione
        if dimensione == Dimensione.ENTE and pc.anni and not placed_per_capita:
            trend = line_chart(
                title=f"Spesa sociale dei Comuni e dell'Ufficio di Piano {pc.anni[0].anno}-{pc.anni[-1].anno}",
                description="Spesa sociale in euro per anno: Comuni (aggregata), Ufficio di Piano e totale d'Ambito.",
                series=[
                    (label, [(a.anno, getattr(a, attr)) for a in pc.anni if getattr(a, attr) is not None])
                    for label, attr in (
                        ("Comuni", "spesa_comuni"),
                        ("Ufficio di Piano", "spesa_udp"),
                        ("Totale Ambito", "spesa_totale"),
                    )
                ],
                chart_id=f"pdz-spesa-{piano.pk}",
                height=300,
            )
            if trend.rows:
                blocchi.append(("figura", Figura(trend, fonte)))
            blocchi.append(("tabella", _per_capita_table(pc)))
            placed_per_capita = True
        chart = charts_after.pop(dimensione, None)
        if chart is not None and chart.rows:
            blocchi.append(("figura", Figura(chart, fonte)))
    for i, (kind, item) in enumerate(blocchi, start=1):
        item.anchor = f"spesa-{kind}-{i}"
    return {"blocchi": blocchi, "sintesi": _sintesi_spesa(ambito.nome, pc)}


def _sintesi_spesa(nome: str, pc) -> str:
    anni = [a for a in pc.anni if a.spesa_totale is not None]
    if not anni:
        return ""
    last, first = anni[-1], anni[0]
    text = (
        f"La spesa sociale dell'{nome}, in forma singola e associata, nel {last.anno} ammonta complessivamente a "
        f"€ {it_number(last.spesa_totale, 2)}"
    )
    if last.pro_capite_totale is not None:
        text += f", corrispondente a una spesa d'Ambito pro capite di € {it_number(last.pro_capite_totale, 2)}"
    text += "."
    if len(anni) > 1 and pc.variazione_periodo is not None:
        text += f" Tra il {first.anno} e il {last.anno} la spesa è variata del {it_percent(pc.variazione_periodo, 1)}"
        if pc.variazione_periodo_udp is not None:
            text += f" (quella gestita dall'Ufficio di Piano del {it_percent(pc.variazione_periodo_udp, 1)})"
        text += "."
    if last.pro_capite_comuni is not None:
        text += (
            f" La spesa pro capite dei soli Comuni, senza l'Ufficio di Piano, è di € "
            f"{it_number(last.pro_capite_comuni, 2)}."
        )
    return text


def contesto_context(piano: PianoDiZona) -> dict:
    comuni_qs = ambito_comuni(piano.ambito)
    popolazione = popolazione_context(piano, comuni_qs)
    spesa = spesa_context(piano)
    sottosezioni = [Sottosezione("Il quadro sociodemografico", "sez-popolazione")]
    if spesa:
        sottosezioni.append(Sottosezione("Analisi della spesa sociale", "sez-spesa"))
    return {"popolazione": popolazione, "spesa": spesa, "sottosezioni": sottosezioni}


@dataclass
class Gruppo:
    """A group of the plan's structure: an area (A-D), or objectives without area (a sub-ambito, the Ambito)."""

    titolo: str
    anchor: str
    descrizione: SafeString = mark_safe("")
    obiettivi: list = field(default_factory=list)
    interventi: list = field(default_factory=list)
    area_id: int | None = None


def _groups(piano: PianoDiZona, prefix: str) -> list[Gruppo]:
    groups = [
        Gruppo(
            titolo=f"Area «{a.titolo}»",
            anchor=f"{prefix}-area-{a.pk}",
            descrizione=render_markdown(a.descrizione),
            area_id=a.pk,
        )
        for a in piano.aree.all()
    ]
    return groups


def sub_ambito_label(ambito) -> str:
    nome = ambito.nome
    return nome if nome.lower().startswith("sub-ambito") else f"Sub-ambito {nome}"


def _group_of(groups: dict, obiettivo: Obiettivo, prefix: str) -> Gruppo:
    root = obiettivo.parent if obiettivo.parent_id else obiettivo
    area_id = obiettivo.area_id or root.area_id
    if area_id in groups:
        return groups[area_id]
    key = ("sub", root.sub_ambito_id)
    if key not in groups:
        titolo = sub_ambito_label(root.sub_ambito) if root.sub_ambito_id else "Obiettivi di Ambito"
        groups[key] = Gruppo(titolo=titolo, anchor=f"{prefix}-gruppo-{len(groups) + 1}")
    return groups[key]


def _text_items(text: str) -> list[str]:
    """The items of a Markdown list (or the text as one item)."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    items = [re.sub(r"^[-*•]\s+|^\d+[.)]\s+", "", ln) for ln in lines]
    return [i for i in items if i]


def _schede(piano: PianoDiZona) -> list[Intervento]:
    return list(
        intervento_scheda_queryset()
        .filter(piano=piano)
        .select_related("obiettivo__parent__sub_ambito", "obiettivo__parent__area")
    )


def _structure(piano: PianoDiZona, prefix: str, interventi: list[Intervento]) -> list[Gruppo]:
    """Areas (or other groups) with their objectives and interventions, in the plan's order."""
    groups: dict = {g.area_id: g for g in _groups(piano, prefix)}
    obiettivi = list(
        piano.obiettivi.select_related("area", "parent", "sub_ambito", "parent__sub_ambito").order_by("ordine", "pk")
    )
    by_obiettivo: dict[int, list[Intervento]] = {}
    for i in interventi:
        by_obiettivo.setdefault(i.obiettivo_id, []).append(i)
    for o in obiettivi:
        group = _group_of(groups, o, prefix)
        o.lista_interventi = by_obiettivo.get(o.pk, [])
        if o.lista_interventi or not o.parent_id:
            group.obiettivi.append(o)
        group.interventi.extend(o.lista_interventi)
    return [g for g in groups.values() if g.obiettivi or g.interventi]


def reti_context(piano: PianoDiZona) -> dict:
    """Projects of the network by area, and the PNRR lines with their amounts (totals computed)."""
    progetti = list(piano.progetti.select_related("area").order_by("area__ordine", "ordine", "pk"))
    per_area: dict = {}
    for p in progetti:
        titolo = f"Area «{p.area.titolo}»" if p.area_id else "Altri progetti"
        per_area.setdefault(titolo, []).append(p)
    linee = list(piano.linee_pnrr.prefetch_related(Prefetch("voci", queryset=VocePNRR.objects.order_by("ordine"))))
    for linea in linee:
        linea.lista_voci = list(linea.voci.all())
        linea.totale = sum((v.totale for v in linea.lista_voci), start=Decimal("0"))
        linea.difforme = linea.totale_stampato is not None and linea.totale_stampato != linea.totale
    sottosezioni = []
    if progetti:
        sottosezioni.append(Sottosezione("I progetti della rete", "sez-progetti"))
    if linee:
        sottosezioni.append(Sottosezione("Le linee PNRR Missione 5 Componente 2", "sez-pnrr"))
    return {
        "progetti": list(per_area.items()),
        "n_progetti": len(progetti),
        "linee": linee,
        "totale_pnrr": sum((x.totale for x in linee), start=Decimal("0")),
        "sottosezioni": sottosezioni,
    }


def _valori_per_chiave(intervento: Intervento) -> dict[str, ValoreCampo]:
    campi = {c.pk: c.chiave for c in intervento.modello.campi.all()}
    return {campi[v.campo_id]: v for v in intervento.valori.all() if v.campo_id in campi}


def bisogni_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    """The needs each intervention answers (cards' «bisogni» and «tipo di bisogno»), by area."""
    interventi = interventi if interventi is not None else _schede(piano)
    gruppi = _structure(piano, "bis", interventi)
    for g in gruppi:
        g.righe = []
        for i in g.interventi:
            valori = _valori_per_chiave(i)
            bisogni = _text_items(valori["bisogni"].testo) if "bisogni" in valori else []
            tipo = ""
            if "tipo_bisogno" in valori:
                v = valori["tipo_bisogno"]
                campo = next(c for c in i.modello.campi.all() if c.pk == v.campo_id)
                tipo = ", ".join(campo.opzioni_dict.get(s, s) for s in v.scelte) or v.testo
            if bisogni or tipo:
                g.righe.append({"intervento": i, "bisogni": bisogni, "tipo": tipo})
    gruppi = [g for g in gruppi if g.righe]
    return {"gruppi": gruppi, "sottosezioni": [Sottosezione(g.titolo, g.anchor) for g in gruppi]}


def obiettivi_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    """For each area: the «prospetto» Obiettivi | Interventi | Azioni, then every intervention card."""
    interventi = interventi if interventi is not None else _schede(piano)
    gruppi = _structure(piano, "obi", interventi)
    numero = 0
    for g in gruppi:
        g.prospetto = []
        for o in g.obiettivi:
            if not o.lista_interventi:
                continue
            g.prospetto.append(
                {
                    "obiettivo": o,
                    "interventi": o.lista_interventi,
                    "azioni": [a for i in o.lista_interventi for a in i.azioni.all()],
                }
            )
        g.schede = []
        for i in g.interventi:
            numero += 1
            g.schede.append({"numero": numero, "intervento": i, "righe": scheda_righe(i)})
    return {
        "gruppi": gruppi,
        "n_schede": numero,
        "sottosezioni": [Sottosezione(g.titolo, g.anchor) for g in gruppi],
    }


def gestione_context(piano: PianoDiZona) -> dict:
    servizi = list(piano.servizi_associati.select_related("area").order_by("area__ordine", "ordine", "pk"))
    per_area: dict = {}
    for s in servizi:
        titolo = f"Area «{s.area.titolo}»" if s.area_id else "Azioni di sistema"
        per_area.setdefault(titolo, []).append(s)
    return {"gruppi": list(per_area.items()), "n_servizi": len(servizi)}


def governance_context(piano: PianoDiZona) -> dict:
    organismi = list(piano.governance.all())
    order = {value: i for i, value in enumerate(OrganismoGovernance.Livello.values)}
    livelli: dict = {}
    for o in sorted(organismi, key=lambda x: (order.get(x.livello, 99), x.ordine, x.pk)):
        livelli.setdefault(o.get_livello_display(), []).append(o)
    return {"livelli": list(livelli.items())}


def snapshot_context(piano: PianoDiZona) -> dict:
    """The latest quarterly snapshot of the plan (monitoring.snapshots): progress by area (actions by state,
    indicators against the year's target), the indicators measured and the progress chart. Empty without one."""
    try:
        from monitoring.snapshots.charts import plan_progress
        from monitoring.snapshots.selectors import area_progress, latest_snapshot
    except ImportError:  # the quarterly snapshots are not part of this installation
        return {}
    rilevazione = latest_snapshot(piano)
    if rilevazione is None:
        return {}
    aree = area_progress(rilevazione)
    righe = [
        Riga(
            a.etichetta,
            [
                _num(a.azioni),
                _num(a.realizzate),
                _num(a.parziali),
                _num(a.in_corso),
                _perc(a.pct_realizzate),
                _num(a.indicatori_rilevati),
                _perc(a.media_target),
            ],
        )
        for a in aree
    ]
    tot = {k: sum(getattr(a, k) for a in aree) for k in ("azioni", "realizzate", "parziali", "in_corso")}
    tot_ind = sum(a.indicatori_rilevati for a in aree)
    righe.append(
        Riga(
            "Totale piano",
            [
                _num(tot["azioni"]),
                _num(tot["realizzate"]),
                _num(tot["parziali"]),
                _num(tot["in_corso"]),
                _perc(_pct(tot["realizzate"], tot["azioni"])),
                _num(tot_ind),
                "",
            ],
            True,
        )
    )
    stato = rilevazione.get_stato_display().lower()
    avanzamento = Tabella(
        titolo=f"Avanzamento per area alla rilevazione {rilevazione.codice} ({stato})",
        intestazioni=[
            "Area",
            "Azioni",
            "Realizzate",
            "Parzialmente realizzate",
            "In corso",
            "% realizzate",
            "Indicatori rilevati",
            "Raggiungimento medio dei target",
        ],
        righe=righe,
        nota=(
            "Raggiungimento medio: media, sugli indicatori rilevati con un target dell'anno, del valore rilevato "
            "sul target (ciascuno al massimo 100%). I valori sono cumulati dall'inizio dell'anno."
        ),
        classe="rilevazione",
    )
    indicatori = [
        Riga(
            i.indicatore.descrizione,
            [
                i.indicatore.intervento.titolo,
                i.indicatore.get_tipo_display(),
                _misura(i.valore),
                _misura(i.target),
                _perc(i.percentuale),
            ],
        )
        for a in aree
        for i in a.indicatori
        if i.valore is not None
    ]
    blocchi: list[tuple[str, object]] = [("tabella", avanzamento)]
    chart = plan_progress(piano)
    if chart.rows:
        blocchi.append(("figura", Figura(chart, f"Rilevazione trimestrale {rilevazione.codice}.")))
    if indicatori:
        blocchi.append(
            (
                "tabella",
                Tabella(
                    titolo=f"Indicatori rilevati al {rilevazione.codice} rispetto al target {rilevazione.anno}",
                    intestazioni=[
                        "Indicatore",
                        "Intervento",
                        "Tipo",
                        "Valore rilevato",
                        f"Target {rilevazione.anno}",
                        "% del target",
                    ],
                    righe=indicatori,
                    classe="indicatori-rilevati",
                    classi=["testo", "testo", "num", "num", "num"],
                ),
            )
        )
    for i, (kind, item) in enumerate(blocchi, start=1):
        item.anchor = f"rilevazione-{kind}-{i}"
    sintesi = (
        f"Alla rilevazione {rilevazione.codice} ({stato}) risultano realizzate {it_number(tot['realizzate'])} "
        f"azioni su {it_number(tot['azioni'])} ({_perc(_pct(tot['realizzate'], tot['azioni']))}), "
        f"{it_number(tot['in_corso'])} in corso; sono stati rilevati {it_number(tot_ind)} indicatori."
    )
    if rilevazione.dimostrativa:
        sintesi += " I valori di questa rilevazione sono dimostrativi."
    return {"titolo": rilevazione.codice, "rilevazione": rilevazione, "sintesi": sintesi, "blocchi": blocchi}


def monitoraggio_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    """Per intervention: state, actions done, expected results and impact (card), stored indicators and targets."""
    interventi = interventi if interventi is not None else _schede(piano)
    gruppi = _structure(piano, "mon", interventi)
    done = {StatoAzione.REALIZZATA}
    n_indicatori = 0
    for g in gruppi:
        g.righe = []
        for i in g.interventi:
            valori = _valori_per_chiave(i)
            azioni = list(i.azioni.all())
            indicatori = list(i.indicatori.all())
            n_indicatori += len(indicatori)
            g.righe.append(
                {
                    "intervento": i,
                    "azioni": len(azioni),
                    "realizzate": sum(1 for a in azioni if a.stato in done),
                    "risultati": _text_items(valori["risultati"].testo) if "risultati" in valori else [],
                    "impatto": _text_items(valori["impatto"].testo) if "impatto" in valori else [],
                    "indicatori": indicatori,
                }
            )
    snapshot = snapshot_context(piano)
    sottosezioni = [Sottosezione("Il quadro degli indicatori per intervento", "sez-indicatori")]
    if snapshot:
        sottosezioni.append(Sottosezione("L'ultima rilevazione trimestrale", "sez-rilevazione"))
    return {
        "gruppi": gruppi,
        "anni": piano.anni,
        "n_indicatori": n_indicatori,
        "snapshot": snapshot,
        "sottosezioni": sottosezioni,
    }


BUILDERS = {
    "introduzione": introduzione_context,
    "esiti": esiti_context,
    "contesto": contesto_context,
    "reti": reti_context,
    "bisogni": bisogni_context,
    "obiettivi": obiettivi_context,
    "gestione": gestione_context,
    "governance": governance_context,
    "monitoraggio": monitoraggio_context,
}
USES_CARDS = {"bisogni", "obiettivi", "monitoraggio"}


# --- Whole document ---------------------------------------------------------------------------------------


def piano_queryset() -> QuerySet:
    return PianoDiZona.objects.select_related("ambito", "ambito__parent")


def ultima_modifica(piano: PianoDiZona):
    """The latest change recorded in the plan's history (plan, chapters, structure, cards, network)."""
    dates = [
        piano.history.aggregate(m=Max("history_date"))["m"],
        Capitolo.history.filter(piano_id=piano.pk).aggregate(m=Max("history_date"))["m"],
        Obiettivo.history.filter(piano_id=piano.pk).aggregate(m=Max("history_date"))["m"],
        Intervento.history.filter(piano_id=piano.pk).aggregate(m=Max("history_date"))["m"],
        Progetto.history.filter(piano_id=piano.pk).aggregate(m=Max("history_date"))["m"],
        ServizioAssociato.history.filter(piano_id=piano.pk).aggregate(m=Max("history_date"))["m"],
        OrganismoGovernance.history.filter(piano_id=piano.pk).aggregate(m=Max("history_date"))["m"],
    ]
    interventi = list(Intervento.objects.filter(piano=piano).values_list("pk", flat=True))
    for model in (ValoreCampo, Azione, Indicatore, Risorsa):
        dates.append(model.history.filter(intervento_id__in=interventi).aggregate(m=Max("history_date"))["m"])
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def piano_document(piano: PianoDiZona) -> dict:
    """The context of the PDF template: cover data and the numbered chapters with their sections."""
    ambito = piano.ambito
    comuni = list(ambito_comuni(ambito).order_by("nome"))
    interventi = _schede(piano)
    capitoli = []
    for numero, (kind, titolo, corpo) in enumerate(plan_chapters(list(piano.capitoli.all())), start=1):
        builder = BUILDERS.get(kind)
        if builder is None:
            sezione = {}
        elif kind in USES_CARDS:
            sezione = builder(piano, interventi)
        else:
            sezione = builder(piano)
        capitoli.append(CapitoloDoc(numero, titolo, kind, render_markdown(corpo), sezione))
    titolo = piano.titolo
    running = titolo if ambito.nome.lower() in titolo.lower() else f"{ambito.nome} – {titolo}"
    return {
        "piano": piano,
        "ambito": ambito,
        "comuni": comuni,
        "capitoli": capitoli,
        "n_interventi": len(interventi),
        "intestazione": running,
        "aggiornato_il": ultima_modifica(piano),
    }


# --- Fingerprint ------------------------------------------------------------------------------------------


def _rows(qs: QuerySet) -> list:
    return list(qs.order_by("pk").values_list())


@cache
def _layout_hash() -> str:
    """Hash of the templates and styles of the document, so a new layout never serves an old cached file."""
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / "templates" / TEMPLATE_DIR, Path(settings.BASE_DIR) / "templates" / "reports"]
    files = sorted({*roots[0].glob("*.html"), roots[1] / "pdf" / "base.html", roots[1] / "pdf" / "piano.html"})
    files += [Path(settings.BASE_DIR) / "static" / "css" / name for name in ("pdf.css", "piano.css")]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    base = Path(settings.BASE_DIR)
    modules = [Path(__file__).with_name(name) for name in ("piano_context.py", "piano_pdf.py", "piano_xlsx.py")]
    modules += [base / "reports" / "ambito_charts.py", base / "core" / "pdf.py", base / "core" / "charts.py"]
    modules += [base / "planning" / "contesto" / "charts.py", base / "monitoring" / "snapshots" / "charts.py"]
    for path in modules:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def external_fingerprint(piano: PianoDiZona) -> list:
    """Rows of the evaluation, spending and quarterly monitoring data read by `esiti_context`, `spesa_context`,
    `snapshot_context` and the Spesa sheet (nothing when those apps are not installed)."""
    rows: list = []
    try:
        from planning.models import (
            AzioneValutata,
            Continuita,
            SchedaValutazione,
            SpesaSociale,
            TabellaSpesa,
            ValoreStampato,
            Valutazione,
            VoceSpesa,
        )
    except ImportError:
        pass
    else:
        ambiti = piano.ambito.with_sub_ambiti_ids()
        rows += [
            _rows(Valutazione.objects.filter(piano=piano)),
            _rows(SchedaValutazione.objects.filter(valutazione__piano=piano)),
            _rows(AzioneValutata.objects.filter(scheda__valutazione__piano=piano)),
            _rows(Continuita.objects.filter(piano=piano)),
            _rows(TabellaSpesa.objects.filter(ambito_id__in=ambiti)),
            _rows(SpesaSociale.objects.filter(tabella__ambito_id__in=ambiti)),
            _rows(
                VoceSpesa.objects.filter(
                    pk__in=SpesaSociale.objects.filter(tabella__ambito_id__in=ambiti).values("voce")
                )
            ),
            _rows(ValoreStampato.objects.filter(ambito_id__in=ambiti)),
        ]
    try:
        from monitoring.snapshots.models import Rilevazione, StatoAzioneRilevato, ValoreIndicatoreRilevato
    except ImportError:
        pass
    else:
        rows += [
            _rows(Rilevazione.objects.filter(piano=piano)),
            _rows(StatoAzioneRilevato.objects.filter(rilevazione__piano=piano)),
            _rows(ValoreIndicatoreRilevato.objects.filter(rilevazione__piano=piano)),
        ]
    return rows


def piano_fingerprint(piano: PianoDiZona) -> str:
    """A hash of every row the plan's PDF and workbook read; it changes with any edit of those data."""
    comuni = ambito_comuni(piano.ambito)
    interventi = Intervento.objects.filter(piano=piano)
    valori = ValoreCampo.objects.filter(intervento__piano=piano)
    modelli = ModelloIntervento.objects.filter(pk__in=interventi.values("modello"))
    data = [
        _layout_hash(),
        _rows(PianoDiZona.objects.filter(pk=piano.pk)),
        _rows(type(piano.ambito).objects.filter(pk__in=[piano.ambito_id, piano.ambito.parent_id or 0])),
        list(comuni.order_by("pk").values_list("pk", "nome", "ambito_id")),
        _rows(Popolazione.objects.filter(comune__in=comuni.values("pk"))),
        _rows(piano.capitoli.all()),
        _rows(piano.aree.all()),
        _rows(piano.obiettivi.all()),
        _rows(interventi),
        [_rows(m.through.objects.filter(intervento__piano=piano)) for m in (Intervento.fondi, Intervento.leps)],
        _rows(Intervento.partner.through.objects.filter(intervento__piano=piano)),
        _rows(valori),
        _rows(ValoreCampo.macro_aree.through.objects.filter(valorecampo__intervento__piano=piano)),
        _rows(ValorePuntoChiave.objects.filter(valore__intervento__piano=piano)),
        _rows(Azione.objects.filter(intervento__piano=piano)),
        _rows(Indicatore.objects.filter(intervento__piano=piano)),
        _rows(TargetIndicatore.objects.filter(indicatore__intervento__piano=piano)),
        _rows(Risorsa.objects.filter(intervento__piano=piano)),
        _rows(modelli),
        _rows(CampoModello.objects.filter(modello__in=modelli)),
        _rows(Fondo.objects.all()),
        _rows(Leps.objects.all()),
        _rows(MacroArea.objects.all()),
        _rows(PuntoChiave.objects.filter(pk__in=ValorePuntoChiave.objects.filter(valore__in=valori).values("punto"))),
        _rows(AttoreRete.objects.filter(ambito=piano.ambito)),
        _rows(piano.progetti.all()),
        _rows(LineaPNRR.objects.filter(piano=piano)),
        _rows(VocePNRR.objects.filter(linea__piano=piano)),
        _rows(piano.servizi_associati.all()),
        _rows(piano.governance.all()),
        ultima_modifica(piano),
        external_fingerprint(piano),
    ]
    return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()
