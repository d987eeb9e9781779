"""Read side of the quarterly snapshots: progress by area of one snapshot (actions realised, indicators against
the year's target) and the trend across the quarters, in a fixed number of queries whatever the size of the plan;
the lists, history and entry rows of the snapshot pages.

Report-facing: `latest_snapshot(piano)`, `area_progress(rilevazione)`, `progress_trend(piano)`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery

from planning.models import Area, Obiettivo, PianoDiZona, StatoAzione, TargetIndicatore
from planning.piano.history import modifiche

from .models import Rilevazione, StatoAzioneRilevato, StatoRilevazione, ValoreIndicatoreRilevato

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
        return _etichetta(self.codice, self.titolo)

    @property
    def stati(self) -> list[tuple[str, int]]:
        return [(str(StatoAzione(s).label), n) for s, n in self.conteggi.items() if n]


def _etichetta(codice: str, titolo: str) -> str:
    """A group's name: an area's «A. Title» (Area.etichetta); a sub-ambito, or the objectives without area, by title."""
    return Area.etichetta(codice, titolo) if codice and codice != SENZA_AREA else titolo


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
        labels[key] = (_etichetta(codice, titolo), ordine)
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
        labels.setdefault(key, (_etichetta(codice, titolo), ordine))
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


# --- The snapshots of a plan --------------------------------------------------------------------------------


def rilevazione_aperta(piano: PianoDiZona) -> Rilevazione | None:
    """The plan's open snapshot (there is at most one)."""
    return piano.rilevazioni.filter(stato=StatoRilevazione.APERTA).first()


def prossimo_trimestre(piano: PianoDiZona) -> tuple[int, int]:
    """The quarter after the latest snapshot (or the first quarter of the plan)."""
    last = piano.rilevazioni.order_by("-anno", "-trimestre").first()
    if last is None:
        return piano.anno_inizio, 1
    return (last.anno + 1, 1) if last.trimestre == 4 else (last.anno, last.trimestre + 1)


def rilevazione_precedente(rilevazione: Rilevazione) -> Rilevazione | None:
    return (
        Rilevazione.objects.filter(piano=rilevazione.piano)
        .exclude(pk=rilevazione.pk)
        .filter(anno__lte=rilevazione.anno)
        .exclude(anno=rilevazione.anno, trimestre__gt=rilevazione.trimestre)
        .order_by("-anno", "-trimestre")
        .first()
    )


def rilevazioni_lista(piano: PianoDiZona) -> QuerySet[Rilevazione]:
    """The plan's snapshots, the latest first, with their counts of actions and indicators."""
    return (
        Rilevazione.objects.filter(piano=piano)
        .select_related("chiusa_da")
        .annotate(
            n_azioni=Count("stati_azioni", distinct=True),
            n_realizzate=Count("stati_azioni", filter=Q(stati_azioni__stato=StatoAzione.REALIZZATA), distinct=True),
            n_indicatori=Count("valori_indicatori", distinct=True),
            n_rilevati=Count("valori_indicatori", filter=Q(valori_indicatori__valore__isnull=False), distinct=True),
        )
        .order_by("-anno", "-trimestre")
    )


def stati_lista(rilevazione: Rilevazione) -> QuerySet[StatoAzioneRilevato]:
    """The action states of a snapshot, with what their table shows."""
    return StatoAzioneRilevato.objects.filter(rilevazione=rilevazione).select_related(
        "azione__intervento__obiettivo__area",
        "azione__intervento__obiettivo__parent__area",
        "azione__intervento__obiettivo__sub_ambito",
    )


def valori_lista(rilevazione: Rilevazione) -> QuerySet[ValoreIndicatoreRilevato]:
    """The indicator values of a snapshot, each with the year's target (`target`)."""
    target = TargetIndicatore.objects.filter(indicatore=OuterRef("indicatore"), anno=rilevazione.anno).values("valore")[
        :1
    ]
    return (
        ValoreIndicatoreRilevato.objects.filter(rilevazione=rilevazione)
        .select_related(
            "indicatore__intervento__obiettivo__area",
            "indicatore__intervento__obiettivo__parent__area",
            "indicatore__intervento__obiettivo__sub_ambito",
        )
        .annotate(target=Subquery(target, output_field=DecimalField(max_digits=14, decimal_places=2)))
    )


def rilevazione_storia(rilevazione: Rilevazione) -> list:
    """The latest changes to the snapshot, its action states and its indicator values (planning.piano.history)."""
    r = rilevazione
    return modifiche(
        [
            ("Rilevazione", r.history.all(), lambda h: h.instance.codice if h.instance else ""),
            (
                "Azione",
                StatoAzioneRilevato.history.filter(rilevazione_id=r.pk).select_related("azione"),
                lambda h: h.azione.titolo if h.azione_id else "",
            ),
            (
                "Indicatore",
                ValoreIndicatoreRilevato.history.filter(rilevazione_id=r.pk).select_related("indicatore"),
                lambda h: h.indicatore.descrizione if h.indicatore_id else "",
            ),
        ],
        limit=40,
    )


# --- Entry form of an open snapshot, one area at a time ------------------------------------------------------


def aree_piano(piano: PianoDiZona) -> list[Area]:
    return list(Area.objects.filter(piano=piano).order_by("ordine", "codice"))


def _in_area(qs: QuerySet, path: str, area: Area | None) -> QuerySet:
    """Rows whose objective (or parent objective) is in `area`; with None, those of objectives without area."""
    return qs.filter(Obiettivo.in_area(f"{path}__obiettivo", area))


def stati_area(rilevazione: Rilevazione, area: Area | None) -> QuerySet[StatoAzioneRilevato]:
    """The action states of one area, in the plan's order."""
    qs = StatoAzioneRilevato.objects.filter(rilevazione=rilevazione).select_related("azione__intervento")
    return _in_area(qs, "azione__intervento", area).order_by("azione__intervento__ordine", "azione__ordine", "pk")


def valori_area(rilevazione: Rilevazione, area: Area | None) -> QuerySet[ValoreIndicatoreRilevato]:
    """The indicator values of one area, in the plan's order."""
    qs = ValoreIndicatoreRilevato.objects.filter(rilevazione=rilevazione).select_related("indicatore__intervento")
    return _in_area(qs, "indicatore__intervento", area).order_by(
        "indicatore__intervento__ordine", "indicatore__ordine", "pk"
    )


def ha_azioni_senza_area(rilevazione: Rilevazione) -> bool:
    """Whether some action of the snapshot belongs to an objective without area."""
    return StatoAzioneRilevato.objects.filter(
        Obiettivo.in_area("azione__intervento__obiettivo", None), rilevazione=rilevazione
    ).exists()


def target_indicatori(indicatori: list[int], anno: int) -> dict[int, Decimal]:
    """The year's target of each indicator (those with one)."""
    rows = TargetIndicatore.objects.filter(indicatore_id__in=indicatori, anno=anno).values_list(
        "indicatore_id", "valore"
    )
    return dict(rows)


def valori_precedenti(precedente: Rilevazione | None, indicatori: list[int]) -> dict[int, Decimal | None]:
    """The indicators' values in the previous snapshot (none without one)."""
    if precedente is None:
        return {}
    return dict(
        precedente.valori_indicatori.filter(indicatore_id__in=indicatori).values_list("indicatore_id", "valore")
    )
