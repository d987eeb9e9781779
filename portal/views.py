"""Shell pages: home, legal pages, health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from accounts.scoping import grants_for, scope
from accounts.sections import page_trail
from monitoring.campaigns.regione import regione_summary
from territory.models import Ambito, Comune
from territory.selectors import ambiti_summary, comuni_latest_population


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        ambiti = list(scope(Ambito.objects.select_related("parent"), user))
        context["ambiti"] = ambiti_summary(ambiti)
        context["regioni"] = regione_summary(user)  # role Regione: its regional page, campaigns to approve
        operator_codes = set().union(*grants_for(user).comuni.values()) if not user.is_superuser else set()
        context["comuni_assegnati"] = comuni_latest_population(
            scope(Comune.objects.filter(pk__in=operator_codes), user).select_related("ambito")
        )
        return context


class StaticPageView(TemplateView):
    """Privacy, Note legali, Dichiarazione di accessibilità."""

    titolo = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=page_trail(self.request, self.titolo), **kwargs)


@never_cache
@login_not_required
def healthz(request):
    """200 when the database answers, 503 otherwise (no login, no session)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "non raggiungibile"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
