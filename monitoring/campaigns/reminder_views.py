"""«I miei promemoria»: the reminders and digests the user received by e-mail (only the user's own)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from core.breadcrumbs import Crumb, Trail

from .models import Promemoria

PER_PAGE = 20


class MyRemindersView(View):
    """Every mail sent to the user, newest first, paginated; the text can be opened in place."""

    def get(self, request: HttpRequest) -> HttpResponse:
        promemoria = Promemoria.objects.filter(destinatario_id=request.user.pk).select_related(
            "scheda__comune",
            "scheda__modello",
            "campagna__ambito",
            "campagna__modello",
            "assegnazione__fondo",
            "assegnazione__piano",
        )
        page = Paginator(promemoria, PER_PAGE).get_page(request.GET.get("pagina"))
        trail = Trail((Crumb("Home", reverse("portal:home")),)).then("I miei promemoria")
        return render(request, "monitoring/campaigns/reminders.html", {"page": page, "breadcrumbs": trail})
