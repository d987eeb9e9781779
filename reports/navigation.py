"""Breadcrumb trails of the report pages."""

from __future__ import annotations

from django.urls import reverse

from accounts.sections import REPORT, section_trail
from core.breadcrumbs import Trail

# Report


def dashboard_trail(user, ambito) -> Trail:
    """Home › Report › <Ambito> (its dashboard)."""
    return section_trail(user, REPORT).then(ambito.nome, reverse("reports:dashboard", args=[ambito.slug]))
