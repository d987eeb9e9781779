"""Routes of one family written once: the prefix they share and, per route, its tail, view and name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from django.urls import URLPattern, path, reverse

Route = tuple[str, Callable[..., Any], str]  # (tail of the URL, view, name)


def prefixed(prefix: str, routes: Iterable[Route]) -> list[URLPattern]:
    """One ``path(prefix + tail, view, name=name)`` per route.

    Unlike ``include()``, every route keeps its whole pattern with all its arguments: the URLs, their names and
    the keyword arguments each route carries are the same as if the routes were written one by one.
    """
    return [path(prefix + tail, view, name=name) for tail, view, name in routes]


class FilledUrl:
    """The URL of the route `name` for one value of its only argument `kwarg`: reversed once, then filled in (a
    reverse() per row of a page of 50-100 rows costs more than the rest of the row). The value is escaped for HTML
    attributes as django's escape does."""

    MARKER = "987654321"  # matches the int, str and slug converters, and no real value of ours

    def __init__(self, name: str, kwarg: str) -> None:
        self.head, self.tail = reverse(name, kwargs={kwarg: self.MARKER}).split(self.MARKER)

    def __call__(self, value: Any) -> str:
        return f"{self.head}{escape(str(value))}{self.tail}"
