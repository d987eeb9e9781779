"""Compiler and evaluator of the formula language (the syntax is documented in :mod:`.formulas`).

A formula is parsed once with :mod:`ast`, checked against a whitelist of constructs and rewritten:
``R05[N25]`` becomes a name whose id is the cell key ``("R05", "N25")``, range helpers are expanded into
explicit ``sum(...)`` calls and numeric literals become ``Decimal``. The rewritten tree is then evaluated
by :class:`simpleeval.SimpleEval` (never ``eval``) with Decimal-aware operators, so that the parsing cost is
paid only when the template is compiled.
"""

from __future__ import annotations

import ast
import operator as op
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from simpleeval import SimpleEval

from core.numbers import round_half_up

from .errors import FormulaError

__all__ = ["NA", "Evaluator", "Expression", "Scope", "compile_expression"]

CellKey = tuple[str, str]
ZERO = Decimal(0)


class _NotAvailable:
    """Result of an undefined operation (division by zero): it propagates and ends as an empty cell."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NA"


NA = _NotAvailable()

_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)
_UNARYOPS = (ast.USub, ast.UAdd, ast.Not)
_CMPOPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
# function name -> (min args, max args or None)
_PLAIN_FUNCTIONS = {"sum": (1, None), "min": (1, None), "max": (1, None), "abs": (1, 1), "round_half_up": (2, 2)}


@dataclass(frozen=True)
class Scope:
    """What a formula may reference: row order, column codes, existing cells and quadro numbers."""

    rows: Sequence[str]
    columns: frozenset[str]
    cells: frozenset[CellKey]
    quadri: frozenset[int] = frozenset()

    def row_index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.rows)}


@dataclass(frozen=True)
class Expression:
    """A compiled formula: the original text, the rewritten tree and the cells it reads directly."""

    source: str
    tree: ast.expr
    refs: tuple[CellKey, ...]


class _Compiler:
    def __init__(self, source: str, scope: Scope, where: str, allow_quadro: bool) -> None:
        self.source = source
        self.scope = scope
        self.where = where
        self.allow_quadro = allow_quadro
        self.refs: dict[CellKey, None] = {}
        self._row_index = scope.row_index()
        self._rows = set(scope.rows)

    def fail(self, message: str) -> FormulaError:
        return FormulaError(f"{self.where}: {message}")

    # -- references -------------------------------------------------------------------------------
    def _row(self, node: ast.expr) -> str:
        if not isinstance(node, ast.Name):
            raise self.fail(f"atteso un codice di riga, trovato «{self._text(node)}»")
        if node.id not in self._rows:
            raise self.fail(f"codice sconosciuto {node.id}")
        return node.id

    def _col(self, node: ast.expr) -> str:
        if not isinstance(node, ast.Name):
            raise self.fail(f"atteso un codice di colonna, trovato «{self._text(node)}»")
        if node.id not in self.scope.columns:
            raise self.fail(f"codice di colonna sconosciuto {node.id}")
        return node.id

    def _cell(self, row: str, col: str) -> ast.Name:
        key = (row, col)
        if key not in self.scope.cells:
            raise self.fail(f"la cella {row}/{col} non esiste nel modello")
        self.refs[key] = None
        return ast.Name(id=key, ctx=ast.Load())  # type: ignore[arg-type]  # tuple id: see module docstring

    def _text(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or type(node).__name__

    # -- tree walk --------------------------------------------------------------------------------
    def convert(self, node: ast.AST) -> ast.expr:
        for kind, method in self._CONVERTERS:
            if isinstance(node, kind):
                return method(self, node)
        raise self.fail(f"costrutto non ammesso: «{self._text(node)}»")

    def _subscript(self, node: ast.Subscript) -> ast.expr:
        return self._cell(self._row(node.value), self._col(node.slice))

    def _name(self, node: ast.Name) -> ast.expr:
        if node.id in self._rows:
            raise self.fail(f"riferimento incompleto {node.id}: indicare la colonna, ad esempio {node.id}[COL]")
        if node.id in self.scope.columns:
            raise self.fail(f"colonna {node.id} usata senza riga: scrivere RIGA[{node.id}]")
        raise self.fail(f"codice sconosciuto {node.id}")

    def _binop(self, node: ast.BinOp) -> ast.expr:
        if not isinstance(node.op, _BINOPS):
            raise self.fail(f"operatore non ammesso in «{self._text(node)}»")
        return ast.BinOp(left=self.convert(node.left), op=node.op, right=self.convert(node.right))

    def _unaryop(self, node: ast.UnaryOp) -> ast.expr:
        if not isinstance(node.op, _UNARYOPS):
            raise self.fail(f"operatore non ammesso in «{self._text(node)}»")
        return ast.UnaryOp(op=node.op, operand=self.convert(node.operand))

    def _boolop(self, node: ast.BoolOp) -> ast.expr:
        return ast.BoolOp(op=node.op, values=[self.convert(v) for v in node.values])

    def _compare(self, node: ast.Compare) -> ast.expr:
        if not all(isinstance(o, _CMPOPS) for o in node.ops):
            raise self.fail(f"confronto non ammesso in «{self._text(node)}»")
        return ast.Compare(
            left=self.convert(node.left), ops=node.ops, comparators=[self.convert(c) for c in node.comparators]
        )

    def _ifexp(self, node: ast.IfExp) -> ast.expr:
        return ast.IfExp(test=self.convert(node.test), body=self.convert(node.body), orelse=self.convert(node.orelse))

    def _constant(self, node: ast.Constant) -> ast.Constant:
        value = node.value
        if value is None or isinstance(value, (bool, str)):
            return ast.Constant(value=value)
        if isinstance(value, (int, float)):
            text = ast.get_source_segment(self.source, node) or str(value)
            try:
                # simpleeval returns a Constant's value as it is: Decimal literals keep the arithmetic exact.
                return ast.Constant(value=Decimal(text.replace("_", "")))  # type: ignore[arg-type]
            except ArithmeticError as exc:  # pragma: no cover - ast already validated the literal
                raise self.fail(f"numero non valido {text}") from exc
        raise self.fail(f"valore non ammesso {self._text(node)}")

    # -- function calls -----------------------------------------------------------------------------
    def _call(self, node: ast.Call) -> ast.expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(f"chiamata non ammessa: «{self._text(node)}»")
        name = node.func.id
        if node.keywords:
            raise self.fail(f"la funzione {name} non accetta argomenti con nome")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(f"argomenti non ammessi in «{self._text(node)}»")
        special = self._SPECIAL.get(name)
        if special is not None:
            return special(self, node.args)
        return self._plain_call(name, node.args)

    def _sum_range(self, args: list[ast.expr]) -> ast.expr:
        if len(args) != 3:
            raise self.fail("sum_range richiede tre argomenti: sum_range(PRIMA_RIGA, ULTIMA_RIGA, COLONNA)")
        first, last, col = self._row(args[0]), self._row(args[1]), self._col(args[2])
        i, j = self._row_index[first], self._row_index[last]
        if i > j:
            raise self.fail(f"intervallo {first}..{last} non valido: {first} segue {last} nel modello")
        rows = [r for r in self.scope.rows[i : j + 1] if (r, col) in self.scope.cells]
        if not rows:
            raise self.fail(f"nessuna cella della colonna {col} tra {first} e {last}")
        return self._sum([self._cell(r, col) for r in rows])

    def _sum_rows(self, args: list[ast.expr]) -> ast.expr:
        if len(args) < 2:
            raise self.fail("sum_rows richiede una colonna e almeno una riga: sum_rows(COLONNA, RIGA, ...)")
        col = self._col(args[0])
        return self._sum([self._cell(self._row(a), col) for a in args[1:]])

    def _sum_cols(self, args: list[ast.expr]) -> ast.expr:
        if len(args) < 2:
            raise self.fail("sum_cols richiede una riga e almeno una colonna: sum_cols(RIGA, COLONNA, ...)")
        row = self._row(args[0])
        return self._sum([self._cell(row, self._col(a)) for a in args[1:]])

    def _is_empty(self, args: list[ast.expr]) -> ast.expr:
        if len(args) != 1 or not isinstance(args[0], ast.Subscript):
            raise self.fail("is_empty richiede un riferimento di cella: is_empty(RIGA[COLONNA])")
        return _function_call("is_empty", [self.convert(args[0])])

    def _quadro_applies(self, args: list[ast.expr]) -> ast.expr:
        if not self.allow_quadro:
            raise self.fail("quadro_applies è ammessa solo nelle regole e nelle frasi")
        if len(args) != 1 or not isinstance(args[0], ast.Constant) or type(args[0].value) is not int:
            raise self.fail("quadro_applies richiede il numero del quadro: quadro_applies(3)")
        if args[0].value not in self.scope.quadri:
            raise self.fail(f"quadro {args[0].value} inesistente")
        return _function_call("quadro_applies", [ast.Constant(args[0].value)])

    def _plain_call(self, name: str, args: list[ast.expr]) -> ast.expr:
        if name not in _PLAIN_FUNCTIONS:
            raise self.fail(f"funzione sconosciuta {name}")
        low, high = _PLAIN_FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            raise self.fail(f"numero di argomenti errato per {name}")
        if name == "round_half_up":
            digits = args[1]
            if not isinstance(digits, ast.Constant) or type(digits.value) is not int or not 0 <= digits.value <= 12:
                raise self.fail("round_half_up richiede un numero intero di decimali: round_half_up(x, 2)")
            return _function_call(name, [self.convert(args[0]), ast.Constant(digits.value)])
        return _function_call(name, [self.convert(a) for a in args])

    # node type -> converter, and special function -> its expansion (checked in this order)
    _CONVERTERS: tuple[tuple[type[ast.AST], Callable[[Any, Any], ast.expr]], ...] = (
        (ast.Constant, _constant),
        (ast.Subscript, _subscript),
        (ast.Name, _name),
        (ast.BinOp, _binop),
        (ast.UnaryOp, _unaryop),
        (ast.BoolOp, _boolop),
        (ast.Compare, _compare),
        (ast.IfExp, _ifexp),
        (ast.Call, _call),
    )
    _SPECIAL: Mapping[str, Callable[[Any, list[ast.expr]], ast.expr]] = {
        "sum_range": _sum_range,
        "sum_rows": _sum_rows,
        "sum_cols": _sum_cols,
        "is_empty": _is_empty,
        "quadro_applies": _quadro_applies,
    }

    @staticmethod
    def _sum(cells: list[ast.Name]) -> ast.Call:
        return _function_call("sum", list(cells))


def _function_call(name: str, args: list[ast.expr]) -> ast.Call:
    """The call of a function of the evaluator (see :class:`Evaluator`) with positional arguments."""
    return ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=args, keywords=[])


def compile_expression(source: str, scope: Scope, where: str, allow_quadro: bool = False) -> Expression:
    """Parse and check one formula; ``where`` prefixes error messages (e.g. "Formula della cella R21/N25")."""
    if not isinstance(source, str) or not source.strip():
        raise FormulaError(f"{where}: formula vuota")
    text = source.strip()
    try:
        parsed = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"{where}: errore di sintassi in «{text}» ({exc.msg})") from None
    compiler = _Compiler(text, scope, where, allow_quadro)
    tree = compiler.convert(parsed.body)
    return Expression(source=text, tree=tree, refs=tuple(compiler.refs))


# -- evaluation -----------------------------------------------------------------------------------
def _arith(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        if a is NA or b is NA:
            return NA
        return fn(ZERO if a is None else a, ZERO if b is None else b)

    return apply


def _compare(fn: Callable[[Any, Any], bool]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        if a is NA or b is NA:
            return NA
        if a is None:
            a = "" if isinstance(b, str) else ZERO
        if b is None:
            b = "" if isinstance(a, str) else ZERO
        return fn(a, b)

    return apply


def _unary(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def apply(a: Any) -> Any:
        return NA if a is NA else fn(ZERO if a is None else a)

    return apply


def _f_sum(*args: Any) -> Any:
    total = ZERO
    for a in args:
        if a is NA:
            return NA
        if a is not None:
            total += a
    return total


def _f_extreme(pick: Callable[..., Any]) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        if any(a is NA for a in args):
            return NA
        present = [a for a in args if a is not None]
        return pick(present) if present else None

    return apply


def _f_round(value: Any, digits: int) -> Any:
    if value is NA:
        return NA
    return round_half_up(ZERO if value is None else Decimal(value), digits)


def _f_is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Evaluator:
    """Evaluates compiled expressions over one set of cell values (one instance per computation)."""

    def __init__(self, values: Mapping[CellKey, Any], quadri: Mapping[int, bool] | None = None) -> None:
        self.division_by_zero = False
        self._quadri = quadri if quadri is not None else {}
        operators = {
            ast.Add: _arith(op.add),
            ast.Sub: _arith(op.sub),
            ast.Mult: _arith(op.mul),
            ast.Div: self._divide,
            ast.USub: _unary(op.neg),
            ast.UAdd: _unary(op.pos),
            ast.Not: lambda a: NA if a is NA else not a,
            ast.Eq: _compare(op.eq),
            ast.NotEq: _compare(op.ne),
            ast.Lt: _compare(op.lt),
            ast.LtE: _compare(op.le),
            ast.Gt: _compare(op.gt),
            ast.GtE: _compare(op.ge),
        }
        functions = {
            "sum": _f_sum,
            "min": _f_extreme(min),
            "max": _f_extreme(max),
            "abs": _unary(abs),
            "round_half_up": _f_round,
            "is_empty": _f_is_empty,
            "quadro_applies": lambda n: bool(self._quadri.get(n, False)),
        }
        self._engine = SimpleEval(operators=operators, functions=functions, names=values)

    def _divide(self, a: Any, b: Any) -> Any:
        if a is NA or b is NA:
            return NA
        b = ZERO if b is None else b
        if b == 0:
            self.division_by_zero = True
            return NA
        return Decimal(ZERO if a is None else a) / Decimal(b)

    def evaluate(self, expression: Expression) -> Any:
        """Return the value (Decimal, bool, str, None or :data:`NA`); ``division_by_zero`` tells if one occurred.

        Type errors (e.g. text used in a sum) propagate as ``TypeError``/``ArithmeticError``.
        """
        self.division_by_zero = False
        return self._engine.eval(expression.source, previously_parsed=expression.tree)
