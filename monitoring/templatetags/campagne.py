"""Template tags of the schede pages: the milestones of the campaign a scheda belongs to."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core.fragments import cached_fragment
from territory.versions import ambito_versions

from ..campaigns.selectors import campagna_of, milestones

register = template.Library()


@register.simple_tag
def scheda_scadenze(scheda) -> SafeString:
    """The campaign's milestones on a scheda's header, or the template's sending date when no campaign expects it.

    Cached by the data versions of the scheda's Ambito and of its parent (campaigns, their milestones and Comuni,
    the templates: territory.versions) and by the day (the days left); the scheda views load the Ambito and its
    parent with the scheda (monitoring.views.common)."""
    parts = [scheda.modello_id, scheda.comune_id, ambito_versions(scheda.comune.ambito)]
    parts += [timezone.localdate().isoformat(), get_language()]

    def render() -> str:
        campagna = campagna_of(scheda.modello_id, scheda.comune_id)
        context = {"scheda": scheda, "campagna": campagna, "milestones": milestones(campagna)}
        return render_to_string("monitoring/campaigns/_scheda_milestones.html", context)

    return cached_fragment("scadenze-scheda", parts, render)
