"""The immutable dataclasses of a parsed scheda template (quadri, blocks, rows, cells, rules, sentences) and the
vocabularies they use (units, kinds). Built by :func:`.template.parse_template`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

# unit -> default number of decimals (None: not a number)
UNITS: dict[str, int | None] = {"numero": 0, "euro": 2, "percentuale": 2, "ore": 0, "sino": None, "testo": None}
KINDS = ("input", "computed", "precompiled", "na")
SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class ColumnDef:
    code: str
    label: str


@dataclass(frozen=True)
class CellDef:
    row: str
    col: str
    kind: str
    unit: str
    decimals: int | None
    formula: str | None = None
    prefix: str = ""
    suffix: str = ""
    max_length: int | None = None
    allow_negative: bool = False
    quadro: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.row, self.col)

    @property
    def is_numeric(self) -> bool:
        return UNITS[self.unit] is not None


@dataclass(frozen=True)
class RowDef:
    code: str
    display_code: str
    label: str
    unit: str
    help: str | None
    cells: tuple[CellDef, ...]
    quadro: int


@dataclass(frozen=True)
class BlockDef:
    headings: tuple[str, ...]
    help: str | None
    columns: tuple[str, ...]
    rows: tuple[RowDef, ...]
    fill_together: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuadroDef:
    number: int
    title: str
    help: str | None
    applies_if: str | None
    blocks: tuple[BlockDef, ...]

    def rows(self) -> Iterator[RowDef]:
        for block in self.blocks:
            yield from block.rows


@dataclass(frozen=True)
class RuleDef:
    id: str
    expr: str
    severity: str
    message: str
    row: str | None
    col: str | None


@dataclass(frozen=True)
class SentenceVariant:
    text: str
    from_seed: bool


@dataclass(frozen=True)
class SentenceDef:
    id: str
    quadro: int
    after_row: str | None
    when: str | None
    if_true: SentenceVariant | None
    if_false: SentenceVariant | None


@dataclass(frozen=True)
class TemplateDef:
    code: str
    title: str
    service: str
    reference_year: int
    due_date: str
    version: int
    columns: tuple[ColumnDef, ...]
    quadri: tuple[QuadroDef, ...]
    rules: tuple[RuleDef, ...]
    sentences: tuple[SentenceDef, ...]
    required: tuple[tuple[str, str], ...] = ()  # input cells to fill before sending, in template order

    def rows(self) -> Iterator[RowDef]:
        for quadro in self.quadri:
            yield from quadro.rows()

    def cells(self) -> Iterator[CellDef]:
        for row in self.rows():
            yield from row.cells
