"""The grid of a quadro as the seed prints it: blocks with headings, column headers, rows and cells.

Shared by the data entry page and the PDF, so both show the same structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from monitoring.engine import CompiledTemplate, Message, Result
from monitoring.engine.template import BlockDef, CellDef, QuadroDef, RowDef


class CellFields:
    """A cell (`row`, `col`) with the fields the quadro page gives it: value `v-<name>`, comment `c-<name>`."""

    row: str
    col: str

    @property
    def name(self) -> str:
        """Suffix of the cell's fields on the quadro page (v-ROW-COL, c-ROW-COL)."""
        return f"{self.row}-{self.col}"


@dataclass
class CellView(CellFields):
    row: str
    col: str
    kind: str  # input, computed, precompiled, na
    unit: str = ""
    text: str = ""  # value as shown (1.234,56)
    raw: str = ""  # value as typed / stored, for the input field
    plain: str = ""  # value as the scheda prints it (no thousands separator)
    prefix: str = ""
    suffix: str = ""
    max_length: int | None = None
    comment: str = ""
    prefilled: bool = False
    messages: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.row}.{self.col}"

    @property
    def has_error(self) -> bool:
        return any(m.severity == "error" for m in self.messages)

    @property
    def has_warning(self) -> bool:
        """A warning on this very cell (not a row-level one shown here): its comment justifies it."""
        return any(m.severity == "warning" and m.col == self.col for m in self.messages)


@dataclass
class RowView:
    code: str
    display_code: str
    label: str
    unit: str
    help: str | None
    cells: list[CellView]
    header: list[tuple[str, str]] | None = None  # own column header (code, label) when the block has none
    sentences: list[str] = field(default_factory=list)


@dataclass
class BlockView:
    headings: tuple[str, ...]
    help: str | None
    header: list[tuple[str, str]]
    rows: list[RowView]


@dataclass
class QuadroView:
    number: int
    title: str
    help: str | None
    applies: bool
    blocks: list[BlockView]
    errors: int = 0
    warnings: int = 0


def row_title(row: RowDef) -> str:
    """A row as the seed prints it in front of its cells: «R05 - Bambini gestiti…», or the bare code."""
    return f"{row.display_code} - {row.label}" if row.label else row.display_code


def quadro_views(
    compiled: CompiledTemplate,
    result: Result,
    *,
    raw: dict[tuple[str, str], str] | None = None,
    comments: dict[tuple[str, str], str] | None = None,
    prefilled: set[tuple[str, str]] | None = None,
    only: int | None = None,
) -> list[QuadroView]:
    """The quadri (or only quadro `only`) with the computed values; `raw` holds the values as typed, `comments`
    the cells' comments, `prefilled` the cells still holding last year's value."""
    builder = _Builder(compiled, result, raw or {}, comments or {}, prefilled or set())
    return [builder.quadro(q) for q in compiled.definition.quadri if only is None or q.number == only]


class _Builder:
    def __init__(
        self,
        compiled: CompiledTemplate,
        result: Result,
        raw: dict[tuple[str, str], str],
        comments: dict[tuple[str, str], str],
        prefilled: set[tuple[str, str]],
    ) -> None:
        self.compiled, self.result = compiled, result
        self.raw, self.comments, self.prefilled = raw, comments, prefilled
        self.labels = {c.code: c.label for c in compiled.definition.columns}
        self.messages: dict[tuple[str, str | None], list[Message]] = {}
        for m in result.errors + result.warnings:
            if m.row:
                self.messages.setdefault((m.row, m.col), []).append(m)
        self.sentences: dict[str, list[str]] = {}
        for s in result.sentences:
            if s.after_row:
                self.sentences.setdefault(s.after_row, []).append(s.text)

    def quadro(self, quadro: QuadroDef) -> QuadroView:
        qv = QuadroView(quadro.number, quadro.title, quadro.help, self.result.quadri.get(quadro.number, True), [])
        for block in quadro.blocks:
            header = [(c, self.labels.get(c, "")) for c in block.columns]
            rows = [self.row(block, row) for row in block.rows]
            for cv in (c for r in rows for c in r.cells if c.kind != "na"):
                own = self.messages.get((cv.row, cv.col), [])  # a row's messages are counted on no cell
                qv.errors += sum(1 for m in own if m.severity == "error")
                qv.warnings += sum(1 for m in own if m.severity == "warning")
            qv.blocks.append(BlockView(block.headings, block.help, header, rows))
        return qv

    def row(self, block: BlockDef, row: RowDef) -> RowView:
        defined = {c.col: c for c in row.cells}
        cols = list(block.columns) if block.columns else [c.col for c in row.cells]
        cells = [self.cell(row, col, defined.get(col)) for col in cols]
        row_messages = self.messages.get((row.code, None), [])
        if row_messages and cells:
            cells[0].messages = cells[0].messages + row_messages
        return RowView(
            row.code,
            row.display_code,
            row.label,
            row.unit,
            row.help,
            cells,
            header=None if block.columns else [(c, self.labels.get(c, "")) for c in cols],
            sentences=self.sentences.get(row.code, []),
        )

    def cell(self, row: RowDef, col: str, cell: CellDef | None) -> CellView:
        if cell is None or cell.kind == "na":
            return CellView(row.code, col, "na")
        key = (row.code, col)
        value = self.result.values.get(key)
        plain = self.compiled.format_value(key, value, grouping=False)
        return CellView(
            row.code,
            col,
            cell.kind,
            cell.unit,
            text=self.compiled.format_value(key, value),
            plain=plain,
            raw=self.raw.get(key, plain),
            prefix=cell.prefix,
            suffix=cell.suffix,
            max_length=cell.max_length,
            comment=self.comments.get(key, ""),
            prefilled=key in self.prefilled,
            messages=self.messages.get(key, []),
        )
