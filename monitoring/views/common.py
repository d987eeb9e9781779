"""Helpers of the scheda pages: the scheda of a URL among those the user may see, the posted version."""

from __future__ import annotations

from accounts.scoping import VIEW, ScopedObjectMixin, can_on_ambito, scoped_path

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


def posted_version(post) -> int:
    """The scheda's version the form was built on (hidden field `version`); -1 if missing or not a number."""
    try:
        return int(post.get("version", ""))
    except ValueError:
        return -1
