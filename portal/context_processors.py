"""Template context shared by every page: portal name, the header's line (the user's current Ambito, or
the Regione of a Regione user away from an Ambito's pages), the main menu and the version of the static files
(part of the cache key of the header and footer, which link them: core.templatetags.fragments)."""

from functools import cache

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

from accounts.scoping import regioni_ids, scope
from territory.models import Ambito, Regione

from .navigation import menu, user_menu


def portal(request):
    context = {
        "portal_name": settings.PORTAL_NAME,
        "intestazione": "",
        "nav_menu": (),
        "nav_user_menu": (),
        # the hash of the manifest of the collected static files (production); none without a manifest
        "static_version": getattr(staticfiles_storage, "manifest_hash", ""),
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context

    # lazy: evaluated only if a template uses them, once per request (the header's cache key reads them, and its
    # rendering again on a miss: core.templatetags.fragments)
    @cache
    def tagline() -> str:
        """The header's line under the portal's name: the current Ambito (the one of the page, else the last one
        visited, else the user's first); for a Regione user away from an Ambito's pages, the Regione."""
        if getattr(request, "ambito_corrente", None) is not None:
            return request.ambito_corrente.nome
        visible = scope(Ambito.objects.all(), user)
        slug = getattr(request, "session", {}).get("ambito_corrente")
        found = visible.filter(slug=slug).first() if slug else None
        if found is None and (followed := regioni_ids(user)):
            regione = Regione.objects.filter(pk__in=followed).order_by("codice").first()
            return f"Regione {regione.nome}" if regione else ""
        found = found or visible.filter(parent__isnull=True).first() or visible.first()
        return found.nome if found else ""

    @cache
    def nav_menu():
        return menu(request)  # the sections the user can use, the current one active (portal.navigation)

    @cache
    def nav_user_menu():
        return user_menu(request)

    context["nav_user_menu"] = nav_user_menu
    context["intestazione"] = tagline
    context["nav_menu"] = nav_menu
    return context
