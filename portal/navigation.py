"""The main menu: `menu(request)` (exposed to templates as `nav_menu` by portal.context_processors.portal) lists
the sections the user can use (accounts.sections) and marks as active the section of the current URL;
`user_menu(request)` (`nav_user_menu`) the user's own pages in the header: «I miei report», «I miei promemoria»,
«I miei token API»."""

from __future__ import annotations

from typing import NamedTuple

from django.urls import reverse

from accounts.sections import SECTIONS, section_of


class MenuEntry(NamedTuple):
    key: str
    label: str
    url: str
    active: bool


def user_menu(request) -> list[MenuEntry]:
    """The entries of the user's menu in the header (beside «Cambia password» and «Esci»)."""
    if not request.user.is_authenticated:
        return []
    current = getattr(getattr(request, "resolver_match", None), "namespace", "")
    url_name = getattr(getattr(request, "resolver_match", None), "view_name", "")
    return [
        MenuEntry("miei-report", "I miei report", reverse("jobs:list"), current == "jobs"),
        MenuEntry(
            "miei-promemoria",
            "I miei promemoria",
            reverse("monitoring:promemoria"),
            url_name == "monitoring:promemoria",
        ),
        MenuEntry("miei-token", "I miei token API", reverse("api:token_list"), current == "api"),
    ]


def menu(request) -> list[MenuEntry]:
    """The entries of the main menu for the user of `request`, the current section marked active."""
    user = request.user
    current = section_of(request)
    return [MenuEntry(s.key, s.label, s.url, s.key == current) for s in SECTIONS.values() if s.usable_by(user)]
