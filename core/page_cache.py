"""Whole pages kept per reader: a user asking again for the same page, with the same data, gets the stored bytes.

`cached_page(request, parts, respond)` wraps a view's GET: `parts` must name everything the page is made of besides
the request (the reader, as `accounts.user_cache.user_key`: who it is, its names, its grants; the data versions of
what the page shows). The key adds the URL with its query string, the language, the HTMX headers and the version of
the static files. On a hit the view renders nothing; on a miss `respond()` builds the response, which is stored
when it can be served again to the same reader:

- only GET (HEAD too: Django drops the body), only a 200 response, not streamed, setting no cookie;
- never when the request brings messages (django.contrib.messages) to show, nor when the page added some;
- never a page built from a user's unsaved values (those are answers to a POST, never cached).

The CSRF token is the one thing of the request inside a page: the page is rendered with a placeholder token
(`csrf_placeholder`, a context processor, the same placeholder as the cached header and footer,
core.templatetags.fragments), and every response, rendered or stored, gets the request's own token in its place.
Values are stored with the page fragments (core.fragments): in the shared cache, and in each process's memory in
front of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils.translation import get_language

from core import fragments
from core.prepared import prepared_cursor
from core.templatetags.fragments import PLACEHOLDER

PREFIX = "pagina"
HTMX_HEADERS = tuple(  # read from request.META: request.headers would build a dict of all the headers
    f"HTTP_{name}"
    for name in ("HX_REQUEST", "HX_BOOSTED", "HX_TARGET", "HX_TRIGGER", "HX_TRIGGER_NAME", "HX_HISTORY_RESTORE_REQUEST")
)
KEPT_HEADERS = ("Content-Length",)  # recomputed: the token is put in again at every response
RENDERING = "_page_cache_rendering"


class KeyRows:
    """The rows of `model`'s `values_list(*fields)` whose `lookup` equals a value, ordered by `order_by`: the query a
    page kept per reader reads its key from. The ORM compiles its SQL once per process, with `marker` (a value of the
    lookup's type that no row has) in place of the value; each request runs the SQL with its own value. Should the
    compiled query not have the marker as its only parameter, every call builds it with the ORM instead."""

    def __init__(
        self, model: type[Model], lookup: str, fields: tuple[str, ...], *, marker: Any, order_by: tuple[str, ...] = ()
    ):
        self.queryset = model._default_manager.values_list(*fields).order_by(*order_by)
        self.lookup, self.marker = lookup, marker
        self._sql = ""
        self._prepared: bool | None = None

    def __call__(self, value: Any) -> list[tuple]:
        if self._prepared is None:
            sql, params = self.queryset.filter(**{self.lookup: self.marker}).query.sql_with_params()
            self._prepared = tuple(params) == (self.marker,)
            self._sql = sql
        if not self._prepared:
            return list(self.queryset.filter(**{self.lookup: value}))
        with prepared_cursor() as cursor:  # planned once per connection on PostgreSQL (core.prepared)
            cursor.execute(self._sql, [value])
            return cursor.fetchall()


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def csrf_placeholder(request: HttpRequest) -> dict[str, Any]:
    """A context processor: while a page to be cached is rendered, the CSRF token in its templates is the
    placeholder (after Django's own `csrf` processor, so it wins)."""
    return {"csrf_token": PLACEHOLDER} if getattr(request, RENDERING, False) else {}


def _pending_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # read without marking them shown


def page_key(request: HttpRequest, parts: Any) -> str:
    htmx = [request.META.get(name, "") for name in HTMX_HEADERS]
    static = getattr(staticfiles_storage, "manifest_hash", "")
    return fragments.fragment_key(PREFIX, [parts, request.get_full_path(), get_language(), htmx, static])


def _with_token(request: HttpRequest, content: bytes) -> bytes:
    if PLACEHOLDER.encode() not in content:
        return content
    return content.replace(PLACEHOLDER.encode(), get_token(request).encode())


def cached_page(request: HttpRequest, parts: Any, respond: Callable[[], HttpResponse]) -> HttpResponse:
    """The response of a GET of the page made of `parts`: stored bytes for the same reader and data, else
    `respond()` (see the module's docstring for what is never stored)."""
    if not enabled() or request.method not in ("GET", "HEAD") or _pending_messages(request):
        return respond()
    key = page_key(request, parts)
    found = fragments.cached_value(key)
    if found is not None:
        content, headers = found
        return HttpResponse(_with_token(request, content), headers=headers)
    setattr(request, RENDERING, True)
    try:
        response = respond()
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.render()
    finally:
        setattr(request, RENDERING, False)
    if response.streaming:
        return response
    content = response.content
    stored = (
        response.status_code == 200
        and not response.cookies
        and not _pending_messages(request)
        and "no-store" not in response.get("Cache-Control", "")
    )
    if stored:
        headers = {name: value for name, value in response.items() if name not in KEPT_HEADERS}
        fragments.store_value(key, (content, headers), settings.PAGE_CACHE_SECONDS)
    response.content = _with_token(request, content)
    return response
