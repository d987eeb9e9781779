"""The scheda of a URL, among those the user may see (or change)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from accounts.scoping import VIEW, scope

from ..models import Scheda


def scoped_scheda(request, pk: int, action: str = VIEW) -> Scheda:
    qs = scope(
        Scheda.objects.select_related("modello", "comune", "comune__ambito", "modificata_da"), request.user, action
    )
    return get_object_or_404(qs, pk=pk)
