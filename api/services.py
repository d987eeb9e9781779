"""Creating, revoking and checking personal API tokens (the secret is never stored, only its SHA-256)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import TokenAPI

PREFIX = "pas_"  # «Portale Ambiti Sociali»: recognisable in a leaked configuration file
SHOWN_CHARS = 8  # the prefix shown in the list: "pas_" and 4 characters of the secret
USAGE_WRITE_EVERY = timedelta(minutes=1)  # last_used is written at most once a minute per token


@dataclass(frozen=True)
class NewToken:
    token: TokenAPI
    segreto: str  # shown once to the user, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, nome: str, giorni: int | None = None) -> NewToken:
    """A new token for `user`, valid `giorni` days (None: until revoked); the secret is returned once."""
    secret = PREFIX + secrets.token_urlsafe(32)
    scade_il = timezone.now() + timedelta(days=giorni) if giorni else None
    token = TokenAPI.objects.create(
        utente=user,
        nome=nome.strip(),
        prefisso=secret[:SHOWN_CHARS],
        hash_segreto=hash_secret(secret),
        scade_il=scade_il,
    )
    return NewToken(token, secret)


def token_revoke(*, user, token_id: int) -> bool:
    """Revoke one of `user`'s own tokens; False when it is not one of them or already revoked."""
    return bool(
        TokenAPI.objects.filter(pk=token_id, utente=user, revocato_il__isnull=True).update(revocato_il=timezone.now())
    )


def token_authenticate(secret: str) -> TokenAPI | None:
    """The active token of `secret` with its user (one query), or None; records its last use."""
    if not secret.startswith(PREFIX):
        return None
    token = TokenAPI.objects.select_related("utente").filter(hash_segreto=hash_secret(secret)).first()
    now = timezone.now()
    if token is None or not token.attivo(now) or not token.utente.is_active:
        return None
    if token.usato_il is None or now - token.usato_il > USAGE_WRITE_EVERY:
        TokenAPI.objects.filter(pk=token.pk).update(usato_il=now)
        token.usato_il = now
    return token
