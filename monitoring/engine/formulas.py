"""Safe formula evaluator over ``Decimal`` for the SOSE schede, and the template compiler.

Formula language (a small, whitelisted subset of Python expressions, evaluated with ``simpleeval``):

* ``R05[N25]`` - the value of the cell at row ``R05``, column ``N25`` (codes as in the template JSON);
* numbers (``100``, ``0.75``: always with a dot), strings (``"SI"``), ``True``/``False``/``None``;
* ``+ - * /``, unary ``-``, comparisons ``== != < <= > >=``, ``and``/``or``/``not``,
  and the ternary ``a if condition else b`` (only the chosen branch is evaluated);
* ``sum_range(R30, R59, UNR)`` - sum of column ``UNR`` over the rows from ``R30`` to ``R59`` inclusive, in
  template order (rows without that column are skipped);
* ``sum_rows(N25, R05, R06, R09)`` - sum of column ``N25`` over the listed rows;
* ``sum_cols(R10, N25, S25, P25, A25)`` - sum of row ``R10`` over the listed columns;
* ``sum(a, b, ...)``, ``min(...)``, ``max(...)``, ``abs(x)``, ``round_half_up(x, 2)`` (halves away from zero);
* ``is_empty(R05[N25])`` - true when the cell has no value;
* ``quadro_applies(3)`` - whether Quadro 3 applies (only in rules and sentences, not in cells or conditions).

Codes are never quoted. Anything else (attributes, subscripts other than cell references, ``**``, ``//``,
comprehensions, lambdas, keyword arguments, unknown names or functions) is rejected when the template is
compiled, with an Italian message naming the cell, rule or sentence.

Semantics:

* Arithmetic is ``Decimal`` throughout (28 significant digits); a computed cell is rounded half up to its
  number of decimals (from the cell, the row or the unit: numero 0, euro 2, percentuale 2, ore 0) and
  dependent formulas read the rounded value, as the scheda does (R20 = 3474.5 → 3475, then R21 = 51.80).
* Empty cells: an empty (missing, ``None`` or blank) cell counts as 0 in arithmetic and sums, and
  ``min``/``max`` ignore it; but when *every* cell a formula references directly is empty, the result is
  empty. Rules whose referenced cells are all empty are not checked.
* Division by zero gives an empty result plus a warning (never an exception); the undefined value
  propagates through the rest of the formula and makes a condition false.
* A runtime type error (text used in a sum, text compared with a number) gives an empty cell and an error.

Usage::

    compiled = compile_template(json.load(open("fixtures/schede/nid26.json")))
    result = compiled.compute({("R05", "N25"): "748", ("R06", "N25"): Decimal(556), ...})
    result.values[("R10", "N25")], result.errors, result.warnings, result.quadri, result.sentences
    result.missing  # the cells declared in the template's "required" that are empty (quadri that apply)

Input strings are parsed with :func:`.numbers.parse_decimal` (``"1.234,56"``); ``Si/No`` cells accept
``SI``/``NO`` in any case. Values supplied for computed cells are not used, but a warning is produced when
they differ from the computed value (a typed total that does not add up is flagged, never silently fixed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal, localcontext
from typing import Any

from core.numbers import NumberParseError, format_it, parse_decimal, round_half_up

from .errors import FormulaError
from .expressions import NA, Evaluator, Expression, Scope, compile_expression
from .sentences import placeholders, render_sentence
from .template import CellDef, RowDef, RuleDef, SentenceDef, TemplateDef, parse_template

__all__ = ["CompiledTemplate", "FormulaError", "Message", "RenderedSentence", "Result", "compile_template"]

CellKey = tuple[str, str]
CellValue = Decimal | str | None
_SI = {"SI": "SI", "SÌ": "SI", "SÍ": "SI", "NO": "NO"}


@dataclass(frozen=True)
class Message:
    """An error or warning, in Italian, optionally attached to a cell for display."""

    severity: str
    text: str
    row: str | None = None
    col: str | None = None
    rule: str | None = None


@dataclass(frozen=True)
class RenderedSentence:
    """A sentence of the scheda as printed, placed after ``after_row`` in ``quadro``."""

    id: str
    quadro: int
    after_row: str | None
    text: str
    from_seed: bool


@dataclass
class Result:
    """Outcome of :meth:`CompiledTemplate.compute`."""

    values: dict[CellKey, CellValue]
    computed: dict[CellKey, Decimal | None]
    quadri: dict[int, bool]
    sentences: list[RenderedSentence] = field(default_factory=list)
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    missing: list[CellKey] = field(default_factory=list)  # required cells still empty, in quadri that apply

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, severity: str, text: str, key: tuple[str, str | None] | None = None, rule: str | None = None) -> None:
        msg = Message(severity, text, key[0] if key else None, key[1] if key else None, rule)
        (self.errors if severity == "error" else self.warnings).append(msg)

    def messages_for(self, row: str, col: str | None = None) -> list[Message]:
        """Errors and warnings attached to a row (and column, if given)."""
        return [m for m in self.errors + self.warnings if m.row == row and (col is None or m.col == col)]

    def sentences_after(self, row: str) -> list[str]:
        """Texts of the sentences printed after ``row``."""
        return [s.text for s in self.sentences if s.after_row == row]


@dataclass(frozen=True)
class _Rule:
    id: str
    expression: Expression
    severity: str
    message: str
    key: tuple[str, str | None] | None
    quadro: int | None


@dataclass(frozen=True)
class _Sentence:
    definition: SentenceDef
    when: Expression | None


class CompiledTemplate:
    """A template whose formulas, rules, conditions and sentences have been checked and precompiled."""

    def __init__(self, definition: TemplateDef) -> None:
        self.definition = definition
        self.rows: dict[str, RowDef] = {r.code: r for r in definition.rows()}
        self.cells: dict[CellKey, CellDef] = {}
        self.na_cells: set[CellKey] = set()
        for quadro in definition.quadri:
            for block in quadro.blocks:
                for row in block.rows:
                    present = {c.col for c in row.cells}
                    self.na_cells.update((row.code, col) for col in block.columns if col not in present)
                    for cell in row.cells:
                        if cell.kind == "na":
                            self.na_cells.add(cell.key)
                        else:
                            self.cells[cell.key] = cell
        # the cells a user types in, with their quadro (the completeness of a scheda counts them)
        self.input_cells: tuple[tuple[CellKey, int], ...] = tuple(
            (key, cell.quadro) for key, cell in self.cells.items() if cell.kind == "input"
        )
        self._fill_together = [
            (row.code, block.fill_together) for q in definition.quadri for block in q.blocks for row in block.rows
        ]
        scope = Scope(
            rows=tuple(self.rows),
            columns=frozenset(c.code for c in definition.columns),
            cells=frozenset(self.cells),
            quadri=frozenset(q.number for q in definition.quadri),
        )
        self._formulas: dict[CellKey, Expression] = {
            key: compile_expression(cell.formula or "", scope, f"Formula della cella {key[0]}/{key[1]}")
            for key, cell in self.cells.items()
            if cell.kind == "computed"
        }
        self.order: tuple[CellKey, ...] = self._topological_order()
        self._applies = {
            q.number: compile_expression(q.applies_if, scope, f"Condizione di applicabilità del Quadro {q.number}")
            for q in definition.quadri
            if q.applies_if
        }
        self._rules = [self._compile_rule(r, scope) for r in definition.rules]
        self._sentences = [self._compile_sentence(s, scope) for s in definition.sentences]

    # -- compilation ------------------------------------------------------------------------------
    def _topological_order(self) -> tuple[CellKey, ...]:
        deps = {key: [r for r in expr.refs if r in self._formulas] for key, expr in self._formulas.items()}
        order: list[CellKey] = []
        state: dict[CellKey, int] = {}  # 1 = visiting, 2 = done

        def visit(key: CellKey, path: list[CellKey]) -> None:
            if state.get(key) == 2:
                return
            if state.get(key) == 1:
                cycle = [*path[path.index(key) :], key]
                chain = " → ".join(f"{r}/{c}" for r, c in cycle)
                raise FormulaError(f"Formula della cella {key[0]}/{key[1]}: dipendenza circolare {chain}")
            state[key] = 1
            for dep in deps[key]:
                visit(dep, [*path, key])
            state[key] = 2
            order.append(key)

        for key in self._formulas:  # template order, so that errors and the order are deterministic
            visit(key, [])
        return tuple(order)

    def _compile_rule(self, rule: RuleDef, scope: Scope) -> _Rule:
        where = f"Regola {rule.id}"
        key = None
        if rule.row is not None:
            if rule.row not in self.rows:
                raise FormulaError(f"{where}: codice sconosciuto {rule.row}")
            key = (rule.row, rule.col)
            if rule.col is not None and key not in self.cells:
                raise FormulaError(f"{where}: la cella {rule.row}/{rule.col} non esiste nel modello")
        expr = compile_expression(rule.expr, scope, where, allow_quadro=True)
        quadro = self.rows[rule.row].quadro if rule.row else None
        return _Rule(rule.id, expr, rule.severity, rule.message, key, quadro)

    def _compile_sentence(self, sentence: SentenceDef, scope: Scope) -> _Sentence:
        where = f"Frase {sentence.id}"
        if sentence.after_row is not None and sentence.after_row not in self.rows:
            raise FormulaError(f"{where}: codice sconosciuto {sentence.after_row}")
        for variant in (sentence.if_true, sentence.if_false):
            for row, col in placeholders(variant.text) if variant else []:
                if (row, col) not in self.cells:
                    raise FormulaError(f"{where}: la cella {row}/{col} del segnaposto non esiste nel modello")
        when = compile_expression(sentence.when, scope, where, allow_quadro=True) if sentence.when else None
        return _Sentence(sentence, when)

    # -- helpers ----------------------------------------------------------------------------------
    @property
    def code(self) -> str:
        return self.definition.code

    def decimals(self, key: CellKey) -> int | None:
        cell = self.cells.get(key)
        return cell.decimals if cell else None

    def format_value(self, key: CellKey, value: CellValue, grouping: bool = True) -> str:
        """Format a cell value for display (``1.234,56``; ``grouping=False`` as printed by the scheda)."""
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return format_it(value, self.decimals(key) or 0, grouping=grouping)
        return str(value)

    # -- computation ------------------------------------------------------------------------------
    def compute(self, values: Mapping[CellKey, Any]) -> Result:
        """Normalise the inputs, compute every formula, evaluate conditions, rules and sentences."""
        cells: dict[CellKey, CellValue] = dict.fromkeys(self.cells)
        result = Result(values=cells, computed={}, quadri={})
        supplied: dict[CellKey, Any] = {}
        with localcontext(Context(prec=28)):
            for raw_key, raw in values.items():
                key = (raw_key[0], raw_key[1])
                cell = self.cells.get(key)
                if cell is None:
                    if _blank(raw):
                        continue
                    text = "cella non prevista" if key in self.na_cells else "cella sconosciuta"
                    result.add("warning", f"Cella {key[0]}/{key[1]}: {text}, valore ignorato", key)
                elif cell.kind == "computed":
                    supplied[key] = raw
                else:
                    cells[key] = self._normalise(cell, raw, result)
            evaluator = Evaluator(cells, result.quadri)
            self._compute_cells(evaluator, cells, result)
            self._check_supplied(supplied, cells, result)
            self._apply_quadri(evaluator, cells, result)
            result.missing = [
                key
                for key in self.definition.required
                if cells[key] is None and result.quadri.get(self.cells[key].quadro, True)
            ]
            self._check_fill_together(cells, result)
            self._check_rules(evaluator, cells, result)
            self._render_sentences(evaluator, cells, result)
        return result

    def quadri_applying(self, stored: Mapping[CellKey, Any]) -> dict[int, bool]:
        """Which quadri apply, from the values a computed scheda stores (inputs and computed cells, as saved by
        ``Scheda.risultati``): the quadri's conditions alone, without recomputing the formulas."""
        cells: dict[CellKey, CellValue] = dict.fromkeys(self.cells)
        result = Result(values=cells, computed={}, quadri={})
        with localcontext(Context(prec=28)):
            for key, raw in stored.items():
                cell = self.cells.get(key)
                if cell is not None:
                    cells[key] = self._normalise(cell, raw, result)
            self._apply_quadri(Evaluator(cells, result.quadri), cells, result)
        return result.quadri

    def _apply_quadri(self, evaluator: Evaluator, cells: Mapping[CellKey, CellValue], result: Result) -> None:
        for quadro in self.definition.quadri:
            expr = self._applies.get(quadro.number)
            label = f"Condizione del Quadro {quadro.number}"
            result.quadri[quadro.number] = expr is None or self._truth(evaluator, expr, cells, label, result) is True

    def _compute_cells(self, evaluator: Evaluator, cells: dict[CellKey, CellValue], result: Result) -> None:
        for key in self.order:
            expr = self._formulas[key]
            value: Any = None
            if not expr.refs or any(cells[r] is not None for r in expr.refs):
                try:
                    value = evaluator.evaluate(expr)
                except (TypeError, ArithmeticError, ValueError) as exc:
                    result.add("error", f"Cella {key[0]}/{key[1]}: errore nel calcolo di «{expr.source}» ({exc})", key)
                    value = None
                if evaluator.division_by_zero:
                    result.add("warning", f"Cella {key[0]}/{key[1]}: divisione per zero, il valore resta vuoto", key)
            if isinstance(value, str):
                result.add("error", f"Cella {key[0]}/{key[1]}: il risultato di «{expr.source}» non è un numero", key)
                value = None
            if value is NA or value is None:
                value = None
            else:
                value = round_half_up(Decimal(value), self.cells[key].decimals or 0)
            cells[key] = value
            result.computed[key] = value

    def _truth(
        self, evaluator: Evaluator, expr: Expression, cells: Mapping[CellKey, CellValue], label: str, result: Result
    ) -> bool | None:
        """Evaluate a condition: ``None`` when it cannot be decided (all references empty, NA, or an error)."""
        if expr.refs and all(cells[r] is None for r in expr.refs):
            return None
        try:
            value = evaluator.evaluate(expr)
        except (TypeError, ArithmeticError, ValueError) as exc:
            result.add("warning", f"{label}: verifica non eseguita, errore in «{expr.source}» ({exc})")
            return None
        return None if value is NA else bool(value)

    def _check_supplied(
        self, supplied: Mapping[CellKey, Any], cells: Mapping[CellKey, CellValue], result: Result
    ) -> None:
        for key, raw in supplied.items():
            if _blank(raw):
                continue
            try:
                given = _to_decimal(raw)
            except NumberParseError as exc:
                result.add("warning", f"Cella {key[0]}/{key[1]} (calcolata): {exc}", key)
                continue
            computed = cells[key]
            if computed is None or round_half_up(given, self.cells[key].decimals or 0) != computed:
                shown = self.format_value(key, computed) or "vuoto"
                result.add(
                    "warning",
                    f"Cella {key[0]}/{key[1]}: il valore indicato {raw} differisce dal valore calcolato {shown}",
                    key,
                )

    def _normalise(self, cell: CellDef, raw: Any, result: Result) -> CellValue:
        if _blank(raw):
            return None
        if cell.unit == "testo":
            return _normalise_text(cell, raw, result)
        if cell.unit == "sino":
            return _normalise_sino(cell, raw, result)
        return _normalise_number(cell, raw, result)

    def _check_fill_together(self, cells: Mapping[CellKey, CellValue], result: Result) -> None:
        for row, cols in self._fill_together:
            keys = [(row, c) for c in cols if (row, c) in self.cells]
            filled = [k for k in keys if cells[k] is not None]
            if filled and len(filled) < len(keys):
                missing = ", ".join(self._column_label(k[1]) for k in keys if cells[k] is None)
                result.add("warning", f"Riga {row}: compilare anche {missing}", (row, keys[0][1]), "fill_together")

    def _column_label(self, col: str) -> str:
        for c in self.definition.columns:
            if c.code == col:
                return f"«{c.label}»" if c.label else col
        return col

    def _check_rules(self, evaluator: Evaluator, cells: Mapping[CellKey, CellValue], result: Result) -> None:
        for rule in self._rules:
            if rule.quadro is not None and not result.quadri.get(rule.quadro, True):
                continue
            if self._truth(evaluator, rule.expression, cells, f"Regola {rule.id}", result) is False:
                result.add(rule.severity, rule.message, rule.key, rule.id)

    def _render_sentences(self, evaluator: Evaluator, cells: Mapping[CellKey, CellValue], result: Result) -> None:
        for sentence in self._sentences:
            d = sentence.definition
            if not result.quadri.get(d.quadro, True):
                continue
            truth = (
                True if sentence.when is None else self._truth(evaluator, sentence.when, cells, f"Frase {d.id}", result)
            )
            if truth is None:
                continue
            variant = d.if_true if truth else d.if_false
            if variant is None:
                continue
            text = render_sentence(variant.text, cells, self.decimals)
            if text is not None:
                result.sentences.append(RenderedSentence(d.id, d.quadro, d.after_row, text, variant.from_seed))


def _normalise_text(cell: CellDef, raw: Any, result: Result) -> str:
    text = str(raw)
    if cell.max_length is not None and len(text) > cell.max_length:
        limit, length = format_it(cell.max_length, 0), format_it(len(text), 0)
        result.add(
            "error", f"Cella {cell.row}/{cell.col}: il testo supera il limite di {limit} caratteri ({length})", cell.key
        )
    return text


def _normalise_sino(cell: CellDef, raw: Any, result: Result) -> str | None:
    if isinstance(raw, bool):
        return "SI" if raw else "NO"
    value = _SI.get(str(raw).strip().upper())
    if value is None:
        result.add("error", f"Cella {cell.row}/{cell.col}: valore non ammesso «{raw}». Indicare SI o NO", cell.key)
    return value


def _normalise_number(cell: CellDef, raw: Any, result: Result) -> Decimal | None:
    key, where = cell.key, f"Cella {cell.row}/{cell.col}"
    try:
        number = _to_decimal(raw)
    except NumberParseError as exc:
        result.add("error", f"{where}: {exc}", key)
        return None
    if not number.is_finite():
        result.add("error", f"{where}: valore non numerico", key)
        return None
    if number < 0 and not cell.allow_negative:
        result.add("error", f"{where}: il valore non può essere negativo", key)
    decimals = cell.decimals or 0
    if round_half_up(number, decimals) != number:
        result.add("warning", f"{where}: sono ammessi al massimo {decimals} decimali", key)
    return number


def _to_decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise NumberParseError(str(raw))
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    return parse_decimal(str(raw))


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def compile_template(defn: Mapping[str, Any] | TemplateDef) -> CompiledTemplate:
    """Validate a template definition (the parsed JSON) and precompile all its formulas.

    Raises :class:`~.errors.TemplateError` for a malformed structure and :class:`FormulaError` (a subclass)
    for syntax errors, unknown row/column codes and dependency cycles, naming the offending cell.
    """
    definition = defn if isinstance(defn, TemplateDef) else parse_template(defn)
    return CompiledTemplate(definition)
