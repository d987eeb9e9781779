"""Helpers of the scheda pages: the scheda of a URL among those the user may see, the posted version."""

from __future__ import annotations

from accounts.scoping import ScopedObjectMixin, scoped_path

from ..models import Scheda


class SchedaObjectMixin(ScopedObjectMixin):
    """The scheda of the URL (pk) among those the user may see (404 otherwise); changes are checked by each view."""

    scoped_model = Scheda
    # the Ambito's parent: its data version is part of the cache keys of the quadro and of the header's milestones
    scoped_select_related = ("modello", "comune", "comune__ambito__parent", "modificata_da")

    scheda = scoped_path()  # Scheda


def posted_version(post) -> int:
    """The scheda's version the form was built on (hidden field `version`); -1 if missing or not a number."""
    try:
        return int(post.get("version", ""))
    except ValueError:
        return -1
