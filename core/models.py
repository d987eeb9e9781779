"""Abstract bases of models that know no domain (no field of their own, no table): how a row is shown, scoped
and kept in history."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.text import format_lazy
from simple_history.models import HistoricalRecords


class _PathThroughParent:
    """A lookup path of the parent's model (`scope_ambito_path`, `scope_comune_path`) seen from the child: the
    link to the parent followed by the parent's own path; None where the parent has none."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def __get__(self, instance: object, owner: type[ParentScoped]) -> str | None:
        link = owner.scope_parent
        path = getattr(owner._meta.get_field(link).related_model, self.attribute)
        if path is None:
            return None
        return link if path == "pk" else f"{link}__{path}"


class ParentScoped(models.Model):
    """A row seen by whoever sees its parent: the link named `scope_parent` gives the lookup paths that
    `accounts.scoping` follows (`scope_ambito_path`, `scope_comune_path`), so a model names its parent once."""

    scope_parent: str
    scope_ambito_path = _PathThroughParent("scope_ambito_path")
    scope_comune_path = _PathThroughParent("scope_comune_path")

    class Meta:
        abstract = True


class Labelled(models.Model):
    """A row shown by `label_format`, a `str.format` template of its fields, e.g. "{self.codice} — {self.titolo}"."""

    label_format = "{self.nome}"

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label_format.format(self=self)


class WithDetailPage(models.Model):
    """A row with a page of its own: `detail_url` names the URL pattern, `detail_url_field` the field it takes."""

    detail_url: str
    detail_url_field = "pk"

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse(self.detail_url, kwargs={self.detail_url_field: getattr(self, self.detail_url_field)})


class Storico(HistoricalRecords):
    """django-simple-history's records of a model, named «storico <verbose name>» unless a name is given."""

    def get_meta_options(self, model: type[models.Model]) -> dict[str, Any]:
        options: dict[str, Any] = super().get_meta_options(model)
        if not self.user_set_verbose_name:
            options["verbose_name"] = format_lazy("storico {}", model._meta.verbose_name)
        return options


class Storicizzato(models.Model):
    """A model whose every change is kept (django-simple-history) in «storico <verbose name>»; a model that names
    its history otherwise, or leaves fields out of it, declares its own `history = Storico(...)` instead."""

    history = Storico(inherit=True)

    class Meta:
        abstract = True


class HistoryUser(models.Model):
    """A model whose services set `_history_user` before save(): the user django-simple-history records."""

    _history_user: Any

    class Meta:
        abstract = True
