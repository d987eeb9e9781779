"""Writes of the open data settings."""

from __future__ import annotations

from django.db import transaction

from .models import Pubblicazione


@transaction.atomic
def pubblicazione_save(*, pubblicazione: Pubblicazione) -> Pubblicazione:
    """Check and store an Ambito's open data settings (the chosen datasets kept in the catalogue's order)."""
    pubblicazione.dataset = pubblicazione.dataset_scelti
    pubblicazione.full_clean()
    pubblicazione.save()
    return pubblicazione
