"""Comparison of the indicators of one template (a campaign: NID26 = year 2025) across the Comuni of an Ambito, or
across Ambiti (those of a Regione), against their targets, with each unit's gap to every target.

Every indicator of the template that has targets is compared (in NID26: R21 and R22 against 33%; in SOC26: R01B
against the LEP 1:5.000 and the objective 1:4.000, and R04, the service level, against the Comune's reference level
R05). Values are read from the facts stored on each scheda (`Scheda.indicatori`, see monitoring.indicators), never
from the cells: a constant number of queries whatever the number of Comuni.

The gap to a target (exact, with Decimal) is what the unit lacks to reach it, 0 when it is met:
- a target to reach from below (compare ">=", e.g. coverage ≥ 33%) is a gap in units of the numerator (nursery
  places, users): target × denominator / scale − numerator;
- a target not to exceed (compare "<=", e.g. ≤ 5.000 inhabitants per social worker) is a gap in units of the
  denominator (full-time social workers): numerator × scale / target − denominator.
The gap is rounded UP to the indicator's `gap.decimals` (0 by default: whole places; 2 for social workers, counted
as full-time equivalents like R01), so that adding the gap meets the target; its unit is the indicator's
`gap.unit` in the template ("posti", "assistenti sociali").

Totals are ratios of sums: summed numerators over summed denominators of the units that have both (never a mean of
the units' ratios); the gap of the totals is computed on those sums, and `gap_sums` adds up the units' own gaps
(what every unit needs to reach the target by itself: the units above the target do not make up for the others).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from accounts.scoping import scope
from core.charts import PALETTE, Chart, Reference, bar_chart
from territory.models import Ambito
from territory.selectors import ambito_comuni

from .indicators import _dec
from .models import ModelloScheda, Scheda


@dataclass
class TargetGap:
    """One target of one unit: its value (fixed, or the unit's own cell), whether it is met, the gap to it."""

    label: str
    target: Decimal | None
    met: bool | None
    gap: Decimal | None  # 0 when met, None when the value or the target is unknown
    own: bool = False  # the unit's own target (a cell such as R05), not the same for every unit


@dataclass
class ComparisonRow:
    code: str  # ISTAT code of a Comune, slug of an Ambito
    name: str
    value: Decimal | None  # exact (numerator × scale / denominator)
    numerator: Decimal | None
    denominator: Decimal | None
    targets: list[TargetGap] = field(default_factory=list)
    scheda_id: int | None = None  # the Comune's scheda (None: not started); None for an Ambito
    schede: int = 0  # how many schede the row sums (1 for a Comune with a scheda)

    @property
    def gap(self) -> Decimal | None:
        """The largest gap of the row (to its most demanding target): the sort key."""
        gaps = [t.gap for t in self.targets if t.gap is not None]
        return max(gaps) if gaps else None


@dataclass
class IndicatorComparison:
    code: str
    label: str
    unit: str
    decimals: int
    compare: str  # ">=" (to reach) or "<=" (not to exceed), of the first target
    gap_unit: str
    gap_decimals: int
    target_labels: list[str]
    fixed_targets: list[bool]  # False: each unit has its own target (a cell, e.g. R05), shown in every row
    num_label: str
    den_label: str
    rows: list[ComparisonRow]  # sorted by gap, largest first
    total: ComparisonRow
    gap_sums: list[Decimal]  # per target: the sum of the rows' gaps

    def rounded(self, value: Decimal | None) -> Decimal | None:
        """A value as shown (the indicator's decimals, half up: R01B 2650,52 → 2651)."""
        return None if value is None else value.quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)

    @property
    def gap_totals(self) -> list[tuple[str, Decimal]]:
        """(target label, sum of the rows' gaps to it)."""
        return list(zip(self.target_labels, self.gap_sums, strict=True))

    @property
    def columns(self) -> int:
        return 4 + 2 * len(self.target_labels)

    @property
    def with_value(self) -> int:
        return sum(1 for r in self.rows if r.value is not None)


@dataclass
class Comparison:
    modello: ModelloScheda
    unit_label: str  # "Comune" or "Ambito"
    total_label: str  # "Totale Ambito", "Totale"
    indicators: list[IndicatorComparison]


def ceil_to(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_CEILING)


def target_gap(
    spec: dict,
    t: dict,
    num: Decimal | None,
    den: Decimal | None,
    target: Decimal | None,
    weighted: tuple[Decimal, Decimal] | None = None,
) -> TargetGap:
    """Whether the unit with `num`/`den` meets `target` (the target spec `t` of the indicator `spec`), and its gap.

    `weighted` = (Σ target × weight, Σ weight) of a target averaged over several schede (the totals of a cell target):
    `target` is their quotient, and the comparisons use the sums so that no rounded quotient decides."""
    compare = t.get("compare", ">=")
    if num is None or den is None or target is None or (not den and (compare == ">=" or not num)):
        return TargetGap(t["label"], target, None, None, "value" not in t)
    scale = Decimal(str(spec.get("scale", 1)))
    decimals = int(spec.get("gap", {}).get("decimals", 0))
    tw, w = weighted if weighted else (target, Decimal(1))
    if not den:  # "<=" with inhabitants and no social worker: the ratio is infinite, the gap is not
        met = False
        missing = num * scale * w / tw if tw else Decimal(0)
    elif compare == ">=":
        met = num * scale * w >= tw * den  # value >= target
        missing = tw * den / (w * scale) - num  # numerator units (places, users)
    else:
        met = num * scale * w <= tw * den  # value <= target
        missing = num * scale * w / tw - den if tw else Decimal(0)  # denominator units (social workers)
    gap = Decimal(0) if met else max(ceil_to(missing, decimals), Decimal(0))
    return TargetGap(t["label"], target, met, gap, "value" not in t)


def _row(
    spec: dict,
    code: str,
    name: str,
    num,
    den,
    targets: list[Decimal | None],
    weighted: list[tuple[Decimal, Decimal] | None] | None = None,
    **extra,
) -> ComparisonRow:
    scale = Decimal(str(spec.get("scale", 1)))
    value = num * scale / den if num is not None and den else None
    weighted = weighted or [None] * len(targets)
    gaps = [target_gap(spec, t, num, den, tv, wt) for t, tv, wt in zip(spec["targets"], targets, weighted, strict=True)]
    return ComparisonRow(code, name, value, num, den, gaps, **extra)


class _Sum:
    """The running sums of one unit (an Ambito, the totals): numerators and denominators of the schede with both,
    and per cell target Σ target × weight and Σ weight (the weighted reference level)."""

    def __init__(self, n_targets: int):
        self.num: Decimal | None = None
        self.den: Decimal | None = None
        self.schede = 0
        self.weighted = [[Decimal(0), Decimal(0)] for _ in range(n_targets)]

    def add(self, fact: dict) -> None:
        num, den = _dec(fact.get("num")), _dec(fact.get("den"))
        if num is None or den is None:  # a known zero counts (inhabitants without a social worker)
            return
        self.num = (self.num or Decimal(0)) + num
        self.den = (self.den or Decimal(0)) + den
        self.schede += 1
        for i, pair in enumerate(fact.get("targets") or []):
            if pair and i < len(self.weighted):
                target, weight = _dec(pair[0]), _dec(pair[1])
                if target is not None and weight:
                    self.weighted[i][0] += target * weight
                    self.weighted[i][1] += weight

    def targets(self, spec: dict) -> list[Decimal | None]:
        out: list[Decimal | None] = []
        for i, t in enumerate(spec["targets"]):
            if "value" in t:
                out.append(Decimal(str(t["value"])))
            else:
                total, weight = self.weighted[i]
                out.append(total / weight if weight else None)
        return out

    def row(self, spec: dict, code: str, name: str) -> ComparisonRow:
        weighted: list[tuple[Decimal, Decimal] | None] = [
            None if "value" in t or not self.weighted[i][1] else (self.weighted[i][0], self.weighted[i][1])
            for i, t in enumerate(spec["targets"])
        ]
        return _row(spec, code, name, self.num, self.den, self.targets(spec), weighted, schede=self.schede)


def _unit_targets(spec: dict, fact: dict) -> list[Decimal | None]:
    """The targets of one scheda: fixed, or its own cell (e.g. its reference level R05)."""
    pairs = fact.get("targets") or []
    out: list[Decimal | None] = []
    for i, t in enumerate(spec["targets"]):
        if "value" in t:
            out.append(Decimal(str(t["value"])))
        else:
            out.append(_dec(pairs[i][0]) if i < len(pairs) and pairs[i] else None)
    return out


def _sort(rows: list[ComparisonRow], compare: str) -> list[ComparisonRow]:
    """Largest gap first; equal gaps: the worst value first; rows without a value nor a gap last; then by name."""
    sign = 1 if compare == ">=" else -1

    def key(r: ComparisonRow):
        if r.gap is None:
            return (1, Decimal(0), 0, Decimal(0), r.name)
        if r.value is None:  # a gap without a value: no social worker at all, the worst of equal gaps
            return (0, -r.gap, 0, Decimal(0), r.name)
        return (0, -r.gap, 1, sign * r.value, r.name)

    return sorted(rows, key=key)


def compared_specs(modello: ModelloScheda) -> list[dict]:
    """The indicators of the template that have targets (those the comparison shows)."""
    return [s for s in modello.indicator_definition()["indicatori"] if s.get("targets")]


def _indicator(spec: dict, rows: list[ComparisonRow], total: ComparisonRow) -> IndicatorComparison:
    gap = spec.get("gap", {})
    n = len(spec["targets"])
    sums = [sum((g for r in rows if (g := r.targets[i].gap) is not None), Decimal(0)) for i in range(n)]
    return IndicatorComparison(
        code=spec["code"],
        label=spec["label"],
        unit=spec.get("unit", ""),
        decimals=int(spec.get("decimals", 2)),
        compare=spec["targets"][0].get("compare", ">="),
        gap_unit=gap.get("unit", "unità"),
        gap_decimals=int(gap.get("decimals", 0)),
        target_labels=[t["label"] for t in spec["targets"]],
        fixed_targets=["value" in t for t in spec["targets"]],
        num_label=spec.get("num_label", "Numeratore"),
        den_label=spec.get("den_label", "Denominatore"),
        rows=_sort(rows, spec["targets"][0].get("compare", ">=")),
        total=total,
        gap_sums=sums,
    )


def compare_comuni(ambito: Ambito, modello: ModelloScheda, user) -> Comparison:
    """The indicators of `modello` in each Comune of the Ambito (and of its sub-Ambiti) that `user` sees, a Comune
    without a scheda included (no value), and the Ambito totals. Two queries, the Comuni and their schede (and the
    user's grants once per request; the template's definition when it is not cached in the process)."""
    comuni = list(scope(ambito_comuni(ambito), user).order_by("nome").values_list("codice_istat", "nome"))
    return _compare_comuni(comuni, modello)


def compare_comuni_of(comuni: QuerySet, modello: ModelloScheda) -> Comparison:
    """As `compare_comuni`, for Comuni already scoped (e.g. those a report job was asked for)."""
    return _compare_comuni(list(comuni.order_by("nome").values_list("codice_istat", "nome")), modello)


def _compare_comuni(comuni: list[tuple[str, str]], modello: ModelloScheda) -> Comparison:
    schede = {
        comune_id: (pk, facts)
        for pk, comune_id, facts in Scheda.objects.filter(modello=modello, comune__in=[c for c, _n in comuni])
        .order_by()
        .values_list("pk", "comune_id", "indicatori")
    }
    indicators = []
    for spec in compared_specs(modello):
        total = _Sum(len(spec["targets"]))
        rows = []
        for codice, nome in comuni:
            pk, facts = schede.get(codice, (None, {}))
            fact = (facts or {}).get(spec["code"], {})
            total.add(fact)
            num, den = _dec(fact.get("num")), _dec(fact.get("den"))
            rows.append(
                _row(spec, codice, nome, num, den, _unit_targets(spec, fact), scheda_id=pk, schede=int(pk is not None))
            )
        indicators.append(_indicator(spec, rows, total.row(spec, "", "Totale Ambito")))
    return Comparison(modello, "Comune", "Totale Ambito", indicators)


def compare_ambiti(ambiti: list[Ambito], modello: ModelloScheda, total_label: str = "Totale") -> Comparison:
    """The indicators of `modello` in each of `ambiti` (e.g. those of a Regione; the caller scopes them), each the
    ratio of the sums of its Comuni's schede (sub-Ambiti included), and the totals over every scheda. A Comune of a
    sub-Ambito counts under the sub-Ambito when it is listed, else under its parent: each scheda counts once. One
    query (two when the template's definition is not cached in the process)."""
    by_id = {a.pk: a for a in ambiti}
    schede = (
        Scheda.objects.filter(modello=modello)
        .filter(Q(comune__ambito_id__in=list(by_id)) | Q(comune__ambito__parent_id__in=list(by_id)))
        .order_by()
        .values_list("comune__ambito_id", "comune__ambito__parent_id", "indicatori")
    )
    owned: list[tuple[int, dict]] = []
    for ambito_id, parent_id, facts in schede:
        owner = ambito_id if ambito_id in by_id else parent_id
        if owner in by_id:
            owned.append((owner, facts or {}))
    indicators = []
    for spec in compared_specs(modello):
        sums = {pk: _Sum(len(spec["targets"])) for pk in by_id}
        total = _Sum(len(spec["targets"]))
        for owner, facts in owned:
            fact = facts.get(spec["code"], {})
            sums[owner].add(fact)
            total.add(fact)
        rows = [sums[a.pk].row(spec, a.slug, a.nome) for a in ambiti]
        indicators.append(_indicator(spec, rows, total.row(spec, "", total_label)))
    return Comparison(modello, "Ambito", total_label, indicators)


def comparison_modelli() -> list[ModelloScheda]:
    """The active templates with indicators to compare, the latest year first (without their definition)."""
    return list(ModelloScheda.objects.filter(attivo=True).defer("definizione").order_by("-anno_riferimento", "codice"))


def chosen_modello(codice: str | None, modelli: list[ModelloScheda]) -> ModelloScheda | None:
    """The template named by `codice` among `modelli`, or the latest active one (None: unknown code, no template)."""
    if codice:
        return next((m for m in modelli if m.codice == codice), None)
    return modelli[0] if modelli else None


# --- Charts ---------------------------------------------------------------------------------------------------

# Up to this many units a chart has a bar each; a larger Ambito's chart shows the CHART_TOP_N units with the
# largest gap and the CHART_TOP_N with the smallest (the table keeps every unit), as the Ambito dashboard does.
CHART_MAX = 40
CHART_TOP_N = 10
MET_COLOR, MISSED_COLOR = PALETTE[2], PALETTE[1]


def _chart_value(ind: IndicatorComparison, value: Decimal | None) -> Decimal | None:
    return ind.rounded(value)


def comparison_chart(ind: IndicatorComparison, unit_label: str, chart_id: str) -> Chart:
    """Bars of the indicator per unit, in the order of the table (largest gap first), with a line per fixed target;
    a target that is each unit's own (e.g. the reference level R05) is drawn at its value for the totals."""
    known = [r for r in ind.rows if r.value is not None]
    shown = known
    which = f"per {unit_label}"
    if len(known) > CHART_MAX:
        shown = known[:CHART_TOP_N] + known[-CHART_TOP_N:]
        plural = "Comuni" if unit_label == "Comune" else "Ambiti"
        which = (
            f"dei {CHART_TOP_N} {plural} con il divario maggiore e dei {CHART_TOP_N} con il minore, "
            f"su {len(known)} con il dato (la tabella li riporta tutti)"
        )
    references = []
    for j, (label, target) in enumerate(zip(ind.target_labels, ind.total.targets, strict=True)):
        shown_target = _chart_value(ind, target.target)
        if shown_target is not None:
            references.append(Reference(shown_target, label, [PALETTE[1], PALETTE[3]][j % 2]))
    missing = len(ind.rows) - len(known)
    own = [label for label, fixed in zip(ind.target_labels, ind.fixed_targets, strict=True) if not fixed]
    direction = "sopra la linea è meglio" if ind.compare == ">=" else "sotto la linea è meglio"
    description = (
        f"{ind.label}, {which}, in ordine di divario dall'obiettivo ({direction}; in verde chi raggiunge "
        f"ogni obiettivo, in rosso chi no)." + (f" Senza valore: {missing}." if missing else "")
    )
    if own:
        description += (
            f" La linea «{', '.join(own)}» è il valore del totale; ogni {unit_label} ha il proprio (nella tabella)."
        )
    colors = [MET_COLOR if all(t.met for t in r.targets) else MISSED_COLOR for r in shown]
    return bar_chart(
        title=ind.label,
        description=description,
        bars=[(r.name, _chart_value(ind, r.value)) for r in shown],
        chart_id=chart_id,
        value_label=ind.label,
        decimals=ind.decimals,
        suffix="%" if ind.unit == "%" else "",
        references=references,
        colors=colors,
    )


def comparison_charts(comparison: Comparison, prefix: str) -> list[Chart]:
    return [
        comparison_chart(ind, comparison.unit_label, f"{prefix}-{ind.code.lower()}") for ind in comparison.indicators
    ]
