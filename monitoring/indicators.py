"""Indicators of the schede against their targets (coverage 33%, social workers per inhabitants, service level).

Indicator definitions are data, in the template JSON under "indicatori" (see fixtures/schede/README.md):
a numerator and a denominator as lists of cells ("R10.N25", "-R09.N25" to subtract), a scale, and targets
(a fixed value, or a cell of the same scheda weighted by another cell for Ambito totals). Ambito totals are
always ratios of summed numerators and denominators, never averages of percentages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from monitoring.engine import parse_decimal


def _value(values: dict[str, str], key: str) -> Decimal | None:
    text = values.get(key)
    if text in (None, ""):
        return None
    try:
        return parse_decimal(text)
    except (ValueError, InvalidOperation):
        return None


def _sum(values: dict[str, str], refs: list[str]) -> Decimal | None:
    total, seen = Decimal(0), False
    for ref in refs:
        sign = -1 if ref.startswith("-") else 1
        value = _value(values, ref.lstrip("-"))
        if value is not None:
            total += sign * value
            seen = True
    return total if seen else None


@dataclass
class TargetCheck:
    label: str
    target: Decimal | None
    met: bool | None


@dataclass
class IndicatorValue:
    code: str
    label: str
    unit: str
    decimals: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    checks: list[TargetCheck] = field(default_factory=list)


def _compare(value: Decimal | None, target: Decimal | None, op: str) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target if op == ">=" else value <= target


def evaluate(spec: dict, num: Decimal | None, den: Decimal | None, targets: list[Decimal | None]) -> IndicatorValue:
    value = None
    if num is not None and den:
        value = num * Decimal(spec.get("scale", 1)) / den
    checks = [
        TargetCheck(t["label"], target, _compare(value, target, t.get("compare", ">=")))
        for t, target in zip(spec.get("targets", []), targets, strict=True)
    ]
    return IndicatorValue(
        spec["code"], spec["label"], spec.get("unit", ""), spec.get("decimals", 2), value, num, den, checks
    )


def scheda_indicators(definition: dict, values: dict[str, str]) -> list[IndicatorValue]:
    """The indicators of one scheda from its stored values (inputs and computed)."""
    out = []
    for spec in definition.get("indicatori", []):
        targets = [
            Decimal(str(t["value"])) if "value" in t else _value(values, t["cell"]) for t in spec.get("targets", [])
        ]
        out.append(evaluate(spec, _sum(values, spec["num"]), _sum(values, spec["den"]), targets))
    return out


def ambito_indicators(definition: dict, schede_values: list[dict[str, str]]) -> list[IndicatorValue]:
    """Ambito totals: summed numerators over summed denominators (only schede with both known)."""
    out = []
    for spec in definition.get("indicatori", []):
        num_total = den_total = None
        weighted = {i: [Decimal(0), Decimal(0)] for i, t in enumerate(spec.get("targets", [])) if "cell" in t}
        for values in schede_values:
            num, den = _sum(values, spec["num"]), _sum(values, spec["den"])
            if num is None or not den:
                continue
            num_total = (num_total or 0) + num
            den_total = (den_total or 0) + den
            for i in weighted:
                t = spec["targets"][i]
                target, weight = _value(values, t["cell"]), _value(values, t["weight"])
                if target is not None and weight:
                    weighted[i][0] += target * weight
                    weighted[i][1] += weight
        targets = []
        for i, t in enumerate(spec.get("targets", [])):
            if "value" in t:
                targets.append(Decimal(str(t["value"])))
            else:
                total, weight = weighted[i]
                targets.append(total / weight if weight else None)
        out.append(evaluate(spec, num_total, den_total, targets))
    return out
