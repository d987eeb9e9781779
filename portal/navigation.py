"""The main menu: `menu(request)` (exposed to templates as `nav_menu` by portal.context_processors.portal) lists
the sections the user can use (accounts.sections) and marks as active the section of the current URL."""

from __future__ import annotations

from typing import NamedTuple

from accounts.sections import SECTIONS, section_of


class MenuEntry(NamedTuple):
    key: str
    label: str
    url: str
    active: bool


def menu(request) -> list[MenuEntry]:
    """The entries of the main menu for the user of `request`, the current section marked active."""
    user = request.user
    current = section_of(request)
    return [MenuEntry(s.key, s.label, s.url, s.key == current) for s in SECTIONS.values() if s.usable_by(user)]
