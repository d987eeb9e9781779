"""The template's «required»: which input cells must be filled before a scheda is sent.

``{"quadri": [3], "rows": ["R05"], "cells": ["R06.N25"], "except": ["R07", "R08.N25"]}`` selects the input cells
of the listed quadri, rows and cells, minus the «except» rows and cells. Unknown quadro numbers, row codes and
cells are refused naming all of them; so are entries that name no input cell (a computed or precompiled cell, a
row or quadro without inputs) and «except» entries that remove nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .errors import TemplateError

if TYPE_CHECKING:
    from .definitions import CellDef, QuadroDef, RowDef

__all__ = ["REQUIRED_KEYS", "resolve_required"]

REQUIRED_KEYS = ("quadri", "rows", "cells", "except")
CellKey = tuple[str, str]


def resolve_required(spec: Any, quadri: Sequence[QuadroDef], where: str) -> tuple[CellKey, ...]:
    """The input cells selected by `spec` (the JSON of «required», or None), in template order."""
    if spec is None:
        return ()
    lists = _checked_lists(spec, where)
    selection = _Selection(quadri)
    selection.add_quadri(lists["quadri"])
    selection.add_rows(lists["rows"])
    selection.add_cells(lists["cells"])
    selection.remove(lists["except"])
    problems = selection.problems()
    if problems:
        raise TemplateError(f"{where}: " + "; ".join(problems))
    return tuple(k for k in selection.cells if k in selection.selected)


def _checked_lists(spec: Any, where: str) -> dict[str, list[Any]]:
    """The four lists of «required» (missing ones empty), checked for their keys and item types."""
    if not isinstance(spec, Mapping):
        raise TemplateError(f"{where}: deve essere un oggetto con {', '.join(REQUIRED_KEYS)}")
    extra = sorted(str(k) for k in spec if k not in REQUIRED_KEYS)
    if extra:
        raise TemplateError(f"{where}: chiavi non previste {', '.join(extra)} ({', '.join(REQUIRED_KEYS)})")
    lists = {}
    for key in REQUIRED_KEYS:
        items = spec.get(key) or []
        item_type = int if key == "quadri" else str
        if not isinstance(items, list) or not all(isinstance(i, item_type) and not isinstance(i, bool) for i in items):
            kind = "numeri di quadro" if key == "quadri" else "codici (testi)"
            raise TemplateError(f"{where}: «{key}» deve essere un elenco di {kind}")
        lists[key] = items
    return lists


class _Selection:
    """The cells selected so far, and the entries refused (unknown, without inputs, removing nothing)."""

    def __init__(self, quadri: Sequence[QuadroDef]) -> None:
        self.quadri = {q.number: q for q in quadri}
        self.rows: dict[str, RowDef] = {r.code: r for q in quadri for r in q.rows()}
        self.cells: dict[CellKey, CellDef] = {c.key: c for r in self.rows.values() for c in r.cells}
        self.inputs_of_row = {code: [c.key for c in r.cells if c.kind == "input"] for code, r in self.rows.items()}
        self.selected: set[CellKey] = set()
        self.unknown: list[str] = []
        self.no_inputs: list[str] = []
        self.useless: list[str] = []

    def _cell_key(self, text: str) -> CellKey | None:
        row, _, col = text.partition(".")
        return (row, col) if (row, col) in self.cells else None

    def add_quadri(self, numbers: list[int]) -> None:
        for number in numbers:
            if number not in self.quadri:
                self.unknown.append(f"Quadro {number}")
                continue
            keys = [k for r in self.quadri[number].rows() for k in self.inputs_of_row[r.code]]
            if not keys:
                self.no_inputs.append(f"Quadro {number}")
            self.selected.update(keys)

    def add_rows(self, codes: list[str]) -> None:
        for code in codes:
            if code not in self.rows:
                self.unknown.append(code)
            elif not self.inputs_of_row[code]:
                self.no_inputs.append(code)
            else:
                self.selected.update(self.inputs_of_row[code])

    def add_cells(self, texts: list[str]) -> None:
        for text in texts:
            key = self._cell_key(text)
            if key is None:
                self.unknown.append(text)
            elif self.cells[key].kind != "input":
                self.no_inputs.append(text)
            else:
                self.selected.add(key)

    def _except_keys(self, text: str) -> list[CellKey] | None:
        """The input cells of a row code, or the cell of a ROW.COL text; None if unknown."""
        if "." not in text:
            return self.inputs_of_row.get(text)
        key = self._cell_key(text)
        return None if key is None else [key]

    def remove(self, texts: list[str]) -> None:
        for text in texts:
            keys = self._except_keys(text)
            if keys is None:
                self.unknown.append(text)
                continue
            if not self.selected.intersection(keys):
                self.useless.append(text)
            self.selected.difference_update(keys)

    def problems(self) -> list[str]:
        problems = []
        if self.unknown:
            problems.append(f"codici sconosciuti {', '.join(self.unknown)}")
        if self.no_inputs:
            problems.append(f"senza celle da compilare (calcolate, precompilate o assenti) {', '.join(self.no_inputs)}")
        if self.useless:
            problems.append(f"«except» non toglie nulla per {', '.join(self.useless)}")
        return problems
