"""The grid of a quadro as the seed prints it: blocks with headings, column headers, rows and cells.

Shared by the data entry page and the PDF, so both show the same structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from monitoring.engine import CompiledTemplate, Result


@dataclass
class CellView:
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
    def name(self) -> str:
        return f"{self.row}-{self.col}"

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


def quadro_views(
    compiled: CompiledTemplate,
    result: Result,
    *,
    raw: dict[tuple[str, str], str] | None = None,
    comments: dict[tuple[str, str], str] | None = None,
    prefilled: set[tuple[str, str]] | None = None,
    only: int | None = None,
) -> list[QuadroView]:
    raw, comments, prefilled = raw or {}, comments or {}, prefilled or set()
    labels = {c.code: c.label for c in compiled.definition.columns}
    messages: dict[tuple[str, str | None], list] = {}
    for m in result.errors + result.warnings:
        if m.row:
            messages.setdefault((m.row, m.col), []).append(m)
    sentences: dict[str, list[str]] = {}
    for s in result.sentences:
        if s.after_row:
            sentences.setdefault(s.after_row, []).append(s.text)
    out = []
    for quadro in compiled.definition.quadri:
        if only is not None and quadro.number != only:
            continue
        qv = QuadroView(quadro.number, quadro.title, quadro.help, result.quadri.get(quadro.number, True), [])
        for block in quadro.blocks:
            header = [(c, labels.get(c, "")) for c in block.columns]
            rows = []
            for row in block.rows:
                defined = {c.col: c for c in row.cells}
                cols = list(block.columns) if block.columns else [c.col for c in row.cells]
                cells = []
                for col in cols:
                    cell = defined.get(col)
                    key = (row.code, col)
                    if cell is None or cell.kind == "na":
                        cells.append(CellView(row.code, col, "na"))
                        continue
                    value = result.values.get(key)
                    cv = CellView(
                        row.code,
                        col,
                        cell.kind,
                        cell.unit,
                        text=compiled.format_value(key, value),
                        plain=compiled.format_value(key, value, grouping=False),
                        raw=raw.get(key, compiled.format_value(key, value, grouping=False)),
                        prefix=cell.prefix,
                        suffix=cell.suffix,
                        max_length=cell.max_length,
                        comment=comments.get(key, ""),
                        prefilled=key in prefilled,
                        messages=messages.get(key, []),
                    )
                    qv.errors += sum(1 for m in cv.messages if m.severity == "error")
                    qv.warnings += sum(1 for m in cv.messages if m.severity == "warning")
                    cells.append(cv)
                row_messages = messages.get((row.code, None), [])
                if row_messages and cells:
                    cells[0].messages = cells[0].messages + row_messages
                rows.append(
                    RowView(
                        row.code,
                        row.display_code,
                        row.label,
                        row.unit,
                        row.help,
                        cells,
                        header=None if block.columns else [(c, labels.get(c, "")) for c in cols],
                        sentences=sentences.get(row.code, []),
                    )
                )
            qv.blocks.append(BlockView(block.headings, block.help, header, rows))
        out.append(qv)
    return out
