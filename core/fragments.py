"""Rendered fragments of a page cached by what they are made of (Django's cache framework, settings.CACHES).

A fragment is the data-only part of a page (charts, tables, totals): the caller names the page and gives every
input the fragment depends on (the data versions of the objects it reads, the reader's scope key, the query
string); equal inputs give the same HTML, so the fragment is rendered once and then served after one cache
lookup. Never put anything of a single user in a fragment (CSRF tokens, messages, menus): those stay in the page
around it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

PREFIX = "frammento"


def fragment_key(page: str, parts: Any) -> str:
    """The cache key of the fragment of `page` made of `parts` (JSON-serialisable, order significant)."""
    digest = hashlib.sha256(json.dumps(parts, default=str, separators=(",", ":")).encode()).hexdigest()
    return f"{PREFIX}:{page}:{digest}"


def cached_fragment(page: str, parts: Any, render: Callable[[], str]) -> SafeString:
    """The HTML of the fragment of `page` for `parts`: from the cache, or `render()`-ed and stored."""
    key = fragment_key(page, parts)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, str(html), getattr(settings, "FRAGMENT_CACHE_SECONDS", 24 * 3600))
    return mark_safe(html)  # rendered by our own templates, autoescaped


def cached_fragments(page: str, parts: Any, render: Callable[[], dict[str, str]]) -> dict[str, SafeString]:
    """Like `cached_fragment`, for a page with several data fragments built together (a name → HTML dict)."""
    key = fragment_key(page, parts)
    found = cache.get(key)
    if found is None:
        found = {name: str(html) for name, html in render().items()}
        cache.set(key, found, getattr(settings, "FRAGMENT_CACHE_SECONDS", 24 * 3600))
    return {name: mark_safe(html) for name, html in found.items()}  # rendered by our own templates, autoescaped


def cached_data(page: str, parts: Any, compute: Callable[[], Any]) -> Any:
    """Like `cached_fragment`, for data (picklable) that several fragments of `page` share: e.g. the totals of a
    whole Ambito, the same on every page of its table, computed once per data version instead of once per page."""
    key = fragment_key(page, parts)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, getattr(settings, "FRAGMENT_CACHE_SECONDS", 24 * 3600))
    return found
