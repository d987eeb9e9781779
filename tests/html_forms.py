"""Read a rendered page's forms as a browser would submit them: every field's name and current value.

Tests that emulate a user post exactly what the page holds (hidden fields included), not a hand-made dict.
Used with Django's test client (`form_fields`) and with the real server of tests/live_gunicorn.py (`page_forms`).
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormsParser(HTMLParser):
    """Every <form>: id, method, action and its successful controls (no buttons, no disabled fields)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._in_template = 0

    @property
    def _fields(self) -> dict:
        return self._form["fields"]

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "template":  # inert content (rows to clone): a browser does not submit it
            self._in_template += 1
        if self._in_template:
            return
        if tag == "form":
            self._form = {
                "id": a.get("id", ""),
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "fields": {},
            }
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            self._input(name, a)
        elif tag == "textarea" and name:
            self._textarea = name
            self._fields[name] = ""
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            self._option(a)

    def _input(self, name: str, a: dict) -> None:
        kind = a.get("type", "text").lower()
        if kind in ("submit", "button", "image", "reset", "file"):
            return
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self._fields[name] = a.get("value", "on")
            return
        self._fields[name] = a.get("value", "")

    def _option(self, a: dict) -> None:
        if self._select_first is None:
            self._select_first = a.get("value", "")
        if "selected" in a:
            self._fields[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea and not self._in_template:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template -= 1
            return
        if self._in_template:
            return
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea:
            if self._fields[self._textarea].startswith("\n"):
                self._fields[self._textarea] = self._fields[self._textarea][1:]  # HTML drops the first newline
            self._textarea = None
        elif tag == "select" and self._select:
            self._fields.setdefault(self._select, self._select_first or "")
            self._select = None


def page_forms(html: str) -> list[dict]:
    """Every form of the page: {"id", "method", "action", "fields"}."""
    parser = _FormsParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_fields(html: str, form_id: str | None = None) -> dict[str, str]:
    """The fields of the form `form_id` (or of every form) with the values the page shows."""
    fields: dict[str, str] = {}
    for form in page_forms(html):
        if form_id is None or form["id"] == form_id:
            fields.update(form["fields"])
    return fields
