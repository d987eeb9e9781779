"""What a user can read in a response, and the developer words that must never be in it («seed», «fixtures/»,
«README»): shared by the crawl of every role's pages (tests/portal/test_navigation.py) and the checks of the
documents (tests/portal/test_wording.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.documents import read_xlsx

DEVELOPER_WORDS = re.compile(r"\bseed\b|\bfixtures/|\breadme\b", re.IGNORECASE)
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "value", "content"}


def developer_words(text: str) -> list[str]:
    """Each developer word of `text` with 60 characters of context on either side."""
    return [text[max(m.start() - 60, 0) : m.end() + 60] for m in DEVELOPER_WORDS.finditer(text)]


class _VisibleText(HTMLParser):
    """The text a user can read: data and visible attributes, not scripts or styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.text.extend(v for k, v in attrs if k in VISIBLE_ATTRIBUTES and v)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.text)


def readable_text(content_type: str, content: bytes) -> str:
    """The words of a response: a page's visible text, a workbook's cells, other text as it is; "" otherwise."""
    if content_type.startswith(("application/vnd.openxmlformats", "application/vnd.ms-excel")):
        wb = read_xlsx(content, read_only=True)
        return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    if content_type.startswith("text/html"):
        return visible_text(content.decode())
    if content_type.startswith(("text/", "application/json")):
        return content.decode(errors="replace")
    return ""
