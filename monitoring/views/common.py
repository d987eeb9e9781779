"""Helpers of the scheda pages: the scheda of a URL among those the user may see, the Ambito of a URL its Ufficio di
Piano manages, the posted version."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import PermissionDenied

from accounts.scoping import MANAGE, VIEW, ScopedObjectMixin, can_on_ambito, scoped_path
from territory.models import Ambito

from ..compiled import SCHEDA_MODELLO_DEFERRED
from ..models import Scheda


class SchedaObjectMixin(ScopedObjectMixin):
    """The scheda of the URL (pk) among those the user may see (404 otherwise); changes are checked by each view."""

    scoped_model = Scheda
    # the Ambito's parent: its data version is part of the cache keys of the quadro and of the header's milestones
    scoped_select_related = ("modello", "comune", "comune__ambito__parent", "modificata_da")

    ambito_attr = "comune.ambito"

    scheda = scoped_path()  # Scheda

    def scoped_ambito(self):
        """The header names the scheda's Ambito (loaded with it: no query) to whoever reads the Ambito; an Operatore
        keeps the header of its other pages."""
        ambito = super().scoped_ambito()
        return ambito if can_on_ambito(self.request.user, VIEW, ambito) else None

    def get_scoped_queryset(self):
        # the template's definition (16-27 KB of JSON) is decoded only when its compiled form is not cached
        return super().get_scoped_queryset().defer(SCHEDA_MODELLO_DEFERRED)


class ManagedAmbitoMixin(ScopedObjectMixin):
    """The Ambito of the URL (slug) for the work of its Ufficio di Piano (or an administrator) on the schede of its
    Comuni: 404 for an Ambito the user does not see, 403 with `refusal` for one it sees without managing it."""

    scoped_model = Ambito
    scoped_select_related = ("parent",)
    lookups = {"slug": "slug"}
    ambito_attr = ""
    refusal: ClassVar[str] = ""

    ambito = scoped_path()  # Ambito

    def check_scoped_object(self, obj) -> None:
        if not can_on_ambito(self.request.user, MANAGE, obj):
            raise PermissionDenied(self.refusal)


def posted_version(post) -> int:
    """The scheda's version the form was built on (hidden field `version`); -1 if missing or not a number."""
    try:
        return int(post.get("version", ""))
    except ValueError:
        return -1
