"""Django's ModelBackend with the logged-in user read from the shared cache (accounts.user_cache).

It replaces `django.contrib.auth.backends.ModelBackend` in AUTHENTICATION_BACKENDS: passwords are checked the same way,
and `get_user` (once per request, for the user of the session) answers from the cache while the user, its
assignments and the territory they cover are unchanged. Django still checks the session's hash against the user's
password hash after `get_user`, so a password change ends the other sessions as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from . import user_cache


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        return user_cache.cached_user(user_id, lambda: super(PortalModelBackend, self).get_user(user_id))
