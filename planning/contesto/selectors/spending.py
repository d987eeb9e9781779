"""Spending tables computed from the facts: each table as rows × years with the computed totals and two kinds of
checks, the printed totals of the document (`ValoreStampato`) and, for complete tables, the reference total (the
entity's spending of the «ente» table, e.g. Tab. 8, or 100% for shares)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from territory.models import Ambito

from ...models import Dimensione, Ente, Grandezza, Misura, SpesaSociale, TabellaSpesa, ValoreStampato, VoceSpesa
from .facts import (
    CENTO,
    ZERO,
    Controllo,
    area_totals,
    ente_totals,
    half_unit,
    printed_all,
    printed_check,
    quantize,
    tables_and_facts,
    variazione,
)


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


@dataclass
class _Totals:
    """The totals a table's reference checks compare with."""

    enti: dict
    aree: dict
    ente_codici: dict[int, str]


def _righe(facts: list[SpesaSociale], anni: list[int]) -> list[RigaSpesa]:
    by_voce: dict[int, dict[int, SpesaSociale]] = defaultdict(dict)
    voci: dict[int, VoceSpesa] = {}
    for f in facts:
        by_voce[f.voce_id][f.anno] = f
        voci[f.voce_id] = f.voce
    return [
        RigaSpesa(
            voce=voci[voce_id],
            valori=[per_anno[a].valore if a in per_anno else None for a in anni],
            presenti=[a in per_anno for a in anni],
        )
        for voce_id, per_anno in sorted(by_voce.items(), key=lambda kv: (voci[kv[0]].ordine, voci[kv[0]].nome))
    ]


def _totali(righe: list[RigaSpesa], n_anni: int) -> list[Decimal | None]:
    totali: list[Decimal | None] = []
    for i in range(n_anni):
        present = [r.valori[i] or ZERO for r in righe if r.presenti[i]]
        totali.append(sum(present, ZERO) if present else None)
    return totali


def _printed_rows(table: SpendingTable, printed: list[ValoreStampato]) -> list[RigaControllo]:
    """Printed totals of the table (ValoreStampato of grandezza SPESA / QUOTE attached to it), one row per label."""
    t = table.tabella
    stampati = [p for p in printed if p.tabella_id == t.pk and p.grandezza in (Grandezza.SPESA, Grandezza.QUOTE)]
    rows = []
    for label in sorted({p.etichetta for p in stampati}):
        cells: list[Controllo | None] = []
        for i, anno in enumerate(table.anni):
            p = next((p for p in stampati if p.etichetta == label and p.anno == anno), None)
            tolleranza = max(t.tolleranza, half_unit(p.decimali)) if p else ZERO
            cells.append(printed_check(p, table.totali[i], tolleranza) if p else None)
        rows.append(RigaControllo(f"{label} (stampato)", cells))
    return rows


def _reference(t: TabellaSpesa, anno: int, totals: _Totals) -> tuple[Decimal | None, str]:
    """The reference total of a complete table for a year, and its label."""
    if t.misura == Misura.QUOTA:
        return CENTO, "Somma attesa delle quote"
    if t.area_id:
        return totals.aree.get((t.ambito_id, t.ente, t.area_id, anno)), f"Spesa dell'area «{t.area}» (tabella per aree)"
    source = totals.ente_codici.get(t.ambito_id)
    label = f"Spesa totale: {Ente(t.ente).label}" + (f" ({source})" if source else "")
    return totals.enti.get((t.ambito_id, t.ente, anno)), label


def _reference_row(table: SpendingTable, totals: _Totals) -> RigaControllo | None:
    """Reference totals: the whole spending of the entity (or 100% for shares), for complete tables."""
    t = table.tabella
    if not t.completa or t.dimensione == Dimensione.ENTE:
        return None
    decimali = 1 if t.misura == Misura.QUOTA else 2
    cells: list[Controllo | None] = []
    label = ""
    for i, anno in enumerate(table.anni):
        if table.totali[i] is None:
            cells.append(None)
            continue
        ref, label = _reference(t, anno, totals)
        cells.append(
            Controllo(
                etichetta=label,
                anno=anno,
                atteso=ref,
                calcolato=table.totali[i],
                tolleranza=t.tolleranza,
                decimali=decimali,
                stampato=False,
                riferimento=t.codice,
            )
            if ref is not None
            else None
        )
    return RigaControllo(label, cells, stampato=False) if any(cells) else None


def _printed_variations(table: SpendingTable, printed: list[ValoreStampato]) -> None:
    """Printed variations per row (e.g. Tab. 11 «Variazione %»)."""
    t = table.tabella
    variazioni = {p.voce_id: p for p in printed if p.tabella_id == t.pk and p.grandezza == Grandezza.VARIAZIONE}
    for riga in table.righe:
        p = variazioni.get(riga.voce.pk)
        if p:
            values = dict(zip(table.anni, riga.valori, strict=True))
            calc = variazione(values.get(p.anno_base), values.get(p.anno))
            riga.variazione_stampata = Controllo(
                etichetta=f"Variazione % {riga.voce.nome}", anno=p.anno, atteso=p.valore,
                calcolato=quantize(calc, 4) if calc is not None else None, tolleranza=half_unit(p.decimali),
                decimali=p.decimali, riferimento=p.riferimento, documento=p.documento, oggetto=p,
            )  # fmt: skip


def _build_table(
    t: TabellaSpesa, facts: list[SpesaSociale], totals: _Totals, printed: list[ValoreStampato]
) -> SpendingTable:
    anni = sorted({f.anno for f in facts})
    righe = _righe(facts, anni)
    table = SpendingTable(tabella=t, anni=anni, righe=righe, totali=_totali(righe, len(anni)))
    table.controlli.extend(_printed_rows(table, printed))
    reference = _reference_row(table, totals)
    if reference is not None:
        table.controlli.append(reference)
    _printed_variations(table, printed)
    return table


def spending_tables(ambito: Ambito) -> list[SpendingTable]:
    """Every spending table of the Ambito and of its sub-ambiti, computed from the facts, with checks.

    Each item has `codice`, `titolo`, `anni`, `righe` (voce, one value per year, computed variation, printed
    variation check), `totali` (computed sums per year), `controlli` (rows of printed totals and reference
    totals, one `Controllo` per year with `atteso`, `calcolato`, `differenza`, `difforme`) and `discrepanze`.
    """
    _ids, tabelle, facts = tables_and_facts(ambito)
    printed = [p for p in printed_all(ambito) if p.tabella_id in tabelle]
    by_table: dict[int, list[SpesaSociale]] = defaultdict(list)
    for f in facts:
        by_table[f.tabella_id].append(f)
    ordered = sorted(tabelle.values(), key=lambda t: (t.ambito_id != ambito.pk, t.ambito.nome, t.ordine, t.pk))
    totals = _Totals(
        enti=ente_totals(facts, tabelle),
        aree=area_totals(facts, tabelle),
        ente_codici={t.ambito_id: t.codice for t in ordered if t.dimensione == Dimensione.ENTE},
    )
    return [_build_table(t, by_table.get(t.pk, []), totals, printed) for t in ordered]


def spending_table(tabella: TabellaSpesa) -> SpendingTable:
    """One spending table, computed as in `spending_tables` of its Ambito."""
    return next(x for x in spending_tables(tabella.ambito) if x.tabella.pk == tabella.pk)
