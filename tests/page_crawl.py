"""Read the navigation of a rendered page (main menu, breadcrumb, links) and crawl the portal as one user.

Used by tests/portal/test_navigation.py: what a role sees in the menu, that every page has a breadcrumb reaching the
home page, and that no page links a page the role cannot use.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.urls import Resolver404, resolve, reverse

from tests.wording import readable_text

MENU_LABEL = "Navigazione principale"
BREADCRUMB_LABEL = "Percorso di navigazione"


@dataclass
class Item:
    """A link or a text of a menu or breadcrumb: its label, its href (None for plain text) and its state."""

    label: str = ""
    href: str | None = None
    current: bool = False
    active: bool = False


@dataclass
class PageNav:
    menu: list[Item] = field(default_factory=list)
    breadcrumbs: list[list[Item]] = field(default_factory=list)  # one list per breadcrumb nav of the page
    links: list[str] = field(default_factory=list)  # every <a href> and every GET form's action
    get_forms: list[str] = field(default_factory=list)
    post_forms: list[str] = field(default_factory=list)  # the action of every POST form


class _NavParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nav = PageNav()
        self._in = None  # "menu" | "breadcrumb"
        self._depth = 0  # <nav> nesting inside the one being read
        self._item: Item | None = None
        self._separator = False  # inside <span class="separator"> (the «/» between breadcrumb items)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav":
            self._open_nav(a)
        if tag == "a" and a.get("href"):
            self.nav.links.append(a["href"])
        if tag == "form":
            self._form(a)
        if self._in == "breadcrumb":
            self._breadcrumb_tag(tag, a)
        if self._in == "menu" and tag == "a":
            classes = (a.get("class") or "").split()
            self._item = Item(href=a.get("href"), current=a.get("aria-current") == "page", active="active" in classes)
            self.nav.menu.append(self._item)

    def _open_nav(self, a: dict) -> None:
        if self._in:
            self._depth += 1
        elif a.get("aria-label") == MENU_LABEL:
            self._in = "menu"
        elif a.get("aria-label") == BREADCRUMB_LABEL:
            self._in = "breadcrumb"
            self.nav.breadcrumbs.append([])

    def _form(self, a: dict) -> None:
        if (a.get("method") or "get").lower() == "get" and a.get("action"):
            self.nav.get_forms.append(a["action"])
            self.nav.links.append(a["action"])
        if (a.get("method") or "").lower() == "post":
            self.nav.post_forms.append(a.get("action") or "")

    def _breadcrumb_tag(self, tag: str, a: dict) -> None:
        if tag == "span" and "separator" in (a.get("class") or "").split():
            self._separator = True
        if tag == "li":
            self._item = Item(current=a.get("aria-current") == "page")
            self.nav.breadcrumbs[-1].append(self._item)
        if tag == "a" and self._item is not None:
            self._item.href = a.get("href")

    def handle_endtag(self, tag):
        if tag == "span":
            self._separator = False
        if tag == "nav" and self._in:
            if self._depth:
                self._depth -= 1
            else:
                self._in = None
                self._item = None
        if self._in == "menu" and tag == "a":
            self._item = None

    def handle_data(self, data):
        if self._item is not None and not self._separator:
            self._item.label = " ".join((self._item.label + " " + data).split())


def page_nav(html: str) -> PageNav:
    parser = _NavParser()
    parser.feed(html)
    return parser.nav


# --- Crawl ---------------------------------------------------------------------------------------------------

# Downloads (files, not pages), JSON and the health check: not crawled.
NOT_PAGES = {
    "monitoring:pdf",
    "monitoring:xlsx",
    "monitoring:campagna_comuni_export",
    "reports:monitoring_pdf",
    "reports:performance_pdf",
    "reports:performance_xlsx",
    "reports:piano_pdf",
    "reports:piano_xlsx",
    "jobs:status",
    "jobs:download",
    "portal:healthz",
    "logout",
    "api_v1:openapi-json",
    "api_v1:openapi-view",  # ninja's Swagger UI page: the interactive documentation of the API, not a portal page
}


@dataclass
class Visit:
    url: str
    view_name: str
    status: int
    html: str
    found_on: str
    text: str = ""  # what a user reads in it (tests.wording.readable_text)
    download: bool = False  # an export (?_export=) fetched with crawl(downloads=True), not a page


def _local(href: str, base: str) -> str | None:
    """The same-site path+query of a link, or None (other sites, anchors, mailto:, javascript:)."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


TABLE_PARAMS = {"sort", "page", "ipagina"}  # sorting and paging a table: the same page


def _shape(view_name: str, url: str) -> tuple:
    """A URL's shape: its view and the names of its query parameters, ignoring sorting and paging."""
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    keys = {k for k, _v in query} - TABLE_PARAMS
    return (view_name, tuple(sorted(keys)), dict(query).get("_export"))


def crawl(
    client, start: str | None = None, *, per_shape: int = 1, limit: int = 400, downloads: bool = False
) -> list[Visit]:
    """Visit, as the logged-in `client`, every same-site page linked from `start` (the home page by default).

    Skipped: the views in NOT_PAGES, the admin, logout and POST-only views (405), and the exports (?_export=)
    unless `downloads`: then each export shape is fetched once too (a Visit with `download` set; a large export
    answers with the redirect to its job). At most `per_shape` pages of each URL shape are visited: one
    intervention card stands for all of them.
    """
    start = start or reverse("portal:home")
    seen: set[str] = {start}
    shapes: Counter = Counter()
    queue: list[tuple[str, str]] = [(start, "")]
    visits: list[Visit] = []
    while queue and len(visits) < limit:
        url, found_on = queue.pop(0)
        response = client.get(url)
        if response.status_code == 405:  # POST-only view
            continue
        content_type = response.get("Content-Type", "")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        html = content.decode() if "text/html" in content_type else ""
        view_name = resolve(urlsplit(url).path).view_name
        download = "_export=" in url
        text = readable_text(content_type, content) if response.status_code == 200 else ""
        visits.append(Visit(url, view_name, response.status_code, html, found_on, text, download))
        if response.status_code != 200 or not html or download:
            continue
        for href in page_nav(html).links:
            target = _local(href, url)
            if target is None or target in seen:
                continue
            seen.add(target)
            path = urlsplit(target).path
            if ("_export=" in target and not downloads) or path.startswith(
                (reverse("admin:index"), "/static/", "/media/")
            ):
                continue
            try:
                name = resolve(path).view_name
            except Resolver404:
                visits.append(Visit(target, "", 404, "", url))
                continue
            if name in NOT_PAGES:
                continue
            shape = _shape(name, target)
            if shapes[shape] >= per_shape:
                continue
            shapes[shape] += 1
            queue.append((target, url))
    return visits


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
