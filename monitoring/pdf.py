"""PDF of a scheda laid out like the SOSE scheda (seed 000): header, every quadro, sentences, free-text report.

:func:`scheda_pdf` builds a plain structure (:func:`scheda_pdf_context`) from the template and the engine's
result, and renders ``templates/monitoring/pdf/scheda.html`` with :func:`core.pdf.render_pdf`. Numbers are
printed as the scheda prints them: decimal comma, no thousands separator, the cell's decimals (``51,80``,
``4935260,53``, ``0,00000000``). Sentences go where the engine places them (after their row); slots of a list
(R30-R59) that are entirely empty are not printed, as in the seed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils import timezone

from core.pdf import render_pdf
from monitoring.engine import CompiledTemplate, RenderedSentence, Result
from monitoring.engine.template import BlockDef, CellDef, QuadroDef, RowDef

from .layout import row_title
from .models import Scheda
from .services import scheda_raw_values

__all__ = ["scheda_pdf", "scheda_pdf_context"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # pasted control characters: not printable


@dataclass
class PdfCell:
    text: str = ""
    numeric: bool = False
    na: bool = False

    @property
    def css(self) -> str:
        """``na`` (greyed), ``num`` (right-aligned, never wrapped), ``short`` (a code such as FC50U-2018) or ""."""
        if self.na:
            return "na"
        if self.numeric:
            return "num"
        return "short" if len(self.text) <= 12 else ""


@dataclass
class PdfRow:
    label: str
    cells: list[PdfCell]
    header: list[str] = field(default_factory=list)  # own column labels (rows without a shared header)


@dataclass
class PdfItem:
    """One printable piece of a quadro: heading, note, sentence, table (shared header), row, or report text.

    ``text`` is the text of headings, notes, sentences and reports, and the CSS class of a table.
    """

    kind: str
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[PdfRow] = field(default_factory=list)


@dataclass
class PdfQuadro:
    number: int
    title: str
    applies: bool
    items: list[PdfItem]


def scheda_pdf(scheda: Scheda) -> bytes:
    """The scheda as a PDF (A4, PDF/UA-1), laid out like the official SOSE scheda."""
    context = scheda_pdf_context(scheda)
    author = f"Comune di {scheda.comune.nome}"
    return render_pdf("monitoring/pdf/scheda.html", context, title=context["titolo"], author=author)


def scheda_pdf_context(scheda: Scheda) -> dict:
    """Template context: header fields and the quadri as lists of :class:`PdfItem`."""
    compiled = scheda.modello.compiled()
    result = compiled.compute(scheda_raw_values(scheda))
    return {
        "scheda": scheda,
        "titolo": compiled.definition.title,
        "denominazione": scheda.comune.nome.upper(),
        "codice_istat": scheda.comune.codice_istat,
        "data_modifica": timezone.localtime(scheda.modificata_il).strftime("%d/%m/%Y %H:%M"),
        "stato": scheda.get_stato_display(),
        "quadri": [_quadro(q, compiled, result) for q in compiled.definition.quadri],
    }


def _quadro(quadro: QuadroDef, compiled: CompiledTemplate, result: Result) -> PdfQuadro:
    applies = result.quadri.get(quadro.number, True)
    items: list[PdfItem] = []
    if quadro.help:
        items.append(PdfItem("help", quadro.help))
    if not applies:
        items.append(PdfItem("sentence", "Il quadro non si applica a questa scheda: non deve essere compilato."))
    labels = {c.code: c.label for c in compiled.definition.columns}
    sentences = [s for s in result.sentences if s.quadro == quadro.number]
    for block in quadro.blocks:
        items += [PdfItem("heading", h) for h in block.headings]
        if block.help:
            items.append(PdfItem("note", block.help))
        items += _block_rows(block, compiled, result, labels, sentences)
    items += [PdfItem("sentence", s.text) for s in sentences if s.after_row is None]
    return PdfQuadro(quadro.number, quadro.title, applies, items)


def _block_rows(
    block: BlockDef,
    compiled: CompiledTemplate,
    result: Result,
    labels: dict[str, str],
    sentences: list[RenderedSentence],
) -> list[PdfItem]:
    """The rows of a block: a table while rows share the block's columns, broken by reports and sentences."""
    items: list[PdfItem] = []
    table: PdfItem | None = None
    for row in block.rows:
        inputs = [c for c in row.cells if c.kind == "input"]
        if block.fill_together and inputs and all(result.values.get(c.key) is None for c in inputs):
            continue  # an empty slot of a list (R30-R59)
        if _is_report(row):
            table = None
            items.append(PdfItem("report", _value(row.cells[0], result), rows=[PdfRow(row_title(row), [])]))
        elif block.columns:
            if table is None:
                css = "lista" if block.fill_together else ""
                table = PdfItem("table", text=css, header=[labels.get(c, c) for c in block.columns])
                items.append(table)
            table.rows.append(PdfRow(row_title(row), [_cell(row, col, compiled, result) for col in block.columns]))
        else:
            items.append(_free_row(row, compiled, result, labels))
        after = [s.text for s in sentences if s.after_row == row.code]
        if after:
            table = None
            items += [PdfItem("sentence", text) for text in after]
    return items


def _free_row(row: RowDef, compiled: CompiledTemplate, result: Result, labels: dict[str, str]) -> PdfItem:
    """A row of a block without columns: its own cells, with their column labels as header."""
    cells = [_cell(row, c.col, compiled, result) for c in row.cells if c.kind != "na"]
    header = [labels.get(c.col, c.col) for c in row.cells if c.kind != "na"]
    return PdfItem("row", rows=[PdfRow(row_title(row), cells, header if any(header) else [])])


def _is_report(row: RowDef) -> bool:
    return len(row.cells) == 1 and row.cells[0].unit == "testo" and row.cells[0].max_length is not None


def _value(cell: CellDef, result: Result) -> str:
    value = result.values.get(cell.key)
    return "" if value is None else _CONTROL.sub("", str(value))


def _cell(row: RowDef, col: str, compiled: CompiledTemplate, result: Result) -> PdfCell:
    cell = compiled.cells.get((row.code, col))
    if cell is None:
        return PdfCell(na=True)
    text = _CONTROL.sub("", compiled.format_value(cell.key, result.values.get(cell.key), grouping=False))
    if text and (cell.prefix or cell.suffix):
        text = " ".join(part for part in (cell.prefix, text, cell.suffix) if part)
    return PdfCell(text, numeric=cell.is_numeric)
