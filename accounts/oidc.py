"""SPID and CIE login: the portal as an OpenID Connect relying party (mozilla-django-oidc).

In production the provider is an SPID/CIE proxy (iam-proxy-italia, on SATOSA) that speaks OIDC to the portal, so the
portal never handles SAML or the federations. Everything comes from the settings (environment variables, README
«Accesso con SPID e CIE») and is read at each use, so tests can change it with override_settings.

A login finds the ACTIVE user whose `Profilo.codice_fiscale` is the fiscal-code claim («TINIT-» removed): nobody
gets an account or a role by logging in. What went wrong is left on the request (`oidc_failure`,
`oidc_codice_fiscale`) for the callback view's page.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from . import codice_fiscale, user_cache

logger = logging.getLogger(__name__)

# Why a login found no user (request.oidc_failure): the callback view shows a page for each.
SENZA_CODICE_FISCALE = "senza_codice_fiscale"
SCONOSCIUTO = "sconosciuto"
DISATTIVATO = "disattivato"

# Provider metadata key → the setting that, when not empty, replaces the discovered value.
_EXPLICIT_ENDPOINTS = {
    "authorization_endpoint": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "token_endpoint": "OIDC_OP_TOKEN_ENDPOINT",
    "userinfo_endpoint": "OIDC_OP_USER_ENDPOINT",
    "jwks_uri": "OIDC_OP_JWKS_ENDPOINT",
    "end_session_endpoint": "OIDC_OP_END_SESSION_ENDPOINT",
}
_REQUIRED = ("authorization_endpoint", "token_endpoint")
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}  # issuer → (fetched at, metadata)


class OIDCProviderError(Exception):
    """The identity provider cannot be reached or describes itself wrongly (message in Italian)."""


def enabled() -> bool:
    """Whether SPID/CIE login is configured: a client id and the issuer (or the explicit endpoints)."""
    return bool(settings.OIDC_CLIENT_ID and (settings.OIDC_ISSUER or settings.OIDC_OP_AUTHORIZATION_ENDPOINT))


def _discover(issuer: str) -> dict[str, Any]:
    """The provider's metadata from `issuer`/.well-known/openid-configuration, kept OIDC_DISCOVERY_TTL seconds."""
    cached = _discovered.get(issuer)
    if cached and time.monotonic() - cached[0] < settings.OIDC_DISCOVERY_TTL:
        return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OIDCProviderError(f"Il fornitore di identità non risponde ({url}): {exc}") from exc
    if str(metadata.get("issuer", "")).rstrip("/") != issuer:
        raise OIDCProviderError(f"Il fornitore di identità si dichiara «{metadata.get('issuer')}», non «{issuer}».")
    _discovered[issuer] = (time.monotonic(), metadata)
    return metadata


def provider() -> dict[str, Any]:
    """The provider's endpoints: the explicit OIDC_OP_*_ENDPOINT settings, the rest from the discovery."""
    explicit = {key: getattr(settings, name) for key, name in _EXPLICIT_ENDPOINTS.items() if getattr(settings, name)}
    metadata: dict[str, Any] = {}
    if settings.OIDC_ISSUER and len(explicit) < len(_EXPLICIT_ENDPOINTS):
        metadata.update(_discover(settings.OIDC_ISSUER))
    metadata.update(explicit)
    missing = [key for key in _REQUIRED if not metadata.get(key)]
    if missing:
        raise OIDCProviderError(f"Configurazione OIDC incompleta: manca {', '.join(missing)}.")
    return metadata


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, from the portal's OIDC_* settings (read at each call)."""
    values = {
        "OIDC_RP_CLIENT_ID": settings.OIDC_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": settings.OIDC_CLIENT_SECRET,
        "OIDC_RP_SCOPES": settings.OIDC_SCOPES,
        "OIDC_RP_SIGN_ALGO": settings.OIDC_SIGN_ALGO,
        "OIDC_USE_NONCE": True,
        "OIDC_CREATE_USER": False,
        "OIDC_STORE_ID_TOKEN": True,  # the id_token_hint of the logout
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_callback",
    }
    if attr in values:
        return values[attr]
    return import_from_settings(attr, *default)


def fiscal_code_of(claims: dict[str, Any]) -> str | None:
    """The codice fiscale in the provider's claims (OIDC_CLAIM_FISCAL_CODE), normalized; None if absent."""
    value = claims.get(settings.OIDC_CLAIM_FISCAL_CODE)
    return codice_fiscale.normalize(value) if isinstance(value, str) and value.strip() else None


class PortalOIDCBackend(OIDCAuthenticationBackend):
    """Authenticates the OIDC callback (code flow, state, nonce, PKCE) and finds the user by codice fiscale.

    Django builds the backends at every authenticate() and at every request of a logged-in user (get_user): the
    provider is read only when a callback is authenticated.
    """

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or not enabled():
            return None  # a password login, or SPID/CIE not configured
        endpoints = provider()
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = endpoints.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = endpoints.get("jwks_uri")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def retrieve_matching_jwk(self, token):
        """The provider's key for the token: by its «kid»; without one, the provider's only signing key."""
        if "kid" in jwt.get_unverified_header(token):
            return super().retrieve_matching_jwk(token)
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        keys = [key for key in response.json().get("keys", []) if key.get("use", "sig") == "sig"]
        if len(keys) != 1:
            raise SuspiciousOperation("OIDC token without kid and a provider with several keys.")
        return jwt.PyJWK(keys[0])

    def get_payload_data(self, token, key):
        """The verified token's claims, refused unless issued by the configured issuer for this client."""
        payload = super().get_payload_data(token, key)
        issuer = settings.OIDC_ISSUER
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("OIDC token of another issuer.")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if settings.OIDC_CLIENT_ID not in audiences:
            raise SuspiciousOperation("OIDC token for another client.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims with the userinfo endpoint's (when the provider has one, for the same subject)."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("OIDC userinfo of another subject than the ID token.")
        return {**payload, **userinfo}

    def verify_claims(self, claims):
        if fiscal_code_of(claims):
            return True
        self.request.oidc_failure = SENZA_CODICE_FISCALE
        return False

    def filter_users_by_claims(self, claims):
        code = fiscal_code_of(claims)
        self.request.oidc_codice_fiscale = code
        return self.UserModel.objects.filter(profilo__codice_fiscale=code, is_active=True)

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None and getattr(self.request, "oidc_codice_fiscale", None):
            inactive = self.UserModel.objects.filter(profilo__codice_fiscale=self.request.oidc_codice_fiscale)
            self.request.oidc_failure = DISATTIVATO if inactive.exists() else SCONOSCIUTO
        return user

    def create_user(self, claims):
        raise PermissionDenied("Gli account sono creati solo dall'amministratore del portale.")

    def get_user(self, user_id):
        # None for an account deactivated meanwhile; from the shared cache as with a password login
        return user_cache.cached_user(user_id, lambda: ModelBackend.get_user(self, user_id))


def end_session_url(request, id_token: str | None) -> str | None:
    """Where the logout sends the browser to end the provider's session too (RP-initiated logout), then back to
    the login page; None when there is nothing to end (a password login, OIDC_LOGOUT off, no end_session)."""
    if not id_token or not settings.OIDC_LOGOUT or not enabled():
        return None
    try:
        endpoint = provider().get("end_session_endpoint")
    except OIDCProviderError as exc:
        logger.warning("SPID/CIE logout only local: %s", exc)
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            "client_id": settings.OIDC_CLIENT_ID,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def axes_exempt(request, credentials: dict | None = None) -> bool:
    """django-axes' whitelist: a SPID/CIE callback (its credentials carry the nonce) is neither counted nor locked.

    The identity provider checks SPID/CIE credentials, so the portal has nothing to throttle there, and locking an
    office's address after a few unknown codici fiscali would lock out its colleagues; the callback view logs each
    refusal instead. The password form stays counted and locked as before.
    """
    return bool(credentials and "nonce" in credentials)
