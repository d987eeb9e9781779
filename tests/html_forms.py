"""Read a rendered form as a browser would submit it: every field's name and current value.

Tests that emulate a user post exactly what the page holds (hidden fields included), not a hand-made dict.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._option_value: str | None = None
        self._option_text = ""
        self._in_template = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":  # inert content (rows to clone): a browser does not submit it
            self._in_template += 1
        if self._in_template:
            return
        if tag == "form" and (self.form_id is None or a.get("id") == self.form_id):
            self.in_form = True
            return
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
                return
            self.fields[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            self._option_value, self._option_text = a.get("value"), ""
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template -= 1
            return
        if self._in_template:
            return
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea":
            if self._textarea and self.fields[self._textarea].startswith("\n"):
                self.fields[self._textarea] = self.fields[self._textarea][1:]  # HTML drops the first newline
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.setdefault(self._select, self._select_first or "")
            self._select = None


def form_fields(html: str, form_id: str | None = None) -> dict[str, str]:
    """The fields of the form `form_id` (or of every form) with the values the page shows."""
    parser = _FormParser(form_id)
    parser.feed(html)
    return parser.fields
