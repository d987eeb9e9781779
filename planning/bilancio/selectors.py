"""Reads of the plan's budget: the lines with what is committed and paid, totals by area, fund and year (always
sums of the lines, computed in the database), each allocation's available amount, the quotas at risk, the
Comuni's shares. A fixed number of queries whatever the number of lines."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from ..models import (
    Assegnazione,
    Intervento,
    Movimento,
    Obiettivo,
    PianoDiZona,
    QuotaComune,
    RigaBilancio,
    TipoMovimento,
)

ZERO = Decimal(0)
SENZA_AREA = "Senza area"  # the row of the lines whose objective has no area (nor its strategic objective)
RISK_DAYS = 90  # a quota is at risk when its spending deadline is this close and part of it is not committed
_MONEY = DecimalField(max_digits=16, decimal_places=2)


def _total(expression) -> Coalesce:
    return Coalesce(expression, Value(ZERO), output_field=_MONEY)


def righe(piano: PianoDiZona) -> QuerySet[RigaBilancio]:
    """The plan's budget lines with `impegnato`, `liquidato` and `da_impegnare` (programmed minus committed)."""
    return (
        RigaBilancio.objects.filter(piano=piano)
        .select_related(
            "intervento__obiettivo__area", "intervento__obiettivo__parent__area", "assegnazione__fondo", "piano"
        )
        .annotate(
            impegnato=_total(Sum("movimenti__importo", filter=Q(movimenti__tipo=TipoMovimento.IMPEGNO))),
            liquidato=_total(Sum("movimenti__importo", filter=Q(movimenti__tipo=TipoMovimento.LIQUIDAZIONE))),
        )
    )


@dataclass
class Grid:
    """Totals by one key (area or fund) and year: rows in order, one column per year of the plan."""

    years: list[int]
    rows: list[tuple[str, list[Decimal], Decimal]] = field(default_factory=list)  # (label, per year, total)
    column_totals: list[Decimal] = field(default_factory=list)
    total: Decimal = ZERO


def _yearly_totals(piano: PianoDiZona, *fields: str, **expressions) -> list[dict]:
    """The amounts of the plan's lines summed by year and by `fields` and `expressions` (one grouped query)."""
    lines = RigaBilancio.objects.filter(piano=piano)
    return list(lines.values(*fields, "anno", **expressions).annotate(totale=Sum("importo")).order_by())


def _grid(piano: PianoDiZona, values: list[dict], key: str, label: str, order: list) -> Grid:
    years = list(range(piano.anno_inizio, piano.anno_fine + 1))
    cells: dict[Any, dict[int, Decimal]] = defaultdict(dict)
    labels: dict[Any, str] = {}
    for v in values:
        cells[v[key]][v["anno"]] = v["totale"]
        labels[v[key]] = v[label]
    grid = Grid(years=years)
    for k in [k for k in order if k in cells]:
        per_year = [cells[k].get(y, ZERO) for y in years]
        grid.rows.append((labels[k], per_year, sum(per_year, ZERO)))
    grid.column_totals = [sum((r[1][i] for r in grid.rows), ZERO) for i in range(len(years))]
    grid.total = sum(grid.column_totals, ZERO)
    return grid


def totale_per_area(piano: PianoDiZona) -> Grid:
    """By the area of each line's objective (its own, else its strategic objective's: Obiettivo.area_effettiva), in
    the plan's order of the areas; the lines of objectives without any area in a last row «Senza area», so that
    the grid adds up to the plan's total like the one by fund."""
    values = _yearly_totals(piano, area_id=Obiettivo.area_effettiva_in("intervento__obiettivo"))
    aree = list(piano.aree.order_by("ordine", "codice"))
    labels: dict[int | None, str] = {a.pk: str(a) for a in aree} | {None: SENZA_AREA}
    for v in values:
        v["area"] = labels[v["area_id"]]
    return _grid(piano, values, "area_id", "area", [*(a.pk for a in aree), None])


def totale_per_fondo(piano: PianoDiZona) -> Grid:
    values = _yearly_totals(piano, "assegnazione__fondo__codice", "assegnazione__fondo__nome")
    order = list(
        Assegnazione.objects.filter(piano=piano)
        .order_by("fondo__ordine", "fondo__codice")
        .values_list("fondo__codice", flat=True)
        .distinct()
    )
    return _grid(piano, values, "assegnazione__fondo__codice", "assegnazione__fondo__nome", list(dict.fromkeys(order)))


def assegnazioni(piano: PianoDiZona) -> QuerySet[Assegnazione]:
    """The plan's allocations with `ripartito` (sum of their lines), `impegnato`, `liquidato`; `disponibile` is
    importo − ripartito (a property-free annotation, for the tables and exports)."""
    return (
        Assegnazione.objects.filter(piano=piano)
        .select_related("fondo", "piano")
        .prefetch_related("aree")
        .annotate(
            ripartito=_total(Sum("righe__importo")),
        )
        .order_by("fondo__ordine", "fondo__codice", "anno")
    )


def assegnazioni_con_movimenti(piano: PianoDiZona) -> list[Assegnazione]:
    """`assegnazioni` with `impegnato` and `liquidato` summed over their lines (two grouped queries, no join
    fan-out), and `disponibile` and `da_impegnare`."""
    rows = list(assegnazioni(piano))
    moves = (
        RigaBilancio.objects.filter(piano=piano)
        .values("assegnazione")
        .annotate(
            impegnato=_total(Sum("movimenti__importo", filter=Q(movimenti__tipo=TipoMovimento.IMPEGNO))),
            liquidato=_total(Sum("movimenti__importo", filter=Q(movimenti__tipo=TipoMovimento.LIQUIDAZIONE))),
        )
        .order_by()
    )
    by_id = {m["assegnazione"]: m for m in moves}
    for a in rows:
        m = by_id.get(a.pk, {})
        a.impegnato = m.get("impegnato", ZERO)  # type: ignore[attr-defined]
        a.liquidato = m.get("liquidato", ZERO)  # type: ignore[attr-defined]
        a.disponibile = a.importo - a.ripartito  # type: ignore[attr-defined]
        a.da_impegnare = a.ripartito - a.impegnato  # type: ignore[attr-defined]
    return rows


def a_rischio(piano: PianoDiZona, oggi: datetime.date, giorni: int = RISK_DAYS) -> list[RigaBilancio]:
    """The lines with a part planned but not committed whose fund must be spent within `giorni` days from `oggi`
    (deadline from today to today + giorni, both included), the nearest deadline first."""
    limite = oggi + datetime.timedelta(days=giorni)
    lines = righe(piano).filter(assegnazione__scadenza_spesa__gte=oggi, assegnazione__scadenza_spesa__lte=limite)
    at_risk = [r for r in lines if r.importo - r.impegnato > 0]  # type: ignore[attr-defined]
    for r in at_risk:
        r.da_impegnare = r.importo - r.impegnato  # type: ignore[attr-defined]
        r.giorni = (r.assegnazione.scadenza_spesa - oggi).days  # type: ignore[attr-defined,operator]
    return sorted(at_risk, key=lambda r: (r.assegnazione.scadenza_spesa, r.assegnazione.fondo.codice, r.pk))


def quote(piano: PianoDiZona, comune_ids: list[str] | None = None) -> QuerySet[QuotaComune]:
    """The Comuni's yearly shares with `versato` (sum of their payments) and `da_versare`."""
    qs = QuotaComune.objects.filter(piano=piano).select_related("comune")
    if comune_ids is not None:
        qs = qs.filter(comune__in=comune_ids)
    return qs.annotate(versato=_total(Sum("versamenti__importo"))).order_by("comune__nome", "anno")


@dataclass
class QuoteTable:
    """The shares by Comune (rows) and year (columns), with what each Comune has paid."""

    years: list[int]
    rows: list[tuple[object, list[Decimal], Decimal, Decimal]]  # (Comune, due per year, total due, total paid)
    column_totals: list[Decimal]
    total: Decimal
    paid: Decimal


def quote_table(piano: PianoDiZona, comune_ids: list[str] | None = None) -> QuoteTable:
    years = list(range(piano.anno_inizio, piano.anno_fine + 1))
    by_comune: dict[str, dict] = {}
    for q in quote(piano, comune_ids):
        entry = by_comune.setdefault(q.comune_id, {"comune": q.comune, "due": {}, "paid": ZERO})
        entry["due"][q.anno] = q.dovuto
        entry["paid"] += q.versato  # type: ignore[attr-defined]
    rows = []
    for entry in by_comune.values():
        due = [entry["due"].get(y, ZERO) for y in years]
        rows.append((entry["comune"], due, sum(due, ZERO), entry["paid"]))
    column_totals = [sum((r[1][i] for r in rows), ZERO) for i in range(len(years))]
    return QuoteTable(years, rows, column_totals, sum(column_totals, ZERO), sum((r[3] for r in rows), ZERO))


# --- The money at a date (the quarterly snapshots) -------------------------------------------------------------


@dataclass
class RisorseIntervento:
    """One intervention's money at a date: programmato (lines of the plan's years up to the date's year),
    impegnato and liquidato (movements on those lines dated up to the date)."""

    intervento: Intervento
    programmato: Decimal = ZERO
    impegnato: Decimal = ZERO
    liquidato: Decimal = ZERO

    @property
    def area(self) -> str:
        area = self.intervento.obiettivo.area_effettiva
        return str(area) if area else ""

    @property
    def area_codice(self) -> str:
        area = self.intervento.obiettivo.area_effettiva
        return area.codice if area else ""

    @property
    def da_impegnare(self) -> Decimal:
        return self.programmato - self.impegnato


@dataclass
class RisorseAllaData:
    data: datetime.date
    righe: list[RisorseIntervento]

    def _sum(self, name: str) -> Decimal:
        return sum((getattr(r, name) for r in self.righe), ZERO)

    @property
    def programmato(self) -> Decimal:
        return self._sum("programmato")

    @property
    def impegnato(self) -> Decimal:
        return self._sum("impegnato")

    @property
    def liquidato(self) -> Decimal:
        return self._sum("liquidato")

    @property
    def da_impegnare(self) -> Decimal:
        return self.programmato - self.impegnato


def risorse_alla_data(piano: PianoDiZona, data: datetime.date) -> RisorseAllaData:
    """Per intervention with budget lines in the plan's years up to `data`'s year: programmato, and impegnato and
    liquidato from the movements dated on or before `data`, in the plan's order. Three queries, whatever the
    number of lines and movements."""
    lines = RigaBilancio.objects.filter(piano=piano, anno__lte=data.year)
    programmato = dict(lines.values("intervento").annotate(t=Sum("importo")).order_by().values_list("intervento", "t"))
    moves = (
        Movimento.objects.filter(riga__in=lines, data__lte=data)
        .values("riga__intervento")
        .annotate(
            impegnato=Sum("importo", filter=Q(tipo=TipoMovimento.IMPEGNO)),
            liquidato=Sum("importo", filter=Q(tipo=TipoMovimento.LIQUIDAZIONE)),
        )
        .order_by()
    )
    by_intervento = {m["riga__intervento"]: m for m in moves}
    interventi = (
        Intervento.objects.filter(pk__in=programmato)
        .select_related("obiettivo__area", "obiettivo__parent__area")
        .order_by(*Obiettivo.ordine_per_area("obiettivo"), "ordine", "pk")
    )
    righe = []
    for i in interventi:
        m = by_intervento.get(i.pk, {})
        righe.append(RisorseIntervento(i, programmato[i.pk], m.get("impegnato") or ZERO, m.get("liquidato") or ZERO))
    return RisorseAllaData(data, righe)


def righe_per_assegnazione(assegnazione_ids: list[int]) -> dict[int, list[RigaBilancio]]:
    """The lines of these allocations with `impegnato`, `liquidato` and `da_impegnare`, by allocation (one query,
    for the reminders of the funds' deadlines)."""
    out: dict[int, list[RigaBilancio]] = defaultdict(list)
    lines = (
        RigaBilancio.objects.filter(assegnazione_id__in=assegnazione_ids)
        .select_related("intervento", "assegnazione__fondo")
        .annotate(
            impegnato=_total(Sum("movimenti__importo", filter=Q(movimenti__tipo=TipoMovimento.IMPEGNO))),
            liquidato=_total(Sum("movimenti__importo", filter=Q(movimenti__tipo=TipoMovimento.LIQUIDAZIONE))),
        )
        .order_by("anno", "intervento__ordine", "pk")
    )
    for r in lines:
        r.da_impegnare = r.importo - r.impegnato  # type: ignore[attr-defined]
        out[r.assegnazione_id].append(r)
    return out
