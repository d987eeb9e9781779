"""Template context shared by every page: portal name, the user's current Ambito and the main menu."""

from django.conf import settings

from accounts.scoping import scope
from territory.models import Ambito

from .navigation import menu, user_menu


def portal(request):
    context = {"portal_name": settings.PORTAL_NAME, "ambito_corrente": None, "nav_menu": (), "nav_user_menu": ()}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context

    def current():
        if getattr(request, "ambito_corrente", None) is not None:
            return request.ambito_corrente
        visible = scope(Ambito.objects.all(), user)
        slug = getattr(request, "session", {}).get("ambito_corrente")
        found = visible.filter(slug=slug).first() if slug else None
        return found or visible.filter(parent__isnull=True).first() or visible.first()

    def nav_menu():
        return menu(request)  # the sections the user can use, the current one active (portal.navigation)

    def nav_user_menu():
        return user_menu(request)

    context["nav_user_menu"] = nav_user_menu
    context["ambito_corrente"] = current  # lazy: evaluated only if a template uses it
    context["nav_menu"] = nav_menu
    return context
