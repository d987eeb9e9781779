"""Rendered fragments of a page cached by what they are made of (Django's cache framework, settings.CACHES).

A fragment is the data-only part of a page (charts, tables, totals): the caller names the page and gives every
input the fragment depends on (the data versions of the objects it reads, the reader's scope key, the query
string); equal inputs give the same HTML, so the fragment is rendered once and then served after one cache
lookup. Never put anything of a single user in a fragment (CSRF tokens, messages, menus): those stay in the page
around it.

Since a key names everything its value is made of, the value stored under a key never changes: with a cache shared
by the processes (Redis), each process also keeps the values it used last in its own memory (`_Local`, at most
FRAGMENT_LOCAL_ENTRIES), so a page served again reads no 100 KB fragment from Redis. With the per-process memory
cache (the default) there is nothing to add.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

PREFIX = "frammento"
NOT_SHARED = {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"}


class _Local:
    """The values last used by this process, by key (least recently used out first), pickled: each reader gets its
    own copy, as from Django's caches. Only in front of a cache shared by the processes."""

    def __init__(self) -> None:
        self.values: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()  # gunicorn's gthread workers

    @staticmethod
    def enabled() -> bool:
        """Not with the per-process memory cache (nothing to add) nor the dummy one (caching turned off)."""
        return settings.CACHES["default"]["BACKEND"] not in NOT_SHARED

    def get(self, key: str) -> Any:
        if not self.enabled():
            return None
        with self.lock:
            found = self.values.get(key)
            if found is not None:
                self.values.move_to_end(key)
        return None if found is None else pickle.loads(found)  # written by this process only

    def set(self, key: str, value: Any) -> None:
        if not self.enabled():
            return
        with self.lock:
            self.values[key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            while len(self.values) > getattr(settings, "FRAGMENT_LOCAL_ENTRIES", 200):
                self.values.popitem(last=False)


_local = _Local()


def _get(key: str) -> Any:
    """The value of `key`: from this process's memory, else from the cache (then remembered here); None if absent."""
    found = _local.get(key)
    if found is None:
        found = cache.get(key)
        if found is not None:
            _local.set(key, found)
    return found


def _set(key: str, value: Any, timeout: int | None = None) -> None:
    cache.set(key, value, timeout if timeout is not None else getattr(settings, "FRAGMENT_CACHE_SECONDS", 24 * 3600))
    _local.set(key, value)


def cached_value(key: str) -> Any:
    """The value stored under `key` (a key naming everything the value is made of, see `fragment_key`), or None:
    from this process's memory, else from the cache."""
    return _get(key)


def store_value(key: str, value: Any, timeout: int) -> None:
    """Store `value` under `key` for `timeout` seconds (and in this process's memory, see `_Local`)."""
    _set(key, value, timeout)


def fragment_key(page: str, parts: Any) -> str:
    """The cache key of the fragment of `page` made of `parts` (JSON-serialisable, order significant)."""
    digest = hashlib.sha256(json.dumps(parts, default=str, separators=(",", ":")).encode()).hexdigest()
    return f"{PREFIX}:{page}:{digest}"


def cached_fragment(page: str, parts: Any, render: Callable[[], str]) -> SafeString:
    """The HTML of the fragment of `page` for `parts`: from the cache, or `render()`-ed and stored."""
    key = fragment_key(page, parts)
    html = _get(key)
    if html is None:
        html = str(render())
        _set(key, html)
    return mark_safe(html)  # rendered by our own templates, autoescaped


def cached_fragments(page: str, parts: Any, render: Callable[[], dict[str, str]]) -> dict[str, SafeString]:
    """Like `cached_fragment`, for a page with several data fragments built together (a name → HTML dict)."""
    key = fragment_key(page, parts)
    found = _get(key)
    if found is None:
        found = {name: str(html) for name, html in render().items()}
        _set(key, found)
    return {name: mark_safe(html) for name, html in found.items()}  # rendered by our own templates, autoescaped


def cached_pieces(
    page: str, parts: dict[Hashable, Any], render: Callable[[list[Hashable]], dict[Hashable, str]]
) -> dict[Hashable, str]:
    """Many small fragments at once (the rows of a table, each made of its own `parts`, by id): one lookup for all
    of them, `render(ids)` for those absent, stored together. HTML by id. Not kept in this process's memory in
    front of Redis (`_Local`): hundreds of rows would push out the pages' fragments, and one round trip fetches
    them all."""
    keys = {piece: fragment_key(page, made_of) for piece, made_of in parts.items()}
    stored = cache.get_many(list(keys.values())) if keys else {}
    found = {piece: stored[key] for piece, key in keys.items() if key in stored}
    missing = [piece for piece in keys if piece not in found]
    if missing:
        rendered = {piece: str(html) for piece, html in render(missing).items()}
        timeout = getattr(settings, "FRAGMENT_CACHE_SECONDS", 24 * 3600)
        cache.set_many({keys[piece]: html for piece, html in rendered.items()}, timeout)
        found.update(rendered)
    return found


def cached_data(page: str, parts: Any, compute: Callable[[], Any]) -> Any:
    """Like `cached_fragment`, for data (picklable) that several fragments of `page` share: e.g. the totals of a
    whole Ambito, the same on every page of its table, computed once per data version instead of once per page."""
    key = fragment_key(page, parts)
    found = _get(key)
    if found is None:
        found = compute()
        _set(key, found)
    return found
