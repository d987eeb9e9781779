"""Helpers of the scheda pages: the scheda of a URL among those the user may see (or change), the posted version."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from accounts.scoping import VIEW, scope

from ..models import Scheda


def scoped_scheda(request, pk: int, action: str = VIEW) -> Scheda:
    qs = scope(
        Scheda.objects.select_related("modello", "comune", "comune__ambito", "modificata_da"), request.user, action
    )
    return get_object_or_404(qs, pk=pk)


def posted_version(post) -> int:
    """The scheda's version the form was built on (hidden field `version`); -1 if missing or not a number."""
    try:
        return int(post.get("version", ""))
    except ValueError:
        return -1
