"""Abstract bases and field factories of the planning models.

The bases carry what every row of a kind shares: the lookup paths `accounts.scoping` follows to the row's
Ambito, and the default ordering. They add no field and no table; a model that orders its rows otherwise says
so in its own `Meta(Base.Meta)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import parent_fk
from territory.models import Ambito

if TYPE_CHECKING:
    from .piano import PianoDiZona
    from .schede import Intervento


def ambito_fk(related_name: str, *, on_delete: Any = models.CASCADE) -> models.ForeignKey[Ambito, Ambito]:
    """The Ambito a row belongs to."""
    return models.ForeignKey(Ambito, verbose_name=_("ambito"), on_delete=on_delete, related_name=related_name)


def piano_fk(related_name: str) -> models.ForeignKey[PianoDiZona, PianoDiZona]:
    """The Piano di Zona a row belongs to (deleted with it)."""
    return parent_fk("planning.PianoDiZona", _("piano"), related_name)


def intervento_fk(related_name: str) -> models.ForeignKey[Intervento, Intervento]:
    """The intervention card a row belongs to (deleted with it)."""
    return parent_fk("planning.Intervento", _("intervento"), related_name)


class DellAmbito(models.Model):
    """A row that belongs directly to an Ambito (field `ambito`)."""

    scope_ambito_path = "ambito"
    scope_comune_path = None

    class Meta:
        abstract = True


class RigaDelPiano(models.Model):
    """A row of a Piano di Zona (field `piano`), listed in the plan's order."""

    scope_ambito_path = "piano__ambito"
    scope_comune_path = None

    class Meta:
        abstract = True
        ordering = ["piano", "ordine", "pk"]


class RigaDellIntervento(models.Model):
    """A row of an intervention card (field `intervento`), listed in the card's order."""

    scope_ambito_path = "intervento__piano__ambito"
    scope_comune_path = None

    class Meta:
        abstract = True
        ordering = ["intervento", "ordine", "pk"]
