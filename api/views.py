"""«I miei token API»: the user's personal tokens, a form to create one (its secret shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from core.breadcrumbs import Crumb, Trail

from .forms import TokenAPIForm
from .models import TokenAPI
from .services import token_create, token_revoke


def _page(request: HttpRequest, form: TokenAPIForm, segreto: str = "", status: int = 200) -> HttpResponse:
    tokens = TokenAPI.objects.filter(utente_id=request.user.pk).order_by("-creato_il")
    context = {
        "form": form,
        "tokens": tokens,
        "segreto": segreto,
        "docs_url": reverse("api_v1:openapi-view"),
        "schema_url": reverse("api_v1:openapi-json"),
        "breadcrumbs": Trail((Crumb("Home", reverse("portal:home")),)).then("I miei token API"),
    }
    return render(request, "api/token_list.html", context, status=status)


class TokenListView(View):
    """The list and the creation form; the new secret is shown in the answer to the POST only."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return _page(request, TokenAPIForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenAPIForm(request.POST)
        if not form.is_valid():
            return _page(request, form, status=400)
        new = token_create(user=request.user, nome=form.cleaned_data["nome"], giorni=form.giorni)
        messages.success(request, f"Token «{new.token.nome}» creato: copi ora il segreto, non sarà più mostrato.")
        return _page(request, TokenAPIForm(), segreto=new.segreto)


class TokenRevokeView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if token_revoke(user=request.user, token_id=pk):
            messages.success(request, "Token revocato: non è più accettato dall'API.")
        else:
            messages.error(request, "Token non trovato o già revocato.")
        return redirect("api:token_list")
