"""Breadcrumbs: a `Trail` (Home › … › current page) of `Crumb`s, rendered by templates/core/_breadcrumbs.html.

A view puts its trail in the context as `breadcrumbs`; the trails of each part of the portal are built by the app
that owns the pages (planning.navigation, monitoring.navigation, reports.navigation) on the sections of
accounts.sections.
"""

from __future__ import annotations

from typing import NamedTuple


class Crumb(NamedTuple):
    label: str
    url: str = ""


class Trail(tuple):
    """Home › … › current page: a tuple of Crumb; the last one is the current page (rendered without link)."""

    def then(self, label: object, url: str = "") -> Trail:
        return Trail((*self, Crumb(str(label), url)))
