"""The data versions of each Ambito (`Ambito.versione_dati`, see core.versions): what the reports of an Ambito
read about it changes → its version (and its parent's, for a sub-ambito) grows in the same transaction.

Territory's own rows: an Ambito (its fields, a new or removed sub-ambito), its Comuni (a Comune moving between
Ambiti bumps both) and their population. They also move `Ambito.versione_territorio`, the version of the territory
alone: a page that shows only the territory (the Ambito page: its Comuni and their population) is keyed by it
(`territory_versions`), so that a save of a scheda or of a plan, which moves `versione_dati` only, keeps it.
The apps above register their rows with ``track_ambito(model, path)`` (`path` leads from the row to its Ambito)
and ``track_catalogue(model)`` for tables read by every Ambito's documents; writes that send no signal call
``bump_ambiti`` or ``bump_ambiti_of_comuni`` (``bump_territory`` and ``bump_territory_of_comuni`` for the
territory's own rows).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.db.models.signals import pre_save

from core import versions

from .models import Ambito, Comune, Popolazione, Regione

TERRITORY = (versions.FIELD, "versione_territorio")  # a change of the territory is a change of the data too


def bump_ambiti(ids: Any, key: Hashable = None) -> None:
    """Bump the Ambiti `ids` (a list or a values() queryset; None: every Ambito) and their parents."""
    versions.bump_with_related(Ambito, "ambiti", ids, key, _parents)


def bump_territory(ids: Any, key: Hashable = None) -> None:
    """Bump the data and territory versions of the Ambiti `ids` (as `bump_ambiti`) and their parents."""
    versions.bump_with_related(Ambito, "territorio", ids, key, _parents, TERRITORY)


def _parents(ids: Any) -> QuerySet:
    return Ambito.objects.filter(pk__in=ids, parent__isnull=False).values("parent")


def bump_ambiti_of_comuni(codici: Any, key: Hashable = None) -> None:
    """Bump the Ambiti of the Comuni `codici` (ISTAT codes, a list or a values() queryset) and their parents."""
    _of_comuni(bump_ambiti, codici, key)


def bump_territory_of_comuni(codici: Any, key: Hashable = None) -> None:
    """`bump_territory` for the Ambiti of the Comuni `codici` (a change of the Comuni or of their population)."""
    _of_comuni(bump_territory, codici, key)


def _of_comuni(bump: Any, codici: Any, key: Hashable) -> None:
    if isinstance(codici, list | tuple | set):
        key = key or tuple(sorted(codici))
    key = key if key is not None else object()
    bump(Comune.objects.filter(pk__in=codici).values("ambito"), ("comuni", key))


def track_ambito(model: type[models.Model], path: str) -> None:
    """Rows of `model` belong to the Ambito reached by `path` (e.g. "tabella__ambito", "comune__ambito")."""
    versions.track(model, path, bump_ambiti)


def track_catalogue(model: type[models.Model]) -> None:
    """Rows of `model` are read by the documents of every Ambito: a change bumps them all."""
    versions.track(model, versions.EVERYTHING, bump_ambiti)


def _ambito_saved(ambito: Ambito, created: bool) -> None:
    if ambito.parent_id:  # a parent's documents (and its page) read its sub-ambiti
        bump_territory([ambito.parent_id])


def _comune_leaving(sender: Any, instance: Comune, raw: bool = False, **kwargs: Any) -> None:
    """Before a Comune is saved, bump the Ambito it is in now (it may be moving to another one)."""
    if raw or instance._state.adding:
        return
    bump_territory(Comune.objects.filter(pk=instance.pk).values("ambito"), ("comune-prima", instance.pk))


def ambito_versions(ambito: Ambito) -> list:
    """The data versions of an Ambito and of its parent (a sub-ambito's documents print the parent's name), as
    loaded with it (`select_related("parent")`: no query); part of the cache key of its documents."""
    versions.observed()  # read: the next change bumps the version again, even in this transaction
    parent = ambito.parent if ambito.parent_id else None
    return [ambito.pk, ambito.versione_dati, parent.versione_dati if parent else None]


def territory_versions(ambito: Ambito) -> list:
    """The territory versions of an Ambito and of its parent (as `ambito_versions`): the key of a page that shows
    only the territory."""
    versions.observed()
    parent = ambito.parent if ambito.parent_id else None
    return [ambito.pk, ambito.versione_territorio, parent.versione_territorio if parent else None]


def register() -> None:
    versions.track_self(Ambito, _ambito_saved, TERRITORY)
    versions.track(Comune, "ambito", bump_territory)
    pre_save.connect(_comune_leaving, sender=Comune, weak=False, dispatch_uid="versions:territory.Comune:pre")
    versions.track(Popolazione, "comune__ambito", bump_territory)
    versions.track(Regione, versions.EVERYTHING, bump_territory)  # its name is printed on its Ambiti's documents
