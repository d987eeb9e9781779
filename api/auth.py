"""Authentication of the API: a personal token in `Authorization: Bearer <token>` (no session, hence no CSRF)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from .models import TokenAPI
from .services import token_authenticate


class TokenAuth(HttpBearer):
    """The token's user becomes `request.user`: scoping and history see the token's owner."""

    openapi_description = "Token personale creato nella pagina «I miei token API» del portale."

    def authenticate(self, request: HttpRequest, token: str) -> TokenAPI | None:
        found = token_authenticate(token)
        if found is not None:
            request.user = found.utente
        return found
