"""The spending section of the context chapter: social spending tables (seed 001 Tab. 8-14: by entity, per
capita, by user area, by intervention, by management type, by source of funding) and their charts, from the
spending facts of planning.contesto."""

from __future__ import annotations

from core.charts import line_chart
from core.formatting import it_number, it_percent
from planning.contesto.charts import school_series_chart, spending_by_area, spending_by_fund
from planning.contesto.selectors import (
    ProCapite,
    SerieAnni,
    SpendingTable,
    per_capita,
    school_series,
    spending_tables,
)
from planning.models import Dimensione, PianoDiZona

from ..blocks import Figura, Riga, Tabella, num, number_blocks, variation

FONTE = "Flusso regionale Spesa sociale."


def _cell(value, present: bool, decimals: int) -> str:
    if not present:
        return "—"
    return "–" if value is None else it_number(value, decimals)  # «–»: nothing reported («-» in the source)


def controlli_note(controlli: list) -> str:
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


def _spending_table(t: SpendingTable) -> Tabella:
    """A spending table of planning.contesto (rows × years, computed totals, printed figures compared)."""
    decimals = t.decimali
    a0, a1 = (t.anni[0], t.anni[-1]) if t.anni else (None, None)
    variazione = not t.percentuale and len(t.anni) > 1
    righe = []
    for r in t.righe:
        celle = [_cell(v, p, decimals) for v, p in zip(r.valori, r.presenti, strict=True)]
        if variazione:
            celle.append(num(r.variazione, 1))
        righe.append(Riga(r.etichetta, celle))
    totali = [num(v, decimals) for v in t.totali]
    if variazione:
        known = [v for v in t.totali if v is not None]
        totali.append(num(variation(known[0], known[-1]) if len(known) > 1 else None, 1))
    righe.append(Riga("Totale", totali, True))
    note = controlli_note(t.discrepanze)
    unita = "quote percentuali" if t.percentuale else "valori in €"
    return Tabella(
        titolo=f"{t.titolo} ({unita})",
        intestazioni=[
            t.tabella.get_dimensione_display(),
            *[str(a) for a in t.anni],
            *([f"Variazione % {a0}-{a1}"] if variazione else []),
        ],
        righe=righe,
        fonte=t.tabella.fonte_dati or "",
        nota=f"I totali sono calcolati dai dati registrati. {note}".strip(),
        classe="spesa",
    )


def _school_series_table(s: SerieAnni) -> Tabella:
    """A series by school year (e.g. the Casalasco SAAP): rows × school years, totals computed from the facts."""
    righe = [
        Riga(r.etichetta + (" (calcolata)" if r.calcolata else ""),
             [num(v, r.decimali) for v in r.valori])
        for r in s.righe
    ]  # fmt: skip
    nota = (
        "I minori assistiti dell'anno sono calcolati dai dati registrati (somma degli ordini di scuola dove il "
        "documento li distingue); la spesa per minore assistito è calcolata."
    )
    diff = controlli_note(s.discrepanze)
    if diff:
        nota += " " + diff
    if s.serie.note:
        nota += " " + s.serie.note
    return Tabella(
        titolo=f"{s.serie.titolo} — {s.serie.ambito.nome}",
        intestazioni=["Anno scolastico", *s.etichette_anni],
        righe=righe,
        fonte=s.serie.fonte_dati,
        nota=nota,
        classe="spesa",
    )


def school_series_blocks(piano: PianoDiZona) -> list[tuple[str, Tabella | Figura]]:
    """Each series by school year of the Ambito (and sub-ambiti): its table, then its chart."""
    blocchi: list[tuple[str, Tabella | Figura]] = []
    for s in school_series(piano.ambito):
        if not s.anni:
            continue
        blocchi.append(("tabella", _school_series_table(s)))
        chart = school_series_chart(s)
        if chart.rows:
            blocchi.append(("figura", Figura(chart, s.serie.fonte_dati or FONTE)))
    return blocchi


def _per_capita_table(pc: ProCapite) -> Tabella:
    anni = [a.anno for a in pc.anni]
    righe = [Riga(nome, [num(v, 2) for v in valori]) for nome, valori in pc.comuni_stampati]
    righe.append(
        Riga(
            "Spesa pro capite dei Comuni (senza Ufficio di Piano)",
            [num(a.pro_capite_comuni, 2) for a in pc.anni],
            True,
        )
    )
    righe.append(
        Riga("Spesa pro capite d'Ambito (con Ufficio di Piano)", [num(a.pro_capite_totale, 2) for a in pc.anni], True)
    )
    note = controlli_note(pc.discrepanze)
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


def _trend(piano: PianoDiZona, pc: ProCapite):
    return line_chart(
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


def spesa_context(piano: PianoDiZona) -> dict:
    """{"sintesi": str, "blocchi": [("tabella", Tabella) | ("figura", Figura)]}, as `popolazione_context`, printed by
    `piano/contesto_spesa.html`: after the table by entity the trend and the per-capita table, after the tables by
    area and by source their charts. Empty without spending facts."""
    ambito = piano.ambito
    tables = [t for t in spending_tables(ambito) if t.righe]
    scolastiche = school_series_blocks(piano)
    if not tables and not scolastiche:
        return {}
    pc = per_capita(ambito)
    blocchi: list[tuple[str, Tabella | Figura]] = []
    charts_after = {Dimensione.AREA: spending_by_area(ambito), Dimensione.FONTE: spending_by_fund(ambito)}
    placed_per_capita = False
    for t in tables:
        blocchi.append(("tabella", _spending_table(t)))
        dimensione = t.tabella.dimensione
        if dimensione == Dimensione.ENTE and pc.anni and not placed_per_capita:
            trend = _trend(piano, pc)
            if trend.rows:
                blocchi.append(("figura", Figura(trend, FONTE)))
            blocchi.append(("tabella", _per_capita_table(pc)))
            placed_per_capita = True
        chart = charts_after.pop(dimensione, None)
        if chart is not None and chart.rows:
            blocchi.append(("figura", Figura(chart, FONTE)))
    blocchi += scolastiche
    number_blocks(blocchi, "spesa")
    return {"blocchi": blocchi, "sintesi": _sintesi(ambito.nome, pc)}


def _sintesi(nome: str, pc: ProCapite) -> str:
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
