"""Spending tables, per-capita figures and printed-figure checks computed from the stored facts.

Every function reads a fixed number of queries for an Ambito (its sub-ambiti included) and computes in Python:
- `spending_tables(ambito)`: each table as rows × years with the computed totals and two kinds of checks, the
  printed totals of the document (`ValoreStampato`) and, for complete tables, the reference total (the entity's
  spending of the «ente» table, e.g. Tab. 8, or 100% for shares);
- `per_capita(ambito)`: spending of the Comuni, of the Ufficio di Piano and of both per resident, by year, with
  year-on-year variations and the printed per-capita values compared;
- `printed_checks(ambito)`: every printed figure recomputed (population totals, spending totals, per-capita
  values, variations). A difference beyond rounding is a discrepancy: shown, never hidden or «fixed».
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from territory.models import Ambito, Comune, Popolazione

from ..models import Dimensione, Ente, Grandezza, Misura, SpesaSociale, TabellaSpesa, ValoreStampato, VoceSpesa

ZERO = Decimal("0")
CENTO = Decimal("100")
CAMPI_POPOLAZIONE = ("totale", "maschi", "femmine", "stranieri", "eta_0_17", "eta_65_oltre")


def _q(value: Decimal | None, decimals: int = 2) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def variazione(first: Decimal | None, last: Decimal | None) -> Decimal | None:
    """Percentage change from `first` to `last` (None when not computable)."""
    if first is None or last is None or not first:
        return None
    return (Decimal(last) - Decimal(first)) * 100 / Decimal(first)


@dataclass
class Controllo:
    """A figure the document prints (or a reference total) compared with the value computed from the facts."""

    etichetta: str
    anno: int
    atteso: Decimal
    calcolato: Decimal | None
    tolleranza: Decimal
    decimali: int = 0
    riferimento: str = ""
    documento: str = ""
    spiegazione: str = ""
    stampato: bool = True
    oggetto: ValoreStampato | None = None

    @property
    def differenza(self) -> Decimal | None:
        return None if self.calcolato is None else self.calcolato - self.atteso

    @property
    def ricalcolabile(self) -> bool:
        return self.calcolato is not None

    @property
    def difforme(self) -> bool:
        if self.calcolato is None:
            return False
        half_unit = Decimal(5).scaleb(-(self.decimali + 1))
        return abs(self.calcolato - self.atteso) > max(self.tolleranza, half_unit)


@dataclass
class RigaSpesa:
    voce: VoceSpesa
    valori: list[Decimal | None]  # one per year; None = nothing reported («-» or empty)
    presenti: list[bool]  # whether a fact exists for the year
    variazione_stampata: Controllo | None = None

    @property
    def etichetta(self) -> str:
        return self.voce.nome

    @property
    def variazione(self) -> Decimal | None:
        """Change from the first to the last year of the table (None unless both are reported)."""
        if len(self.valori) < 2 or not (self.presenti[0] and self.presenti[-1]):
            return None
        return variazione(self.valori[0], self.valori[-1])

    @property
    def differenza(self) -> Decimal | None:
        """Last minus first value (points, for percentage tables)."""
        if len(self.valori) < 2 or not (self.presenti[0] and self.presenti[-1]):
            return None
        return (self.valori[-1] or ZERO) - (self.valori[0] or ZERO)


@dataclass
class RigaControllo:
    """A check row under a table: one Controllo (or None) per year."""

    etichetta: str
    celle: list[Controllo | None]
    stampato: bool = True


@dataclass
class SpendingTable:
    """A spending table computed from the facts (see module docstring). `righe` in the catalogue order."""

    tabella: TabellaSpesa
    anni: list[int]
    righe: list[RigaSpesa]
    totali: list[Decimal | None]
    controlli: list[RigaControllo] = field(default_factory=list)

    @property
    def codice(self) -> str:
        return self.tabella.codice

    @property
    def titolo(self) -> str:
        return self.tabella.titolo

    @property
    def percentuale(self) -> bool:
        return self.tabella.misura == Misura.QUOTA

    @property
    def decimali(self) -> int:
        """1 for shares; 0 when every amount is whole euros (as printed), else 2."""
        if self.percentuale:
            return 1
        values = [v for r in self.righe for v in r.valori if v is not None]
        return 0 if values and all(v == v.to_integral_value() for v in values) else 2

    @property
    def discrepanze(self) -> list[Controllo]:
        out = [c for r in self.controlli for c in r.celle if c is not None and c.difforme]
        out += [r.variazione_stampata for r in self.righe if r.variazione_stampata and r.variazione_stampata.difforme]
        return out

    @property
    def ha_variazioni_stampate(self) -> bool:
        return any(r.variazione_stampata for r in self.righe)


def _ambito_ids(ambito: Ambito) -> list[int]:
    return _cached(ambito, "ids", ambito.with_sub_ambiti_ids)


def _cached(ambito: Ambito, key: str, load):
    """Facts read once per Ambito instance (a page calls several of these functions on the same instance)."""
    cache = ambito.__dict__.setdefault("_contesto_cache", {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def _printed_all(ambito: Ambito) -> list[ValoreStampato]:
    return _cached(
        ambito,
        "printed",
        lambda: list(
            ValoreStampato.objects.filter(ambito_id__in=_ambito_ids(ambito))
            .select_related("ambito", "tabella", "voce", "comune")
            .order_by("ambito__nome", "riferimento", "anno", "pk")
        ),
    )


def clear_cache(ambito: Ambito) -> None:
    ambito.__dict__.pop("_contesto_cache", None)


def _facts(ambito_ids: list[int]) -> list[SpesaSociale]:
    return list(
        SpesaSociale.objects.filter(tabella__ambito_id__in=ambito_ids, comune__isnull=True)
        .select_related("voce")
        .order_by("voce__ordine", "anno")
    )


def ente_totals(facts: list[SpesaSociale], tabelle: dict[int, TabellaSpesa]) -> dict[tuple[int, str, int], Decimal]:
    """(ambito_id, ente, anno) → spending, from the «ente» tables (Comuni, Ufficio di Piano, and both)."""
    out: dict[tuple[int, str, int], Decimal] = {}
    seen: dict[tuple[int, int], set[str]] = defaultdict(set)
    for f in facts:
        t = tabelle[f.tabella_id]
        if (
            t.dimensione != Dimensione.ENTE
            or t.misura != Misura.IMPORTO
            or f.voce.codice not in (Ente.COMUNI, Ente.UDP)
        ):
            continue
        out[(t.ambito_id, f.voce.codice, f.anno)] = f.valore or ZERO
        seen[(t.ambito_id, f.anno)].add(f.voce.codice)
    for (ambito_id, anno), enti in seen.items():
        if enti == {Ente.COMUNI, Ente.UDP}:
            out[(ambito_id, Ente.AMBITO, anno)] = out[(ambito_id, Ente.COMUNI, anno)] + out[(ambito_id, Ente.UDP, anno)]
    return out


def _half_unit(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-(decimals + 1))


def _build_table(
    t: TabellaSpesa,
    facts: list[SpesaSociale],
    totals: dict,
    area_totals: dict,
    printed: list[ValoreStampato],
    ente_codici: dict[int, str] | None = None,
) -> SpendingTable:
    anni = sorted({f.anno for f in facts})
    by_voce: dict[int, dict[int, SpesaSociale]] = defaultdict(dict)
    voci: dict[int, VoceSpesa] = {}
    for f in facts:
        by_voce[f.voce_id][f.anno] = f
        voci[f.voce_id] = f.voce
    righe = []
    for voce_id, per_anno in sorted(by_voce.items(), key=lambda kv: (voci[kv[0]].ordine, voci[kv[0]].nome)):
        righe.append(
            RigaSpesa(
                voce=voci[voce_id],
                valori=[per_anno[a].valore if a in per_anno else None for a in anni],
                presenti=[a in per_anno for a in anni],
            )
        )
    totali: list[Decimal | None] = []
    for i in range(len(anni)):
        present = [r.valori[i] or ZERO for r in righe if r.presenti[i]]
        totali.append(sum(present, ZERO) if present else None)
    table = SpendingTable(tabella=t, anni=anni, righe=righe, totali=totali)
    decimali = 1 if t.misura == Misura.QUOTA else 2
    # Printed totals of the table (ValoreStampato of grandezza SPESA / QUOTE attached to it).
    stampati = [p for p in printed if p.tabella_id == t.pk and p.grandezza in (Grandezza.SPESA, Grandezza.QUOTE)]
    if stampati:
        labels = sorted({p.etichetta for p in stampati})
        for label in labels:
            cells: list[Controllo | None] = []
            for i, anno in enumerate(anni):
                p = next((p for p in stampati if p.etichetta == label and p.anno == anno), None)
                cells.append(
                    Controllo(
                        etichetta=label,
                        anno=anno,
                        atteso=p.valore,
                        calcolato=totali[i],
                        tolleranza=max(t.tolleranza, _half_unit(p.decimali)),
                        decimali=p.decimali,
                        riferimento=p.riferimento,
                        documento=p.documento,
                        oggetto=p,
                    )  # fmt: skip
                    if p
                    else None
                )
            table.controlli.append(RigaControllo(f"{label} (stampato)", cells))
    # Reference totals: the whole spending of the entity (or 100% for shares).
    if t.completa and t.dimensione != Dimensione.ENTE:
        cells = []
        label = ""
        for i, anno in enumerate(anni):
            if totali[i] is None:
                cells.append(None)
                continue
            if t.misura == Misura.QUOTA:
                ref, label = CENTO, "Somma attesa delle quote"
            elif t.area_id:
                ref = area_totals.get((t.ambito_id, t.ente, t.area_id, anno))
                label = f"Spesa dell'area «{t.area}» (tabella per aree)"
            else:
                ref = totals.get((t.ambito_id, t.ente, anno))
                source = (ente_codici or {}).get(t.ambito_id)
                label = f"Spesa totale: {Ente(t.ente).label}" + (f" ({source})" if source else "")
            cells.append(
                Controllo(
                    etichetta=label,
                    anno=anno,
                    atteso=ref,
                    calcolato=totali[i],
                    tolleranza=t.tolleranza,
                    decimali=decimali,
                    stampato=False,
                    riferimento=t.codice,
                )  # fmt: skip
                if ref is not None
                else None
            )
        if any(cells):
            table.controlli.append(RigaControllo(label, cells, stampato=False))
    # Printed variations per row (e.g. Tab. 11 «Variazione %»).
    variazioni = {p.voce_id: p for p in printed if p.tabella_id == t.pk and p.grandezza == Grandezza.VARIAZIONE}
    for riga in righe:
        p = variazioni.get(riga.voce.pk)
        if p:
            values = dict(zip(anni, riga.valori, strict=True))
            calc = variazione(values.get(p.anno_base), values.get(p.anno))
            riga.variazione_stampata = Controllo(
                etichetta=f"Variazione % {riga.voce.nome}", anno=p.anno, atteso=p.valore,
                calcolato=_q(calc, 4) if calc is not None else None, tolleranza=_half_unit(p.decimali),
                decimali=p.decimali, riferimento=p.riferimento, documento=p.documento, oggetto=p,
            )  # fmt: skip
    return table


def _tables_and_facts(ambito: Ambito):
    def load():
        ids = _ambito_ids(ambito)
        tabelle = {t.pk: t for t in TabellaSpesa.objects.filter(ambito_id__in=ids).select_related("ambito", "area")}
        return ids, tabelle, _facts(ids)

    return _cached(ambito, "facts", load)


def _area_totals(facts, tabelle) -> dict:
    out = {}
    for f in facts:
        t = tabelle[f.tabella_id]
        if t.dimensione == Dimensione.AREA and t.misura == Misura.IMPORTO:
            out[(t.ambito_id, t.ente, f.voce_id, f.anno)] = f.valore or ZERO
    return out


def spending_tables(ambito: Ambito) -> list[SpendingTable]:
    """Every spending table of the Ambito and of its sub-ambiti, computed from the facts, with checks.

    Each item has `codice`, `titolo`, `anni`, `righe` (voce, one value per year, computed variation, printed
    variation check), `totali` (computed sums per year), `controlli` (rows of printed totals and reference
    totals, one `Controllo` per year with `atteso`, `calcolato`, `differenza`, `difforme`) and `discrepanze`.
    """
    _ids, tabelle, facts = _tables_and_facts(ambito)
    totals = ente_totals(facts, tabelle)
    area_totals = _area_totals(facts, tabelle)
    printed = [p for p in _printed_all(ambito) if p.tabella_id in tabelle]
    by_table: dict[int, list[SpesaSociale]] = defaultdict(list)
    for f in facts:
        by_table[f.tabella_id].append(f)
    ordered = sorted(tabelle.values(), key=lambda t: (t.ambito_id != ambito.pk, t.ambito.nome, t.ordine, t.pk))
    ente_codici = {t.ambito_id: t.codice for t in ordered if t.dimensione == Dimensione.ENTE}
    return [_build_table(t, by_table.get(t.pk, []), totals, area_totals, printed, ente_codici) for t in ordered]


# --- Population ---------------------------------------------------------------------------------------------


def population_by_year(ambito: Ambito) -> dict[int, dict[str, int | None]]:
    """Year → sums of the population fields over the Comuni of the Ambito (None when a Comune misses the figure)."""
    return _cached(ambito, "population", lambda: _population_by_year(ambito))


def _population_by_year(ambito: Ambito) -> dict[int, dict[str, int | None]]:
    ids = _ambito_ids(ambito)
    n_comuni = Comune.objects.filter(ambito_id__in=ids).count()
    rows = (
        Popolazione.objects.filter(comune__ambito_id__in=ids)
        .values("anno")
        .annotate(
            n=Count("pk"),
            **{f"s_{c}": Sum(c) for c in CAMPI_POPOLAZIONE},
            **{f"n_{c}": Count(c) for c in CAMPI_POPOLAZIONE},
        )
        .order_by("anno")
    )
    out = {}
    for r in rows:
        out[r["anno"]] = {c: (r[f"s_{c}"] if r[f"n_{c}"] == n_comuni else None) for c in CAMPI_POPOLAZIONE}
    return out


# --- Per capita -----------------------------------------------------------------------------------------------


@dataclass
class AnnoProCapite:
    anno: int
    popolazione: int | None
    spesa_comuni: Decimal | None
    spesa_udp: Decimal | None
    spesa_totale: Decimal | None
    pro_capite_comuni: Decimal | None
    pro_capite_totale: Decimal | None
    variazione_totale: Decimal | None = None  # on the previous year
    variazione_pro_capite: Decimal | None = None
    stampato_comuni: Controllo | None = None
    stampato_totale: Controllo | None = None
    media_stampati_comuni: Decimal | None = None  # simple mean of the printed per-capita values of the Comuni


@dataclass
class ProCapite:
    anni: list[AnnoProCapite]
    comuni_stampati: list[tuple[str, list[Decimal | None]]]  # printed per-capita by Comune (not recomputable)
    variazione_periodo: Decimal | None = None
    variazione_periodo_udp: Decimal | None = None

    @property
    def discrepanze(self) -> list[Controllo]:
        return [c for a in self.anni for c in (a.stampato_comuni, a.stampato_totale) if c and c.difforme]


def _div(a, b) -> Decimal | None:
    if a is None or not b:
        return None
    return Decimal(a) / Decimal(b)


def per_capita(ambito: Ambito) -> ProCapite:
    """Spending per resident by year: Comuni only («senza UdP») and Comuni + Ufficio di Piano («con UdP»).

    Per-capita = spending of the year / residents of the same year (sum of the Comuni's population facts).
    """
    _ids, tabelle, facts = _tables_and_facts(ambito)
    totals = ente_totals(facts, tabelle)
    pop = population_by_year(ambito)
    anni = sorted({anno for (amb, _e, anno) in totals if amb == ambito.pk})
    printed = [p for p in _printed_all(ambito) if p.ambito_id == ambito.pk and p.grandezza == Grandezza.PRO_CAPITE]
    out = []
    for anno in anni:
        comuni = totals.get((ambito.pk, Ente.COMUNI, anno))
        udp = totals.get((ambito.pk, Ente.UDP, anno))
        totale = totals.get((ambito.pk, Ente.AMBITO, anno))
        residenti = pop.get(anno, {}).get("totale")
        row = AnnoProCapite(
            anno=anno, popolazione=residenti, spesa_comuni=comuni, spesa_udp=udp, spesa_totale=totale,
            pro_capite_comuni=_div(comuni, residenti), pro_capite_totale=_div(totale, residenti),
        )  # fmt: skip
        per_comune = [p.valore for p in printed if p.anno == anno and p.comune_id]
        if per_comune:
            row.media_stampati_comuni = sum(per_comune, ZERO) / len(per_comune)
        for p in printed:
            if p.anno != anno or p.comune_id:
                continue
            calc = row.pro_capite_comuni if p.ente == Ente.COMUNI else row.pro_capite_totale
            check = Controllo(
                etichetta=p.etichetta, anno=anno, atteso=p.valore, calcolato=calc, tolleranza=_half_unit(p.decimali),
                decimali=p.decimali, riferimento=p.riferimento, documento=p.documento, oggetto=p,
            )  # fmt: skip
            if p.ente == Ente.COMUNI:
                if check.difforme and row.media_stampati_comuni is not None:
                    media = _q(row.media_stampati_comuni, p.decimali)
                    if abs(media - p.valore) <= _half_unit(p.decimali):
                        check.spiegazione = (
                            "Il valore stampato coincide con la media semplice dei pro capite stampati dei Comuni, "
                            "non con la spesa dei Comuni divisa per i residenti."
                        )
                row.stampato_comuni = check
            else:
                row.stampato_totale = check
        out.append(row)
    for prev, cur in zip(out, out[1:], strict=False):
        cur.variazione_totale = variazione(prev.spesa_totale, cur.spesa_totale)
        cur.variazione_pro_capite = variazione(prev.pro_capite_totale, cur.pro_capite_totale)
    comuni_rows: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for p in printed:
        if p.comune_id:
            comuni_rows[p.comune.nome][p.anno] = p.valore
    return ProCapite(
        anni=out,
        comuni_stampati=[(nome, [v.get(a) for a in anni]) for nome, v in sorted(comuni_rows.items())],
        variazione_periodo=variazione(out[0].spesa_totale, out[-1].spesa_totale) if out else None,
        variazione_periodo_udp=variazione(out[0].spesa_udp, out[-1].spesa_udp) if out else None,
    )


# --- Every printed figure ---------------------------------------------------------------------------------------


def printed_checks(ambito: Ambito) -> list[Controllo]:
    """Every figure printed in the documents of the Ambito (and sub-ambiti) compared with the computed value."""
    ids, tabelle, facts = _tables_and_facts(ambito)
    totals = ente_totals(facts, tabelle)
    pops: dict[int, dict[int, dict]] = {}
    table_sums: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for f in facts:
        table_sums[(f.tabella_id, f.anno)] += f.valore or ZERO
    fact_values = {(f.tabella_id, f.voce_id, f.anno): f.valore for f in facts}
    comune_spending = {
        (c, a): v or ZERO
        for c, a, v in SpesaSociale.objects.filter(
            tabella__ambito_id__in=ids, tabella__dimensione=Dimensione.ENTE, voce__codice=Ente.COMUNI,
            comune__isnull=False,
        ).values_list("comune_id", "anno", "valore")
    }  # fmt: skip
    comune_population = (
        dict(
            ((c, a), t)
            for c, a, t in Popolazione.objects.filter(comune_id__in={c for c, _a in comune_spending}).values_list(
                "comune_id", "anno", "totale"
            )
        )
        if comune_spending
        else {}
    )
    out = []
    for p in _printed_all(ambito):
        tol = _half_unit(p.decimali)
        calc: Decimal | None = None
        spiegazione = ""
        if p.grandezza == Grandezza.POPOLAZIONE:
            if p.ambito_id not in pops:
                pops[p.ambito_id] = population_by_year(ambito if p.ambito_id == ambito.pk else p.ambito)
            value = pops[p.ambito_id].get(p.anno, {}).get(p.campo_popolazione)
            calc = Decimal(value) if value is not None else None
            spiegazione = "Somma dei Comuni (i dati dei Comuni sono conservati come stampati)."
        elif p.grandezza in (Grandezza.SPESA, Grandezza.QUOTE):
            if p.tabella_id:
                calc = table_sums.get((p.tabella_id, p.anno))
                tol = max(tol, p.tabella.tolleranza)
            else:
                calc = totals.get((p.ambito_id, p.ente, p.anno))
        elif p.grandezza == Grandezza.PRO_CAPITE:
            if p.comune_id:
                spesa = comune_spending.get((p.comune_id, p.anno))
                calc = _div(spesa, comune_population.get((p.comune_id, p.anno))) if spesa is not None else None
                if spesa is None:
                    spiegazione = "Non ricalcolabile: la spesa del singolo Comune non è tra i fatti registrati."
            else:
                if p.ambito_id not in pops:
                    pops[p.ambito_id] = population_by_year(p.ambito)
                residenti = pops[p.ambito_id].get(p.anno, {}).get("totale")
                calc = _div(totals.get((p.ambito_id, p.ente, p.anno)), residenti)
        elif p.grandezza == Grandezza.VARIAZIONE:
            if p.voce_id and p.tabella_id:
                a = fact_values.get((p.tabella_id, p.voce_id, p.anno_base))
                b = fact_values.get((p.tabella_id, p.voce_id, p.anno))
            else:
                a = totals.get((p.ambito_id, p.ente, p.anno_base))
                b = totals.get((p.ambito_id, p.ente, p.anno))
            calc = variazione(a, b)
        out.append(
            Controllo(
                etichetta=p.etichetta,
                anno=p.anno,
                atteso=p.valore,
                calcolato=calc,
                tolleranza=tol,
                decimali=p.decimali,
                riferimento=p.riferimento,
                documento=p.documento,
                spiegazione=spiegazione,
                oggetto=p,
            )  # fmt: skip
        )
    return out


def spending_by(ambito: Ambito, dimensione: str) -> tuple[int | None, list[tuple[str, Decimal]], str, str]:
    """Latest year, (label, amount) per item of a dimension (amount tables of the Ambito and sub-ambiti), and the
    table codes used and the spending entity when all the tables share it. For «area», intervention tables
    detailing one area are summed by area when there is no table by area."""
    _ids, tabelle, facts = _tables_and_facts(ambito)
    wanted = [t for t in tabelle.values() if t.dimensione == dimensione and t.misura == Misura.IMPORTO]
    grouped_by_area = False
    if not wanted and dimensione == Dimensione.AREA:
        wanted = [t for t in tabelle.values() if t.dimensione == Dimensione.INTERVENTO and t.area_id and t.completa]
        grouped_by_area = True
    if not wanted:
        return None, [], "", ""
    ids = {t.pk for t in wanted}
    chosen = [f for f in facts if f.tabella_id in ids]
    if not chosen:
        return None, [], "", ""
    anno = max(f.anno for f in chosen)
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    order: dict[str, int] = {}
    for f in chosen:
        if f.anno != anno:
            continue
        voce = tabelle[f.tabella_id].area if grouped_by_area else f.voce
        sums[voce.nome] += f.valore or ZERO
        order[voce.nome] = voce.ordine
    items = sorted(sums.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    used = [tabelle[i] for i in ids if any(f.tabella_id == i and f.anno == anno for f in chosen)]
    codici = ", ".join(sorted({t.codice for t in used}))
    enti = {t.ente for t in used}
    ente = str(Ente(enti.pop()).label) if len(enti) == 1 else ""
    return anno, items, codici, ente
