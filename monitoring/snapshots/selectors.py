"""Read side of the quarterly snapshots: progress by area of one snapshot (actions realised, indicators against
the year's target) and the trend across the quarters. A fixed number of queries whatever the size of the plan.

Report-facing: `latest_snapshot(piano)`, `area_progress(rilevazione)`, `progress_trend(piano)`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from planning.models import Area, PianoDiZona, StatoAzione, TargetIndicatore

from .models import Rilevazione, StatoAzioneRilevato, ValoreIndicatoreRilevato

ONE = Decimal("0.1")
SENZA_AREA = "—"


def latest_snapshot(piano: PianoDiZona, *, solo_chiuse: bool = False) -> Rilevazione | None:
    """The most recent quarterly snapshot of the plan (optionally only among the closed ones), or None."""
    qs = Rilevazione.objects.filter(piano=piano)
    if solo_chiuse:
        qs = qs.filter(stato="chiusa")
    return qs.select_related("piano__ambito").order_by("-anno", "-trimestre").first()


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE, rounding=ROUND_HALF_UP)


@dataclass
class IndicatoreProgresso:
    voce: ValoreIndicatoreRilevato
    target: Decimal | None

    @property
    def indicatore(self):
        return self.voce.indicatore

    @property
    def valore(self) -> Decimal | None:
        return self.voce.valore

    @property
    def percentuale(self) -> Decimal | None:
        """Value over the year's target (not capped), one decimal."""
        if self.valore is None or not self.target:
            return None
        return (self.valore * 100 / self.target).quantize(ONE, rounding=ROUND_HALF_UP)


@dataclass
class AreaProgresso:
    """Progress of one area of the plan in one snapshot."""

    chiave: str
    codice: str
    titolo: str
    ordine: int
    conteggi: dict[str, int] = field(default_factory=dict)
    indicatori: list[IndicatoreProgresso] = field(default_factory=list)

    @property
    def azioni(self) -> int:
        return sum(self.conteggi.values())

    @property
    def realizzate(self) -> int:
        return self.conteggi.get(StatoAzione.REALIZZATA, 0)

    @property
    def parziali(self) -> int:
        return self.conteggi.get(StatoAzione.PARZIALMENTE_REALIZZATA, 0)

    @property
    def in_corso(self) -> int:
        return self.conteggi.get(StatoAzione.IN_CORSO, 0)

    @property
    def pct_realizzate(self) -> Decimal | None:
        return _pct(self.realizzate, self.azioni)

    @property
    def indicatori_rilevati(self) -> int:
        return sum(1 for i in self.indicatori if i.valore is not None)

    @property
    def media_target(self) -> Decimal | None:
        """Mean achievement of the year's targets over the measured indicators with a target, each capped at 100%."""
        values = [min(i.percentuale, Decimal(100)) for i in self.indicatori if i.percentuale is not None]
        if not values:
            return None
        return (sum(values, Decimal(0)) / len(values)).quantize(ONE, rounding=ROUND_HALF_UP)

    @property
    def etichetta(self) -> str:
        return f"{self.codice}. {self.titolo}" if self.codice and self.codice != SENZA_AREA else self.titolo

    @property
    def stati(self) -> list[tuple[str, int]]:
        return [(str(StatoAzione(s).label), n) for s, n in self.conteggi.items() if n]


def _group(area_id, parent_area_id, sub_nome, areas: dict[int, Area]) -> tuple[str, str, str, int]:
    area = areas.get(area_id) or areas.get(parent_area_id)
    if area is not None:
        return f"a{area.pk}", area.codice, area.titolo, area.ordine
    if sub_nome:
        return f"s-{sub_nome}", "", sub_nome, 900
    return "none", SENZA_AREA, "Obiettivi senza area", 999


AREA_FIELDS = (
    "azione__intervento__obiettivo__area_id",
    "azione__intervento__obiettivo__parent__area_id",
    "azione__intervento__obiettivo__sub_ambito__nome",
)
IND_FIELDS = (
    "indicatore__intervento__obiettivo__area_id",
    "indicatore__intervento__obiettivo__parent__area_id",
    "indicatore__intervento__obiettivo__sub_ambito__nome",
)


def area_progress(rilevazione: Rilevazione) -> list[AreaProgresso]:
    """Progress by area of one snapshot: action counts by state and the indicators with the year's target."""
    areas = {a.pk: a for a in Area.objects.filter(piano_id=rilevazione.piano_id)}
    groups: dict[str, AreaProgresso] = {}

    def get(key_parts) -> AreaProgresso:
        key, codice, titolo, ordine = _group(*key_parts, areas)
        if key not in groups:
            groups[key] = AreaProgresso(key, codice, titolo, ordine)
        return groups[key]

    for row in (
        StatoAzioneRilevato.objects.filter(rilevazione=rilevazione)
        .values(*AREA_FIELDS, "stato")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        g = get([row[f] for f in AREA_FIELDS])
        g.conteggi[row["stato"]] = g.conteggi.get(row["stato"], 0) + row["n"]
    voci = list(
        ValoreIndicatoreRilevato.objects.filter(rilevazione=rilevazione)
        .select_related(
            "indicatore__intervento__obiettivo__area",
            "indicatore__intervento__obiettivo__parent",
            "indicatore__intervento__obiettivo__sub_ambito",
        )
        .order_by("indicatore__intervento__ordine", "indicatore__ordine", "pk")
    )
    targets = dict(
        TargetIndicatore.objects.filter(
            indicatore_id__in=[v.indicatore_id for v in voci], anno=rilevazione.anno
        ).values_list("indicatore_id", "valore")
    )
    for v in voci:
        o = v.indicatore.intervento.obiettivo
        g = get([o.area_id, o.parent.area_id if o.parent_id else None, o.sub_ambito.nome if o.sub_ambito_id else None])
        g.indicatori.append(IndicatoreProgresso(v, targets.get(v.indicatore_id)))
    return sorted(groups.values(), key=lambda g: (g.ordine, g.codice, g.titolo))


@dataclass
class Andamento:
    """Per snapshot (in order) and per area: % of actions realised and mean achievement of the targets."""

    rilevazioni: list[Rilevazione]
    aree: list[tuple[str, str]]  # (key, label)
    pct_realizzate: dict[str, list[Decimal | None]]
    media_target: dict[str, list[Decimal | None]]
    valori: dict[int, list[Decimal | None]]  # indicator id → value per snapshot


def progress_trend(piano: PianoDiZona) -> Andamento:
    """The trend across every snapshot of the plan, in 4 queries."""
    rilevazioni = list(Rilevazione.objects.filter(piano=piano).order_by("anno", "trimestre"))
    index = {r.pk: i for i, r in enumerate(rilevazioni)}
    areas = {a.pk: a for a in Area.objects.filter(piano=piano)}
    counts: dict[str, list[dict[str, int]]] = defaultdict(lambda: [defaultdict(int) for _ in rilevazioni])
    labels: dict[str, tuple[str, int]] = {}
    for row in (
        StatoAzioneRilevato.objects.filter(rilevazione__piano=piano)
        .values("rilevazione_id", *AREA_FIELDS, "stato")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key, codice, titolo, ordine = _group(*[row[f] for f in AREA_FIELDS], areas)
        labels[key] = (f"{codice}. {titolo}" if codice and codice != SENZA_AREA else titolo, ordine)
        counts[key][index[row["rilevazione_id"]]][row["stato"]] += row["n"]
    target_rows = TargetIndicatore.objects.filter(indicatore__intervento__piano=piano).values_list(
        "indicatore_id", "anno", "valore"
    )
    targets = {(i, a): v for i, a, v in target_rows}
    achieved: dict[str, list[list[Decimal]]] = defaultdict(lambda: [[] for _ in rilevazioni])
    valori: dict[int, list[Decimal | None]] = defaultdict(lambda: [None] * len(rilevazioni))
    for row in ValoreIndicatoreRilevato.objects.filter(rilevazione__piano=piano).values(
        "rilevazione_id", "indicatore_id", "valore", *IND_FIELDS
    ):
        i = index[row["rilevazione_id"]]
        valori[row["indicatore_id"]][i] = row["valore"]
        key, codice, titolo, ordine = _group(*[row[f] for f in IND_FIELDS], areas)
        labels.setdefault(key, (f"{codice}. {titolo}" if codice and codice != SENZA_AREA else titolo, ordine))
        target = targets.get((row["indicatore_id"], rilevazioni[i].anno))
        if row["valore"] is not None and target:
            achieved[key][i].append(min(row["valore"] * 100 / target, Decimal(100)))
    ordered = sorted(labels.items(), key=lambda kv: (kv[1][1], kv[1][0]))
    pct = {key: [_pct(c.get(StatoAzione.REALIZZATA, 0), sum(c.values())) for c in counts[key]] for key, _l in ordered}
    media = {
        key: [(sum(v, Decimal(0)) / len(v)).quantize(ONE, rounding=ROUND_HALF_UP) if v else None for v in achieved[key]]
        for key, _l in ordered
    }
    return Andamento(rilevazioni, [(k, lbl) for k, (lbl, _o) in ordered], pct, media, dict(valori))
