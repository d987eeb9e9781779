"""Login and logout pages: the local form, and SPID/CIE through the OpenID Connect provider (accounts.oidc)."""

from __future__ import annotations

import logging

import requests
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import oidc
from .forms import LoginForm

logger = logging.getLogger(__name__)


class PortalLoginView(auth_views.LoginView):
    """The local login form; above it «Entra con SPID / CIE» when the provider is configured."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(spid_enabled=oidc.enabled(), **kwargs)


class PortalLogoutView(auth_views.LogoutView):
    """Logout; after a SPID/CIE login also the provider's session (end_session_endpoint, then the login page)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        url = oidc.end_session_url(request, id_token)
        return HttpResponseRedirect(url) if url else response


def _provider_unreachable(request, exc: Exception):
    logger.warning("SPID/CIE provider unreachable: %s", exc)
    return render(request, "registration/oidc_errore.html", {"motivo": "fornitore"}, status=502)


def _answer_refused(request, exc: Exception):
    logger.warning("SPID/CIE answer refused: %s", exc)
    return render(request, "registration/oidc_errore.html", {"motivo": "risposta"}, status=400)


class OIDCLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with a fresh state, nonce and PKCE challenge (kept in the session)."""

    get_settings = staticmethod(oidc.oidc_setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the provider is read in get(), not when the view is built

    def get(self, request):
        if not oidc.enabled():
            raise Http404("Accesso con SPID/CIE non configurato.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.provider()["authorization_endpoint"]
        except oidc.OIDCProviderError as exc:
            return _provider_unreachable(request, exc)
        self.OIDC_RP_CLIENT_ID = oidc.oidc_setting("OIDC_RP_CLIENT_ID")
        return super().get(request)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: logs the user in, or says in Italian why not (status 400, 403 or 502)."""

    get_settings = staticmethod(oidc.oidc_setting)

    @property
    def failure_url(self):
        return reverse("login")

    def get(self, request):
        if not oidc.enabled():
            raise Http404("Accesso con SPID/CIE non configurato.")
        try:
            return super().get(request)
        except SuspiciousOperation as exc:  # unknown state, wrong nonce, signature, issuer or audience
            return _answer_refused(request, exc)
        except requests.HTTPError as exc:
            if exc.response is not None and 400 <= exc.response.status_code < 500:
                return _answer_refused(request, exc)  # e.g. a code already used, or issued to another client
            return _provider_unreachable(request, exc)
        except (oidc.OIDCProviderError, requests.RequestException) as exc:
            return _provider_unreachable(request, exc)

    def login_failure(self):
        reason = getattr(self.request, "oidc_failure", None)
        if reason:
            code = getattr(self.request, "oidc_codice_fiscale", None)
            logger.warning("SPID/CIE login refused (%s), codice fiscale %s", reason, code or "-")
            context = {"motivo": reason, "codice_fiscale": code}
            return render(self.request, "registration/oidc_non_abilitato.html", context, status=403)
        messages.error(self.request, "Accesso con SPID/CIE non completato: può riprovare.")
        return super().login_failure()
