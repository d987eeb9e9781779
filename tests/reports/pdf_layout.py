"""Checks on the layout of a rendered WeasyPrint document (its boxes) and on the fonts of a PDF, shared by the
PDF tests.

`header_breaks(document)` finds the words of table header cells split across two lines without a hyphen
(«Parzialment|e realizzate»): each line of a cell is matched against the cell's text, and every line end must fall
on a space, after a dash or slash of the text, or inside a word with the hyphen added by hyphenation.
"""

from __future__ import annotations

import re

from tests.documents import pdf_reader

HYPHENS = "-\u2010\u00ad"


def boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from boxes(child)


def _line_text(line) -> str:
    return "".join(getattr(b, "text", "") for b in boxes(line) if type(b).__name__ == "TextBox")


def cell_lines(cell) -> list[str]:
    """The text of each line of a table cell, as laid out."""
    return [_line_text(b) for b in boxes(cell) if type(b).__name__ == "LineBox"]


def split_words(text: str, lines: list[str]) -> list[str]:
    """The words of `text` that `lines` (its layout) split across two lines without a hyphen.

    A line that does not match the text (e.g. generated content) makes the cell unverifiable: it is reported too.
    """
    text = re.sub(r"\s+", " ", text).strip().lower()  # lower: headers may be set in capitals by the stylesheet
    pos, bad = 0, []
    lines = [re.sub(r"\s+", " ", line).strip().lower() for line in lines]
    lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        hyphenated = False
        if text.startswith(line, pos):
            pos += len(line)
        elif line[-1] in HYPHENS and text.startswith(line[:-1], pos):
            pos += len(line) - 1
            hyphenated = True
        else:
            return [f"riga «{line}» non trovata in «{text}»"]
        if i == len(lines) - 1:
            break
        if hyphenated:
            if not (text[pos - 1 : pos].isalpha() and text[pos : pos + 1].isalpha()):
                bad.append(f"trattino fuori parola in «{text}»")
        elif text[pos : pos + 1] == " ":
            pos += 1
        elif text[pos - 1 : pos] not in "-/–—" + HYPHENS:
            start = text.rfind(" ", 0, pos) + 1
            end = text.find(" ", pos)
            word = text[start : end if end >= 0 else len(text)]
            bad.append(f"{text[start:pos]}|{text[pos : end if end >= 0 else len(text)]} ({word})")
    return bad


def overflowing(document) -> list[tuple[int, str]]:
    """(page, box) of every line of text or table that goes beyond the right edge of the page's content area."""
    out = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width + 1  # 1 px of tolerance
        for box in boxes(page_box):
            if type(box).__name__ in ("LineBox", "TableBox") and box.border_box_x() + box.border_width() > right:
                out.append((number, f"{type(box).__name__} in <{box.element_tag}>"))
    return out


def header_cells(document):
    """(page number, cell box) of every cell of a table header (<thead>) in the document."""
    for number, page in enumerate(document.pages, start=1):
        for box in boxes(page._page_box):
            if type(box).__name__ == "TableRowGroupBox" and box.element_tag == "thead":
                for cell in boxes(box):
                    if type(cell).__name__ == "TableCellBox":
                        yield number, cell


def header_breaks(document) -> list[tuple[int, str]]:
    """(page, «word|split») of every word of a table header cell broken across lines without a hyphen."""
    out = []
    for number, cell in header_cells(document):
        text = "".join(cell.element.itertext())
        out += [(number, word) for word in split_words(text, cell_lines(cell))]
    return out


def hyphenated_headers(document) -> list[tuple[int, list[str]]]:
    """(page, lines) of the header cells with a word hyphenated at a line end."""
    out = []
    for number, cell in header_cells(document):
        lines = [line.strip() for line in cell_lines(cell) if line.strip()]
        if any(line[-1] in HYPHENS for line in lines[:-1]):
            out.append((number, lines))
    return out


def pdf_fonts(data: bytes) -> dict[str, bool]:
    """{font name without the subset prefix: embedded} of every font a page (or a form drawn on it) uses."""
    fonts: dict[str, bool] = {}
    seen: set[int] = set()

    def visit(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for described in [font, *[d.get_object() for d in font.get("/DescendantFonts") or []]]:
                descriptor = described.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                name = str(described["/BaseFont"]).lstrip("/").split("+", 1)[-1]
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts[name] = fonts.get(name, True) and embedded
        for kind in ("/XObject", "/Pattern"):
            for item in (resources.get(kind) or {}).values():
                obj = item.get_object()
                if id(obj) not in seen and hasattr(obj, "get"):
                    seen.add(id(obj))
                    visit(obj.get("/Resources"))

    for page in pdf_reader(data).pages:
        visit(page.get("/Resources"))
    return fonts
