"""Abstract bases and field factories of the planning models.

The bases carry what every row of a kind shares: the parent through which `accounts.scoping` finds the row's
Ambito, and the default ordering. They add no field and no table; a model that orders its rows otherwise says
so in its own `Meta(Base.Meta)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import fields
from core.models import ParentScoped
from territory.models import Ambito

if TYPE_CHECKING:
    from .piano import PianoDiZona
    from .schede import Intervento


def ambito_fk(related_name: str, *, on_delete: Any = models.CASCADE) -> models.ForeignKey[Ambito, Ambito]:
    """The Ambito a row belongs to."""
    return models.ForeignKey(Ambito, verbose_name=_("ambito"), on_delete=on_delete, related_name=related_name)


def piano_fk(related_name: str) -> models.ForeignKey[PianoDiZona, PianoDiZona]:
    """The Piano di Zona a row belongs to (deleted with it)."""
    return fields.parent_fk("planning.PianoDiZona", _("piano"), related_name)


def intervento_fk(related_name: str) -> models.ForeignKey[Intervento, Intervento]:
    """The intervention card a row belongs to (deleted with it)."""
    return fields.parent_fk("planning.Intervento", _("intervento"), related_name)


def fondi_m2m(related_name: str) -> models.ManyToManyField:
    """The funds (catalogue) that pay for a row of the plan: a project, a service, an intervention."""
    return models.ManyToManyField("planning.Fondo", verbose_name=_("fondi"), blank=True, related_name=related_name)


class DellAmbito(ParentScoped):
    """A row that belongs directly to an Ambito (field `ambito`)."""

    scope_parent = "ambito"

    class Meta:
        abstract = True


class RigaDelPiano(ParentScoped):
    """A row of a Piano di Zona (field `piano`), listed in the plan's order."""

    scope_parent = "piano"

    class Meta:
        abstract = True
        ordering = ["piano", "ordine", "pk"]


class RigaDellIntervento(ParentScoped):
    """A row of an intervention card (field `intervento`), listed in the card's order."""

    scope_parent = "intervento"

    class Meta:
        abstract = True
        ordering = ["intervento", "ordine", "pk"]
