"""Routes of one family written once: the prefix they share and, per route, its tail, view and name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import URLPattern, path

Route = tuple[str, Callable[..., Any], str]  # (tail of the URL, view, name)


def prefixed(prefix: str, routes: Iterable[Route]) -> list[URLPattern]:
    """One ``path(prefix + tail, view, name=name)`` per route.

    Unlike ``include()``, every route keeps its whole pattern with all its arguments: the URLs, their names and
    the keyword arguments each route carries are the same as if the routes were written one by one.
    """
    return [path(prefix + tail, view, name=name) for tail, view, name in routes]
