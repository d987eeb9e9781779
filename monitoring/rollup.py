"""The rollup of the schede of each Ambito (`RiepilogoSchede`): per template and state, how many schede, how many
without exact addends, and the integer sums of the addends of the indicator totals (`monitoring.indicators`,
SUMS_KEY: the same millionths the database adds up in `overview.ambito_totals`), with the latest change of each
template's schede and the number of Comuni. The overview and the dashboard read it in one query instead of
scanning every scheda of a large Ambito.

Kept in step by delta, in the transaction of the write: `maintained(schede, ambiti)` wraps the services' writes of
schede (save, workflow, recompute, create). It locks the Ambiti's rows (every write of their schede bumps that
row in its transaction, so the lock orders the writers: two saves in one Ambito never lose a delta), reads what the
schede add to the rollup before and after the write, and adds the difference.

Self-healing: a rollup records the data version of its Ambito (`Ambito.versione_dati`, bumped in the same
transaction as every change of its schede and Comuni, territory.versions) that it matches. A write that does not
maintain it (bulk paths, a Comune moving, a delete, an import in bulk) moves the version and not the rollup: the
reader sees the mismatch and rebuilds the rollup from the schede (`riepilogo`). So a rollup is never wrong, only
sometimes rebuilt. What makes the match sound:
- a delta is applied only to a rollup that matched its Ambito's version when locked, before the write; the version
  recorded is the one after the write;
- after recording a version (a delta or a rebuild), `versions.observed()`: the next change in the same transaction
  bumps the version again (core.versions bumps once per transaction otherwise, and a change after the delta
  would leave the version unmoved);
- a rebuild reads the version under the same lock, before it reads the schede;
- `maintained` blocks do not nest: an inner one would change schede the outer one may not read; both then leave
  the rollups to be rebuilt.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import BigIntegerField, BooleanField, Count, ExpressionWrapper, Max, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from accounts.scoping import VIEW, can_on_ambito, grants_for
from core import versions
from territory.models import Ambito, Comune

from . import rollup_extremes, rollup_population
from .indicators import SUMS_KEY, IndicatorValue, from_millionths, indicators_from_sums
from .models import WITHOUT_ADDENDS, ModelloScheda, RiepilogoSchede, Scheda

_local = threading.local()  # the `maintained` block running in this thread (they do not nest)


@dataclass(frozen=True)
class Contribution:
    """What one scheda adds to the rollup of the Ambito of its Comune."""

    pk: int
    ambito: int | None
    modello: int
    stato: str
    sums: dict | None  # the addends of its indicators (SUMS_KEY); None when it has none
    legacy: bool  # facts without exact addends: the totals of its template are then added up from the facts
    changed: str  # modificata_il in UTC, ISO with microseconds (ordered as text)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def recomputed(before: list[Contribution], indicatori: dict[int, dict]) -> list[Contribution]:
    """The contributions of schede whose stored results were computed again (their state, Comune, template and
    last change as `before`): their new facts `indicatori` (by pk), as `contributions` would read them back."""
    out = []
    for c in before:
        facts = indicatori[c.pk]
        present = facts.get(SUMS_KEY) is not None  # {} is present: no indicator of the scheda counts
        out.append(replace(c, sums=facts[SUMS_KEY] if present else None, legacy=not present and facts != {}))
    return out


def contributions(schede: QuerySet[Scheda]) -> list[Contribution]:
    """What each of `schede` adds to its Ambito's rollup, in the order of their pks (the order in which a locking
    queryset locks them); one query of small fields (no JSON but the addends)."""
    rows = schede.order_by("pk").values_list(
        "pk", "comune__ambito_id", "modello_id", "stato", KT(f"indicatori__{SUMS_KEY}"),
        ExpressionWrapper(Q(indicatori={}), output_field=BooleanField()), "modificata_il",
    )  # fmt: skip
    return [
        Contribution(pk, ambito, modello, stato, json.loads(sums) if sums else None, not sums and not empty, _stamp(m))
        for pk, ambito, modello, stato, sums, empty, m in rows
    ]


# --- The rollup as data: {"comuni": n, "modelli": {id: {"ultima": iso, "stati": {stato: {"n", "l", "s"}}}}}, with
# "popolazione" (monitoring.rollup_population) and "estremi" (monitoring.rollup_extremes) -------------------------
# "s": per indicator code {"c": schede counted, "n": Σ numerators, "d": Σ denominators, "t": per target
# [schede with the target, Σ target × weight, Σ weight]}, all integers (millionths).


def empty() -> dict:
    return {"comuni": 0, "modelli": {}}


def _as_data(c: Contribution, definition: dict) -> dict:
    """The rollup of one scheda: its addends of the indicators of the template's definition (as `build` sums them)."""
    sums = {}
    for spec in definition["indicatori"]:
        a = (c.sums or {}).get(spec["code"])
        if a is not None:
            pairs = (a.get("t") or [])[: len(spec.get("targets", []))]
            targets = [[1, p[0], p[1]] if p else [0, 0, 0] for p in pairs]
            sums[spec["code"]] = {"c": 1, "n": a["n"], "d": a["d"], "t": targets}
    state = {"n": 1, "l": int(c.legacy), "s": sums}
    return {"comuni": 0, "modelli": {str(c.modello): {"ultima": c.changed, "stati": {c.stato: state}}}}


def _definitions(ids: Iterable[int]) -> dict[int, dict]:
    """The indicator specs of the templates `ids` (cached by template and version: the definitions are read on a
    miss only)."""
    modelli = ModelloScheda.objects.filter(pk__in=set(ids)).defer("definizione")
    return {m.pk: m.indicator_definition() for m in modelli}


def _add_code(mine: dict, other: dict, sign: int) -> None:
    for key in ("c", "n", "d"):
        mine[key] += sign * other[key]
    for j, triple in enumerate(other["t"]):
        if j == len(mine["t"]):
            mine["t"].append([0, 0, 0])
        mine["t"][j] = [a + sign * b for a, b in zip(mine["t"][j], triple, strict=True)]


def _add_modello(mine: dict, other: dict, sign: int) -> None:
    if sign > 0 and other["ultima"] and (mine["ultima"] is None or other["ultima"] > mine["ultima"]):
        mine["ultima"] = other["ultima"]
    for stato, state in other["stati"].items():
        target = mine["stati"].setdefault(stato, {"n": 0, "l": 0, "s": {}})
        target["n"] += sign * state["n"]
        target["l"] += sign * state["l"]
        for code, entry in state["s"].items():
            _add_code(target["s"].setdefault(code, {"c": 0, "n": 0, "d": 0, "t": []}), entry, sign)


def add(data: dict, other: dict, sign: int = 1) -> None:
    """Add (sign 1) or take away (-1) the rollup `other` to `data`; the latest change only grows (see `_apply`)."""
    data["comuni"] += sign * other["comuni"]
    for modello, entry in other["modelli"].items():
        _add_modello(data["modelli"].setdefault(modello, {"ultima": None, "stati": {}}), entry, sign)


def prune(data: dict) -> dict:
    """Drop what no scheda counts in any more, so that equal sets of schede give equal rollups."""
    for modello, entry in list(data["modelli"].items()):
        for stato, state in list(entry["stati"].items()):
            state["s"] = {code: e for code, e in state["s"].items() if e["c"]}
            for e in state["s"].values():
                while e["t"] and e["t"][-1] == [0, 0, 0]:
                    e["t"].pop()
            if not state["n"]:
                del entry["stati"][stato]
        if not entry["stati"]:
            del data["modelli"][modello]
    return data


def build(ambito_id: int) -> dict:
    """The rollup of the Ambito's own Comuni, added up by the database: a count of the Comuni, a GROUP BY template
    and state of their schede, and one per template with indicators for the sums of its addends."""
    schede = Scheda.objects.filter(comune__ambito_id=ambito_id).order_by()
    data = empty()
    data["comuni"] = Comune.objects.filter(ambito_id=ambito_id).count()
    legacy = Count("pk", filter=WITHOUT_ADDENDS)
    grouped = schede.values_list("modello_id", "stato").annotate(n=Count("pk"), l=legacy, m=Max("modificata_il"))
    for modello, stato, n, n_legacy, changed in grouped:
        entry = data["modelli"].setdefault(str(modello), {"ultima": None, "stati": {}})
        entry["stati"][stato] = {"n": n, "l": n_legacy, "s": {}}
        if entry["ultima"] is None or _stamp(changed) > entry["ultima"]:
            entry["ultima"] = _stamp(changed)
    definitions = _definitions(int(m) for m in data["modelli"])
    for modello, definition in definitions.items():
        if definition["indicatori"]:
            for stato, sums in _summed_in_sql(schede.filter(modello_id=modello), definition).items():
                data["modelli"][str(modello)]["stati"][stato]["s"] = sums
    data["popolazione"] = rollup_population.build(ambito_id, data["comuni"])  # kept as it is by the deltas
    data["estremi"] = rollup_extremes.of_ambito(ambito_id, definitions)  # selected again by each maintained write
    return prune(data)


def _complete(data: dict) -> bool:
    """Whether a stored rollup has every part (one stored before the extremes were kept has to be rebuilt)."""
    return "estremi" in data


def _as_integer(path: str) -> Cast:
    return Cast(KT(path), BigIntegerField())


def _summed_in_sql(schede: QuerySet[Scheda], definition: dict) -> dict[str, dict]:
    """Per state, the sums of the addends of each indicator of `definition` over `schede` (one query)."""
    aggregates: dict[str, Any] = {}
    for i, spec in enumerate(definition["indicatori"]):
        path = f"indicatori__{SUMS_KEY}__{spec['code']}"
        aggregates |= {f"c{i}": Count(_as_integer(f"{path}__n")), f"n{i}": Sum(_as_integer(f"{path}__n")),
                       f"d{i}": Sum(_as_integer(f"{path}__d"))}  # fmt: skip
        for j in range(len(spec.get("targets", []))):
            aggregates |= {f"c{i}_{j}": Count(_as_integer(f"{path}__t__{j}__0")),
                           f"tw{i}_{j}": Sum(_as_integer(f"{path}__t__{j}__0")),
                           f"w{i}_{j}": Sum(_as_integer(f"{path}__t__{j}__1"))}  # fmt: skip
    by_state = {}
    for row in schede.values("stato").annotate(**aggregates):
        sums = {}
        for i, spec in enumerate(definition["indicatori"]):
            targets = [
                [row[f"c{i}_{j}"], int(row[f"tw{i}_{j}"] or 0), int(row[f"w{i}_{j}"] or 0)]
                for j in range(len(spec.get("targets", [])))
            ]
            sums[spec["code"]] = {"c": row[f"c{i}"], "n": int(row[f"n{i}"] or 0), "d": int(row[f"d{i}"] or 0),
                                  "t": targets}  # fmt: skip
        by_state[row["stato"]] = sums
    return by_state


# --- Reading --------------------------------------------------------------------------------------------------


def _summed(entries: list[dict], n_targets: int) -> dict:
    """Ambito sums of one indicator (Decimals, None where no scheda counts) from its entries in each state."""

    def dec(total: int, count: int):
        return from_millionths(total) if count else None

    count = sum(e["c"] for e in entries)
    triples = [[sum(e["t"][j][k] for e in entries if j < len(e["t"])) for k in range(3)] for j in range(n_targets)]
    return {
        "n": dec(sum(e["n"] for e in entries), count),
        "d": dec(sum(e["d"] for e in entries), count),
        "tw": [dec(t[1], t[0]) for t in triples],
        "w": [dec(t[2], t[0]) for t in triples],
    }


@dataclass
class Riepilogo:
    """The rollup of an Ambito and of its sub-ambiti (the Comuni of `territory.selectors.ambito_comuni`)."""

    ambiti: list[int]
    data: dict
    popolazione: rollup_population.PopulationRollup | None = None  # None: a rollup stored without it
    estremi: dict | None = None  # rollup_extremes, merged over the Ambiti

    @property
    def n_comuni(self) -> int:
        return self.data["comuni"]

    def counts(self) -> dict[tuple[int, str], int]:
        """How many schede per (template id, state)."""
        return {
            (int(modello), stato): state["n"]
            for modello, entry in self.data["modelli"].items()
            for stato, state in entry["stati"].items()
        }

    def latest_change(self, modelli: Iterable[int]) -> datetime | None:
        """The latest change of a scheda of the templates `modelli`."""
        stamps = [e["ultima"] for m in modelli if (e := self.data["modelli"].get(str(m))) and e["ultima"]]
        return datetime.fromisoformat(max(stamps)) if stamps else None

    def totals(self, modello: ModelloScheda) -> tuple[list[IndicatorValue], int] | None:
        """As `overview.ambito_totals` over the template's schede; None when some scheda has no exact addends."""
        entry = self.data["modelli"].get(str(modello.pk), {"stati": {}})
        states = list(entry["stati"].values())
        if any(state["l"] for state in states):
            return None
        definition = modello.indicator_definition()
        by_code = {
            spec["code"]: _summed(
                [state["s"][spec["code"]] for state in states if spec["code"] in state["s"]],
                len(spec.get("targets", [])),
            )
            for spec in definition["indicatori"]
        }
        return indicators_from_sums(definition, by_code), sum(state["n"] for state in states)

    def extremes(self, modello: int, code: str) -> tuple[list[list], list[list], int] | None:
        """(highest, lowest, how many schede have the indicator) of the template's indicator `code` over the Ambito:
        each end the first `rollup_extremes.KEPT` as [n, d, Comune name, scheda id]; None when they are not kept
        (or are pending) or when some scheda of the template has no exact addends (it has no place in their order:
        the caller orders the facts, as `totals` leaves the totals to the facts)."""
        states = self.data["modelli"].get(str(modello), {"stati": {}})["stati"].values()
        if self.estremi is None or any(state["l"] for state in states):
            return None
        kept = self.estremi.get(str(modello), {})
        if kept is None:  # pending: a write in chunks has not selected them yet (settle_extremes)
            return None
        ends = kept.get(code, {"alti": [], "bassi": []})  # none: no scheda has it
        return ends["alti"], ends["bassi"], sum(state["s"][code]["c"] for state in states if code in state["s"])


def riepilogo(ambito: Ambito) -> Riepilogo:
    """The rollup of `ambito` and its sub-ambiti: one query when it is up to date; an Ambito whose stored rollup
    does not match its data version (or has none) is rebuilt and stored first."""
    rows = Ambito.objects.filter(Q(pk=ambito.pk) | Q(parent_id=ambito.pk)).order_by("pk")
    total = empty()
    ids = []
    parts = []
    for pk, version, stored, data in rows.values_list(
        "pk", "versione_dati", "riepilogo_schede__versione", "riepilogo_schede__dati"
    ):
        ids.append(pk)
        current = data if stored == version and _complete(data) else rebuild(pk)
        add(total, current)
        parts.append(current)
    merged = rollup_population.merge([part.get("popolazione") for part in parts])
    population = rollup_population.PopulationRollup(total["comuni"], merged) if merged is not None else None
    extremes = rollup_extremes.merge(part.get("estremi") for part in parts)
    return Riepilogo(ids, prune(total), population, extremes)


@transaction.atomic
def rebuild(ambito_id: int) -> dict:
    """Rebuild and store the rollup of one Ambito, under the lock of its row (the version read before the schede)."""
    version = Ambito.objects.select_for_update().filter(pk=ambito_id).values_list("versione_dati", flat=True).get()
    stored = RiepilogoSchede.objects.filter(ambito_id=ambito_id).values_list("versione", "dati").first()
    if stored is not None and stored[0] == version and _complete(stored[1]):
        return stored[1]  # rebuilt meanwhile by another request
    data = build(ambito_id)
    RiepilogoSchede.objects.update_or_create(ambito_id=ambito_id, defaults={"versione": version, "dati": data})
    versions.observed()  # a later change in this transaction bumps the version again
    return data


# --- Writing --------------------------------------------------------------------------------------------------


@contextmanager
def maintained(
    schede: QuerySet[Scheda],
    ambiti: Iterable[int | None],
    *,
    pending: set[int] | None = None,
    before: list[Contribution] | None = None,
    after: Callable[[list[Contribution]], list[Contribution]] | None = None,
) -> Iterator[None]:
    """Keep the rollups of `ambiti` (the Ambiti of the Comuni of `schede`) in step with a write of `schede` (the
    same queryset is read before and after the write). Inside a transaction; not nested.

    With a set `pending` (a write in many chunks, as recompute-all): the extremes of the templates written are
    marked pending instead of being selected again over the whole Ambito after every chunk, and the Ambiti so
    marked are added to the set; `settle_extremes(pending)` selects them once at the end. Until then readers select
    them from the schede (`Riepilogo.extremes` is None).

    `before`: the contributions before the write, when the writer read them already under the lock of the schede's
    rows (recompute-all: with the lock itself, one query less a chunk); else they are read here.
    `after(before)`: the contributions after the write, from those before, when the writer knows them (recompute-all:
    `recomputed`); else they are read again from the database."""
    if getattr(_local, "block", None) is not None:
        _local.block["nested"] = True  # the outer block cannot vouch for these schede: leave the rollups stale
        yield
        return
    fresh = _locked_fresh(sorted({a for a in ambiti if a is not None}))
    if not fresh:
        before = []
    elif before is None:
        before = contributions(schede)
    block = _local.block = {"nested": False}
    try:
        yield
    finally:
        _local.block = None
    if fresh and not block["nested"]:
        _apply(fresh, before, contributions(schede) if after is None else after(before), pending)


def _locked_fresh(ids: list[int]) -> dict[int, dict]:
    """The stored rollups of the Ambiti `ids` that match their version, with the Ambiti's rows locked (and so
    every write of their schede held until this transaction ends)."""
    if not ids:
        return {}
    rows = (
        RiepilogoSchede.objects.select_for_update()
        .filter(ambito__in=ids)
        .order_by("ambito_id")
        .values_list("ambito_id", "versione", "dati", "ambito__versione_dati")
    )
    return {pk: data for pk, version, data, current in rows if version == current and _complete(data)}


def _latest_kept(data: dict, before: list[Contribution], after: list[Contribution]) -> bool:
    """Whether the latest change of each template is still known: not when the scheda that held it now has an
    earlier one (a clock set back) or is gone; the rollup is then left to be rebuilt."""
    now = {c.pk: c.changed for c in after}
    for c in before:
        entry = data["modelli"].get(str(c.modello))
        if entry and c.changed == entry["ultima"] and now.get(c.pk, "") < c.changed:
            return False
    return True


def _apply(
    fresh: dict[int, dict], before: list[Contribution], after: list[Contribution], pending: set[int] | None
) -> None:
    changed = {}
    definitions = _definitions(c.modello for c in before + after)
    now = {c.pk: c for c in after}
    same = {c.pk for c in before if now.get(c.pk) == c}  # taken away and added again, they would add nothing
    for pk, data in fresh.items():
        mine_before = [c for c in before if c.ambito == pk]
        mine_after = [c for c in after if c.ambito == pk]
        if not _latest_kept(data, mine_before, mine_after):
            continue
        for sign, mine in ((-1, mine_before), (1, mine_after)):
            for c in mine:
                if c.pk not in same:
                    add(data, _as_data(c, definitions[c.modello]), sign)
        prune(data)
        touched = {c.modello: definitions[c.modello] for c in mine_before + mine_after}
        if pending is None:
            data["estremi"] |= rollup_extremes.of_ambito(pk, touched)  # selected again: never kept by delta
        elif marks := rollup_extremes.pending(touched):
            data["estremi"] |= marks  # selected once by settle_extremes
            pending.add(pk)
        data["estremi"] = {m: codes for m, codes in data["estremi"].items() if m in data["modelli"]}
        changed[pk] = data
    if not changed:
        return
    current = dict(Ambito.objects.filter(pk__in=changed).values_list("pk", "versione_dati"))
    for pk, data in changed.items():
        RiepilogoSchede.objects.filter(ambito_id=pk).update(versione=current[pk], dati=data)
    versions.observed()  # a later change in this transaction bumps the version again


def settle_extremes(ambiti: Iterable[int]) -> None:
    """Select the extremes left pending by writes with `maintained(..., pending=…)` in the rollups of `ambiti`,
    under the lock of the rollups (one query); a rollup out of date is left to its rebuild. No Ambito, no query."""
    ids = sorted(set(ambiti))
    if not ids:
        return
    with transaction.atomic():
        for pk, data in _locked_fresh(ids).items():
            waiting = [int(modello) for modello, codes in data["estremi"].items() if codes is None]
            if waiting:
                data["estremi"] |= rollup_extremes.of_ambito(pk, _definitions(waiting))
                RiepilogoSchede.objects.filter(ambito_id=pk).update(dati=data)  # its version is unchanged


def maintained_scheda(scheda: Scheda) -> AbstractContextManager[None]:
    """`maintained` for one scheda (its Comune loaded)."""
    return maintained(Scheda.objects.filter(pk=scheda.pk), [scheda.comune.ambito_id])


def riepilogo_for(ambito: Ambito, user) -> Riepilogo | None:
    """The rollup of `ambito` when `user` sees every Comune of it and of its sub-ambiti (the rollup counts them
    all); None otherwise (the caller counts the Comuni the user sees)."""
    if not can_on_ambito(user, VIEW, ambito):
        return None  # no query: a user who sees some Comuni only
    found = riepilogo(ambito)
    if user.is_superuser or set(found.ambiti) <= grants_for(user).ambito_ids(VIEW):
        return found
    return None
