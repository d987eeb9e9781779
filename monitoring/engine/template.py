"""Structure of a scheda template (the JSON in ``fixtures/schede``) parsed into immutable dataclasses.

:func:`parse_template` checks the shape of the JSON (required keys, units, kinds, unknown columns, duplicate
codes) and raises :class:`~.errors.TemplateError` with an Italian message. Formulas are compiled later by
:func:`.formulas.compile_template`. The JSON schema is described in ``fixtures/schede/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .definitions import (
    KINDS,
    SEVERITIES,
    UNITS,
    BlockDef,
    CellDef,
    ColumnDef,
    QuadroDef,
    RowDef,
    RuleDef,
    SentenceDef,
    SentenceVariant,
    TemplateDef,
)
from .errors import TemplateError
from .required import REQUIRED_KEYS, resolve_required

_CODE = re.compile(r"[A-Z][A-Z0-9_]*")

__all__ = [
    "KINDS",
    "REQUIRED_KEYS",
    "UNITS",
    "BlockDef",
    "CellDef",
    "ColumnDef",
    "QuadroDef",
    "RowDef",
    "RuleDef",
    "SentenceDef",
    "SentenceVariant",
    "TemplateDef",
    "parse_template",
]


def _req(obj: Mapping[str, Any], key: str, where: str, kind: type | tuple[type, ...] = str) -> Any:
    if not isinstance(obj, Mapping) or key not in obj:
        raise TemplateError(f"{where}: manca il campo «{key}»")
    value = obj[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise TemplateError(f"{where}: il campo «{key}» ha un tipo non valido")
    return value


def _opt(obj: Mapping[str, Any], key: str, where: str, kind: type | tuple[type, ...] = str) -> Any:
    if obj.get(key) is None:
        return None
    return _req(obj, key, where, kind)


def _code(value: str, where: str) -> str:
    if not _CODE.fullmatch(value):
        raise TemplateError(f"{where}: codice «{value}» non valido (lettere maiuscole, cifre e _)")
    return value


class _Parser:
    def __init__(self, defn: Mapping[str, Any]) -> None:
        if not isinstance(defn, Mapping):
            raise TemplateError("Il modello deve essere un oggetto JSON")
        self.defn = defn
        self.where = f"Modello {defn.get('code', '?')}"
        self.columns: dict[str, ColumnDef] = {}
        self.rows: set[str] = set()

    def parse(self) -> TemplateDef:
        d, w = self.defn, self.where
        for i, c in enumerate(_req(d, "columns", w, list)):
            code = _code(_req(c, "code", f"{w}, colonna {i + 1}"), w)
            if code in self.columns:
                raise TemplateError(f"{w}: colonna {code} duplicata")
            self.columns[code] = ColumnDef(code, _req(c, "label", f"{w}, colonna {code}"))
        quadri = tuple(self._quadro(q) for q in _req(d, "quadri", w, list))
        numbers = [q.number for q in quadri]
        if len(set(numbers)) != len(numbers):
            raise TemplateError(f"{w}: numeri di quadro duplicati")
        return TemplateDef(
            code=_code(_req(d, "code", w), w),
            title=_req(d, "title", w),
            service=_req(d, "service", w),
            reference_year=_req(d, "reference_year", w, int),
            due_date=_req(d, "due_date", w),
            version=_req(d, "version", w, int),
            columns=tuple(self.columns.values()),
            quadri=quadri,
            rules=tuple(self._rules(d.get("rules") or [])),
            sentences=tuple(self._sentence(s, set(numbers)) for s in d.get("sentences") or []),
            required=self._required(d.get("required"), quadri),
        )

    def _column(self, code: Any, where: str) -> str:
        if code not in self.columns:
            raise TemplateError(f"{where}: colonna {code} non definita in «columns»")
        return code

    def _quadro(self, q: Mapping[str, Any]) -> QuadroDef:
        number = _req(q, "number", f"{self.where}, quadro", int)
        where = f"{self.where}, Quadro {number}"
        blocks = tuple(self._block(b, number, where) for b in _req(q, "blocks", where, list))
        return QuadroDef(number, _req(q, "title", where), _opt(q, "help", where), _opt(q, "applies_if", where), blocks)

    def _block(self, b: Mapping[str, Any], quadro: int, where: str) -> BlockDef:
        columns = tuple(self._column(c, where) for c in b.get("columns") or [])
        fill = tuple(self._column(c, where) for c in b.get("fill_together") or [])
        rows = tuple(self._row(r, quadro, where) for r in _req(b, "rows", where, list))
        headings = tuple(_req(b, "headings", where, list)) if "headings" in b else ()
        if not all(isinstance(h, str) for h in headings):
            raise TemplateError(f"{where}: «headings» deve essere un elenco di testi")
        return BlockDef(headings, _opt(b, "help", where), columns, rows, fill)

    def _row(self, r: Mapping[str, Any], quadro: int, where: str) -> RowDef:
        code = _code(_req(r, "code", f"{where}, riga"), where)
        where = f"{self.where}, riga {code}"
        if code in self.rows:
            raise TemplateError(f"{where}: codice di riga duplicato")
        self.rows.add(code)
        unit = _req(r, "unit", where)
        if unit not in UNITS:
            raise TemplateError(f"{where}: unità «{unit}» non valida ({', '.join(UNITS)})")
        seen: set[str] = set()
        cells = []
        for c in _req(r, "cells", where, list):
            cell = self._cell(c, code, unit, r, quadro, where)
            if cell.col in seen:
                raise TemplateError(f"{where}: colonna {cell.col} ripetuta")
            seen.add(cell.col)
            cells.append(cell)
        label = _req(r, "label", where)
        display = _opt(r, "display_code", where) or code
        return RowDef(code, display, label, unit, _opt(r, "help", where), tuple(cells), quadro)

    def _cell(
        self, c: Mapping[str, Any], row: str, row_unit: str, r: Mapping[str, Any], quadro: int, where: str
    ) -> CellDef:
        col = self._column(_req(c, "col", where), where)
        where = f"{self.where}, cella {row}/{col}"
        kind = _req(c, "kind", where)
        if kind not in KINDS:
            raise TemplateError(f"{where}: tipo «{kind}» non valido ({', '.join(KINDS)})")
        unit = _opt(c, "unit", where) or row_unit
        if unit not in UNITS:
            raise TemplateError(f"{where}: unità «{unit}» non valida")
        decimals = c.get("decimals", r.get("decimals", UNITS[unit]))
        if UNITS[unit] is None:
            decimals = None
        elif not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 12:
            raise TemplateError(f"{where}: «decimals» deve essere un intero tra 0 e 12")
        formula = _opt(c, "formula", where)
        if (kind == "computed") != (formula is not None):
            raise TemplateError(f"{where}: «formula» è obbligatoria per le celle calcolate e solo per esse")
        if kind == "computed" and decimals is None:
            raise TemplateError(f"{where}: una cella calcolata deve essere numerica")
        max_length = c.get("max_length", r.get("max_length"))
        if max_length is not None and (not isinstance(max_length, int) or max_length <= 0):
            raise TemplateError(f"{where}: «max_length» deve essere un intero positivo")
        return CellDef(
            row=row,
            col=col,
            kind=kind,
            unit=unit,
            decimals=decimals,
            formula=formula,
            prefix=_opt(c, "prefix", where) or "",
            suffix=_opt(c, "suffix", where) or "",
            max_length=max_length,
            allow_negative=bool(c.get("allow_negative", r.get("allow_negative", False))),
            quadro=quadro,
        )

    def _rules(self, rules: list[Mapping[str, Any]]) -> Iterator[RuleDef]:
        ids: set[str] = set()
        for r in rules:
            rid = _req(r, "id", f"{self.where}, regola")
            where = f"{self.where}, regola {rid}"
            severity = _req(r, "severity", where)
            if severity not in SEVERITIES:
                raise TemplateError(f"{where}: gravità «{severity}» non valida (error, warning)")
            expr, message = _req(r, "expr", where), _req(r, "message", where)
            row, col = _opt(r, "row", where), _opt(r, "col", where)
            each = _opt(r, "each_col", where, list)
            variants = [(f"{rid}:{c}", c) for c in each] if each else [(rid, None)]
            for vid, c in variants:
                if vid in ids:
                    raise TemplateError(f"{where}: identificativo duplicato")
                ids.add(vid)
                if c is not None:
                    label = self.columns[self._column(c, where)].label or c
                    text = message.replace("{col_label}", label).replace("{col}", c)
                    yield RuleDef(vid, expr.replace("{col}", c), severity, text, row, col or c)
                else:
                    yield RuleDef(vid, expr, severity, message, row, col)

    def _required(self, spec: Any, quadri: tuple[QuadroDef, ...]) -> tuple[tuple[str, str], ...]:
        """Resolve «required» (quadri, rows, cells, except) to the input cells to fill before sending."""
        return resolve_required(spec, quadri, f"{self.where}, «required»")

    def _sentence(self, s: Mapping[str, Any], quadri: set[int]) -> SentenceDef:
        sid = _req(s, "id", f"{self.where}, frase")
        where = f"{self.where}, frase {sid}"
        quadro = _req(s, "quadro", where, int)
        if quadro not in quadri:
            raise TemplateError(f"{where}: quadro {quadro} inesistente")

        def variant(key: str) -> SentenceVariant | None:
            v = _opt(s, key, where, dict)
            if v is None:
                return None
            return SentenceVariant(_req(v, "text", f"{where}, {key}"), bool(v.get("from_seed", False)))

        if_true, if_false = variant("if_true"), variant("if_false")
        if if_true is None and if_false is None:
            raise TemplateError(f"{where}: indicare almeno «if_true» o «if_false»")
        return SentenceDef(sid, quadro, _opt(s, "after_row", where), _opt(s, "when", where), if_true, if_false)


def parse_template(defn: Mapping[str, Any]) -> TemplateDef:
    """Check the JSON structure of a template and return its :class:`TemplateDef`."""
    return _Parser(defn).parse()
