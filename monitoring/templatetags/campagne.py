"""Template tags of the schede pages: the milestones of the campaign a scheda belongs to."""

from __future__ import annotations

from django import template

from ..campaigns.selectors import campagna_of, milestones

register = template.Library()


@register.inclusion_tag("monitoring/campaigns/_scheda_milestones.html")
def scheda_scadenze(scheda) -> dict:
    """The campaign's milestones on a scheda's header, or the template's sending date when no campaign expects it."""
    campagna = campagna_of(scheda.modello_id, scheda.comune_id)
    return {"scheda": scheda, "campagna": campagna, "milestones": milestones(campagna)}
