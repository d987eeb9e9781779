"""Chapter «Monitoraggio e valutazione»: per intervention the state, the actions done, the expected results and
impact (card) and the stored indicators with their targets; then the latest quarterly snapshot of the plan
(monitoring.snapshots): progress by area, the progress chart and the indicators measured."""

from __future__ import annotations

from core.formatting import it_number
from monitoring.snapshots.charts import plan_progress
from monitoring.snapshots.risorse import risorse_rilevazione
from monitoring.snapshots.selectors import AreaProgresso, area_progress, latest_snapshot
from planning.models import Intervento, PianoDiZona, StatoAzione
from planning.piano.selectors import interventi_schede, valori_per_chiave

from ..blocks import Figura, Riga, Sottosezione, Tabella, misura, num, number_blocks, pct, perc, structure, text_items

COUNTS = ("azioni", "realizzate", "parziali", "in_corso")


def _avanzamento(rilevazione, aree: list[AreaProgresso], tot: dict[str, int], tot_ind: int) -> Tabella:
    righe = [
        Riga(
            a.etichetta,
            [
                *(num(getattr(a, k)) for k in COUNTS),
                perc(a.pct_realizzate),
                num(a.indicatori_rilevati),
                perc(a.media_target),
            ],
        )
        for a in aree
    ]
    totale = [*(num(tot[k]) for k in COUNTS), perc(pct(tot["realizzate"], tot["azioni"])), num(tot_ind), ""]
    righe.append(Riga("Totale piano", totale, True))
    stato = rilevazione.get_stato_display().lower()
    return Tabella(
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


def _indicatori(rilevazione, aree: list[AreaProgresso]) -> Tabella | None:
    righe = [
        Riga(
            i.indicatore.descrizione,
            [
                i.indicatore.intervento.titolo,
                i.indicatore.get_tipo_display(),
                misura(i.valore),
                misura(i.target),
                perc(i.percentuale),
            ],
        )
        for a in aree
        for i in a.indicatori
        if i.valore is not None
    ]
    if not righe:
        return None
    return Tabella(
        titolo=f"Indicatori rilevati al {rilevazione.codice} rispetto al target {rilevazione.anno}",
        intestazioni=[
            "Indicatore",
            "Intervento",
            "Tipo",
            "Valore rilevato",
            f"Target {rilevazione.anno}",
            "% del target",
        ],
        righe=righe,
        classe="indicatori-rilevati",
        classi=["testo", "testo", "num", "num", "num"],
    )


def _risorse(rilevazione) -> Tabella | None:
    """Planned, committed and paid per intervention at the snapshot's quarter end (monitoring.snapshots.risorse)."""
    risorse = risorse_rilevazione(rilevazione)
    if not risorse.righe:
        return None
    cifre = ("programmato", "impegnato", "liquidato", "da_impegnare")
    righe = [Riga(r.intervento.titolo, [r.area_codice, *(num(getattr(r, k), 2) for k in cifre)]) for r in risorse.righe]
    righe.append(Riga("Totale", ["", *(num(getattr(risorse, k), 2) for k in cifre)], True))
    return Tabella(
        titolo=f"Risorse per intervento alla rilevazione {rilevazione.codice} (€, al {risorse.data:%d/%m/%Y})",
        intestazioni=["Intervento", "Area", "Programmato", "Impegnato", "Liquidato", "Da impegnare"],
        righe=righe,
        fonte="Bilancio del piano: programmato degli anni fino a quello della rilevazione; impegni e liquidazioni "
        "con data fino alla fine del trimestre; area: codice dell'area del piano",
        classe="risorse-rilevazione",
        classi=["testo", "num", "num", "num", "num"],
    )


def snapshot_context(piano: PianoDiZona) -> dict:
    """The latest quarterly snapshot: {"titolo", "rilevazione", "sintesi", "blocchi"}; empty without one."""
    rilevazione = latest_snapshot(piano)
    if rilevazione is None:
        return {}
    aree = area_progress(rilevazione)
    tot = {k: sum(getattr(a, k) for a in aree) for k in COUNTS}
    tot_ind = sum(a.indicatori_rilevati for a in aree)
    blocchi: list[tuple[str, Tabella | Figura]] = [("tabella", _avanzamento(rilevazione, aree, tot, tot_ind))]
    chart = plan_progress(piano)
    if chart.rows:
        blocchi.append(("figura", Figura(chart, f"Rilevazione trimestrale {rilevazione.codice}.")))
    indicatori = _indicatori(rilevazione, aree)
    if indicatori is not None:
        blocchi.append(("tabella", indicatori))
    risorse = _risorse(rilevazione)
    if risorse is not None:
        blocchi.append(("tabella", risorse))
    number_blocks(blocchi, "rilevazione")
    stato = rilevazione.get_stato_display().lower()
    sintesi = (
        f"Alla rilevazione {rilevazione.codice} ({stato}) risultano realizzate {it_number(tot['realizzate'])} "
        f"azioni su {it_number(tot['azioni'])} ({perc(pct(tot['realizzate'], tot['azioni']))}), "
        f"{it_number(tot['in_corso'])} in corso; sono stati rilevati {it_number(tot_ind)} indicatori."
    )
    if rilevazione.dimostrativa:
        sintesi += " I valori di questa rilevazione sono dimostrativi."
    return {"titolo": rilevazione.codice, "rilevazione": rilevazione, "sintesi": sintesi, "blocchi": blocchi}


def _riga(intervento: Intervento) -> dict:
    valori = valori_per_chiave(intervento)
    azioni = list(intervento.azioni.all())
    return {
        "intervento": intervento,
        "azioni": len(azioni),
        "realizzate": sum(1 for a in azioni if a.stato == StatoAzione.REALIZZATA),
        "risultati": text_items(valori["risultati"].testo) if "risultati" in valori else [],
        "impatto": text_items(valori["impatto"].testo) if "impatto" in valori else [],
        "indicatori": list(intervento.indicatori.all()),
    }


def monitoraggio_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    interventi = interventi if interventi is not None else interventi_schede(piano)
    gruppi = structure(piano, "mon", interventi)
    for g in gruppi:
        g.righe = [_riga(i) for i in g.interventi]
    snapshot = snapshot_context(piano)
    sottosezioni = [Sottosezione("Il quadro degli indicatori per intervento", "sez-indicatori")]
    if snapshot:
        sottosezioni.append(Sottosezione("L'ultima rilevazione trimestrale", "sez-rilevazione"))
    return {
        "gruppi": gruppi,
        "anni": piano.anni,
        "n_indicatori": sum(len(r["indicatori"]) for g in gruppi for r in g.righe),
        "snapshot": snapshot,
        "sottosezioni": sottosezioni,
    }
