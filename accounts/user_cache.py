"""The logged-in user and its grants read from the shared cache instead of the database at every request.

`PortalModelBackend.get_user` (accounts.backends) asks `cached_user(user_id, load)`: one cache round trip reads the
user's entry with the two tokens it must match, the user's own token and the general one. An entry is valid only
while both tokens are those it was stored with, so a change is seen on the next request by deleting a token:

- the user's token: any save or deletion of the user (deactivation, superuser flag, password: Django still checks the
  session's hash against the cached password hash, name, last login), a change of its groups or permissions, an
  assignment (Assegnazione) added, changed, removed or moved from one user to another;
- the general token: an Ambito saved or deleted (its parent, i.e. the sub-ambiti an assignment to the parent
  covers; its Regione, i.e. the Ambiti a Regione user reads), a Regione deleted.

A token is deleted at once and again when the transaction commits (`on_commit`): a request that read the database
before the commit and stored what it read holds a token that no longer exists. A token is created before the
database is read, never after. Writes that send no signal (`QuerySet.update`, `bulk_create`) call `user_changed` /
`everyone_changed` themselves.

Only with a cache shared by every process (Redis, CACHE_REDIS_URL): USER_CACHE_SECONDS is 0 otherwise, since a
token deleted in one process's memory would leave the other processes' entries alive.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from territory.models import Ambito, Regione

from .models import Assegnazione
from .scoping import grants_for

GENERAL = "utente:token:tutti"


def enabled() -> bool:
    return getattr(settings, "USER_CACHE_SECONDS", 0) > 0


def _token_key(user_id: Any) -> str:
    return f"utente:token:{user_id}"


def _entry_key(user_id: Any) -> str:
    return f"utente:{user_id}"


def _tokens(user_id: Any) -> tuple[str, str]:
    """The current (general, user's) tokens, created if missing (`add`: a token another process just made wins)."""
    keys = [GENERAL, _token_key(user_id)]
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        for key, token in missing.items():
            cache.add(key, token, None)
        found = cache.get_many(keys)
    return found.get(GENERAL, ""), found.get(_token_key(user_id), "")


def cached_user(user_id: Any, load: Callable[[], Any]) -> Any:
    """The user `user_id` with its grants loaded (`grants_for`), from the cache when its entry is current, else
    `load()`-ed (None: no such user, or one that may not log in) and stored."""
    if not enabled():
        return load()
    keys = [GENERAL, _token_key(user_id), _entry_key(user_id)]
    found = cache.get_many(keys)
    entry = found.get(keys[2])
    if entry is not None and GENERAL in found and keys[1] in found:
        tokens, user = entry
        if tokens == (found[GENERAL], found[keys[1]]):
            return user
    tokens = _tokens(user_id)  # before the database is read
    user = load()
    if user is None:
        return None
    grants_for(user)  # kept on the user object, pickled with it
    cache.set(keys[2], (tokens, user), settings.USER_CACHE_SECONDS)
    return user


def user_changed(user_id: Any) -> None:
    """The user's cached entry (and the pages cached for it) is no longer valid: now and when the transaction
    commits."""
    if user_id is None:
        return
    key = _token_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def everyone_changed() -> None:
    """Every user's entry is no longer valid (the sub-ambiti or the Ambiti of a Regione changed)."""
    cache.delete(GENERAL)
    transaction.on_commit(lambda: cache.delete(GENERAL))


def user_key(user) -> str:
    """What a page shows of its reader, as a short digest: the user, its names and flags, its grants. Pages cached
    per user (core.page_cache) name it in their key: a changed grant or name is a new key."""
    if not user.is_authenticated:
        return "anonimo"
    grants = grants_for(user)
    parts = [
        user.pk,
        user.get_username(),
        user.get_full_name(),
        user.is_superuser,
        user.is_staff,
        user.is_active,
        {role: sorted(ids) for role, ids in sorted(grants.ambiti.items())},
        {role: sorted(ids) for role, ids in sorted(grants.comuni.items())},
        sorted(grants.regioni),
    ]
    return hashlib.sha256(json.dumps(parts, default=str, separators=(",", ":")).encode()).hexdigest()[:32]


def reader_key(request, in_ambito: bool | None = None) -> list:
    """What a page shows of the request beyond its URL: the reader (`user_key`) and, on a page outside an Ambito,
    the Ambito the header names (the last one visited, kept in the session: portal.context_processors).
    `in_ambito`: whether the page names its Ambito in the header (default: `request.ambito_corrente` is set)."""
    if in_ambito is None:
        in_ambito = getattr(request, "ambito_corrente", None) is not None
    return [user_key(request.user), None if in_ambito else request.session.get("ambito_corrente")]


def _user_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    user_changed(instance.pk)


def _user_relations_changed(sender: Any, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()):
        user_changed(instance.pk)
    else:  # a group's users or permissions changed from the group's side
        everyone_changed()


def _assignment_before_save(sender: Any, instance: Assegnazione, raw: bool = False, **kwargs: Any) -> None:
    """An assignment moved to another user: the former user loses it."""
    if instance.pk is None:
        return
    former = Assegnazione.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
    if former is not None and former != instance.user_id:
        user_changed(former)


def _assignment_changed(sender: Any, instance: Assegnazione, **kwargs: Any) -> None:
    user_changed(instance.user_id)


def _ambito_before_save(sender: Any, instance: Ambito, raw: bool = False, **kwargs: Any) -> None:
    """A new Ambito, or one given another parent or Regione: the grants of other users may change."""
    if instance._state.adding:
        instance._grants_changed = True
        return
    before = Ambito._base_manager.filter(pk=instance.pk).values_list("parent_id", "regione_id").first()
    instance._grants_changed = before != (instance.parent_id, instance.regione_id)


def _ambito_saved(sender: Any, instance: Ambito, **kwargs: Any) -> None:
    if getattr(instance, "_grants_changed", True):
        everyone_changed()


def _territory_changed(sender: Any, **kwargs: Any) -> None:
    everyone_changed()


def register() -> None:
    """Connect the receivers that delete the tokens (AccountsConfig.ready)."""
    user_model = get_user_model()
    uid = "user_cache"
    post_save.connect(_user_saved, sender=user_model, weak=False, dispatch_uid=f"{uid}:user:save")
    post_delete.connect(_user_saved, sender=user_model, weak=False, dispatch_uid=f"{uid}:user:delete")
    for name in ("groups", "user_permissions"):
        through = user_model._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
        m2m_changed.connect(_user_relations_changed, sender=through, weak=False, dispatch_uid=f"{uid}:{name}")
    pre_save.connect(_assignment_before_save, sender=Assegnazione, weak=False, dispatch_uid=f"{uid}:ass:pre")
    post_save.connect(_assignment_changed, sender=Assegnazione, weak=False, dispatch_uid=f"{uid}:ass:save")
    post_delete.connect(_assignment_changed, sender=Assegnazione, weak=False, dispatch_uid=f"{uid}:ass:delete")
    pre_save.connect(_ambito_before_save, sender=Ambito, weak=False, dispatch_uid=f"{uid}:ambito:pre")
    post_save.connect(_ambito_saved, sender=Ambito, weak=False, dispatch_uid=f"{uid}:ambito:save")
    post_delete.connect(_territory_changed, sender=Ambito, weak=False, dispatch_uid=f"{uid}:ambito:delete")
    post_delete.connect(_territory_changed, sender=Regione, weak=False, dispatch_uid=f"{uid}:regione:delete")
