"""Indicators of the schede against their targets (coverage 33%, social workers per inhabitants, service level).

Indicator definitions are data, in the template JSON under "indicatori" (see fixtures/schede/README.md):
a numerator and a denominator as lists of cells ("R10.N25", "-R09.N25" to subtract), a scale, and targets
(a fixed value, or a cell of the same scheda weighted by another cell for Ambito totals).

When a scheda is saved, its indicator *facts* (numerator, denominator, per-target value and weight) are stored
on it, so that overviews of many schede add them up without reading every cell. Ambito totals are always
ratios of summed numerators and denominators, never averages of percentages.

Beside the facts, under SUMS_KEY, the addends of the Ambito totals as integers in millionths (numerator,
denominator, target × weight and weight, only for the schede whose ratio counts): the database adds them up
exactly (integer sums, on SQLite too) without reading the facts of every scheda into Python. A scheda whose
addends are not whole millionths, or saved before they existed, has no SUMS_KEY: the totals of its template are
then added up in Python from the facts (`ambito_indicators`), with the same result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from monitoring.engine import parse_decimal


def _dec(text) -> Decimal | None:
    if text.__class__ is Decimal:  # a value of the engine's result (monitoring.services.compute.apply_result)
        return text
    if text in (None, ""):
        return None
    try:
        return parse_decimal(str(text))
    except (ValueError, InvalidOperation):
        return None


def _sum(values: Mapping[str, str | Decimal], refs: list[str]) -> Decimal | None:
    total, seen = Decimal(0), False
    for ref in refs:
        value = _dec(values.get(ref.lstrip("-")))
        if value is not None:
            total += -value if ref.startswith("-") else value
            seen = True
    return total if seen else None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


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


SUMS_KEY = "somme_esatte"
SUMS_SCALE = 6  # the addends are stored as integers in millionths


def _millionths(value: Decimal) -> int:
    scaled = value.scaleb(SUMS_SCALE)
    if scaled != scaled.to_integral_value():
        raise ArithmeticError("not whole millionths")
    return int(scaled)


def from_millionths(total) -> Decimal:
    """A sum of addends (an integer or an exact numeric from the database) back to its Decimal value."""
    value = Decimal(int(total)).scaleb(-SUMS_SCALE)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def sum_addends(definition: dict, facts: dict[str, dict]) -> dict[str, dict] | None:
    """The integer addends of the Ambito totals of one scheda (see the module docstring); None when inexact."""
    sums: dict[str, dict] = {}
    try:
        for spec in definition.get("indicatori", []):
            f = facts.get(spec["code"], {})
            num, den = _dec(f.get("num")), _dec(f.get("den"))
            if num is None or not den:
                continue  # the scheda does not count in the totals of this indicator
            addends: list[list[int] | None] = []
            for pair in f.get("targets") or []:
                target, weight = (_dec(pair[0]), _dec(pair[1])) if pair else (None, None)
                ok = target is not None and weight
                addends.append([_millionths(target * weight), _millionths(weight)] if ok else None)
            sums[spec["code"]] = {"n": _millionths(num), "d": _millionths(den), "t": addends}
    except (ArithmeticError, InvalidOperation):
        return None
    return sums


def indicator_facts(definition: dict, values: Mapping[str, str | Decimal]) -> dict[str, dict]:
    """What each indicator needs from one scheda, as plain JSON (stored on the scheda), with the integer addends
    of the Ambito totals under SUMS_KEY. `values` are the scheda's stored results ("R10.N25": "1234,5"), or the
    engine's values under the same names (Decimal for numbers): the facts are the same."""
    facts: dict = {}
    for spec in definition.get("indicatori", []):
        targets = []
        for t in spec.get("targets", []):
            if "cell" in t:
                targets.append([_text(_dec(values.get(t["cell"]))), _text(_dec(values.get(t["weight"])))])
            else:
                targets.append(None)
        facts[spec["code"]] = {
            "num": _text(_sum(values, spec["num"])),
            "den": _text(_sum(values, spec["den"])),
            "targets": targets,
        }
    sums = sum_addends(definition, facts)
    if sums is not None:
        facts[SUMS_KEY] = sums
    return facts


def _evaluate(spec: dict, num: Decimal | None, den: Decimal | None, targets: list[Decimal | None]) -> IndicatorValue:
    value = num * Decimal(spec.get("scale", 1)) / den if num is not None and den else None
    checks = []
    for t, target in zip(spec.get("targets", []), targets, strict=True):
        met = None
        if value is not None and target is not None:
            met = value >= target if t.get("compare", ">=") == ">=" else value <= target
        checks.append(TargetCheck(t["label"], target, met))
    return IndicatorValue(
        spec["code"], spec["label"], spec.get("unit", ""), spec.get("decimals", 2), value, num, den, checks
    )


def _fixed(t: dict) -> Decimal | None:
    return Decimal(str(t["value"])) if "value" in t else None


def scheda_indicators(definition: dict, facts: dict[str, dict]) -> list[IndicatorValue]:
    """The indicators of one scheda from its stored facts."""
    out = []
    for spec in definition.get("indicatori", []):
        f = facts.get(spec["code"], {})
        targets = [
            _fixed(t) if "value" in t else _dec((f.get("targets") or [None] * (i + 1))[i] and f["targets"][i][0])
            for i, t in enumerate(spec.get("targets", []))
        ]
        out.append(_evaluate(spec, _dec(f.get("num")), _dec(f.get("den")), targets))
    return out


def indicators_from_sums(definition: dict, sums: dict[str, dict]) -> list[IndicatorValue]:
    """Ambito totals from the summed addends, as `ambito_indicators` gives them: `sums[code]` holds "n", "d" and
    per target "tw", "w" (Decimals; "n" None when no scheda counts)."""
    out = []
    for spec in definition.get("indicatori", []):
        s = sums.get(spec["code"], {})
        num, den = s.get("n"), s.get("d")
        targets = [
            _fixed(t) if "value" in t else (s["tw"][i] / s["w"][i] if s.get("w") and s["w"][i] else None)
            for i, t in enumerate(spec.get("targets", []))
        ]
        out.append(_evaluate(spec, num, den, targets))
    return out


def ambito_indicators(definition: dict, facts_list: list[dict[str, dict]]) -> list[IndicatorValue]:
    """Ambito totals: summed numerators over summed denominators (only schede with both known, a zero included); a
    target taken from a cell is averaged with the given weight (e.g. the reference level weighted by population)."""
    out = []
    for spec in definition.get("indicatori", []):
        num_total = den_total = None
        n_targets = len(spec.get("targets", []))
        weighted = [[Decimal(0), Decimal(0)] for _ in range(n_targets)]
        for facts in facts_list:
            f = facts.get(spec["code"], {})
            num, den = _dec(f.get("num")), _dec(f.get("den"))
            if num is None or den is None:  # a known zero counts (inhabitants without a social worker)
                continue
            num_total = (num_total or 0) + num
            den_total = (den_total or 0) + den
            for i, pair in enumerate(f.get("targets") or []):
                if pair:
                    target, weight = _dec(pair[0]), _dec(pair[1])
                    if target is not None and weight:
                        weighted[i][0] += target * weight
                        weighted[i][1] += weight
        targets = [
            _fixed(t) if "value" in t else (weighted[i][0] / weighted[i][1] if weighted[i][1] else None)
            for i, t in enumerate(spec.get("targets", []))
        ]
        out.append(_evaluate(spec, num_total, den_total, targets))
    return out
