"""Field factories that know no domain, used as `fields.text(_("note"))` next to `models.CharField(...)`.

Each factory returns a new field (a field belongs to one model) with the verbose name and the options the
migrations already record, so that declaring a field through a factory changes no column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, overload

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound=models.Model)


def ordine() -> models.PositiveSmallIntegerField:
    """The position of a row among its siblings: lists and documents print the rows in this order."""
    return models.PositiveSmallIntegerField(_("ordine"), default=0)


def codice() -> models.CharField:
    """The unique short code of a catalogue row (a fund, a template, an Ambito)."""
    return models.CharField(_("codice"), max_length=30, unique=True)


def data_version(help_text: StrOrPromise, label: StrOrPromise | None = None) -> models.PositiveBigIntegerField:
    """The data version of a row (core.versions): a counter the services bump, never edited by hand."""
    label = label or _("versione dei dati")
    return models.PositiveBigIntegerField(label, default=0, editable=False, help_text=help_text)


def anno(label: StrOrPromise | None = None, **options: Any) -> models.PositiveSmallIntegerField:
    """A calendar year (of a fact, a target, a snapshot); the label defaults to «anno»."""
    return models.PositiveSmallIntegerField(label or _("anno"), **options)


def text(label: StrOrPromise, **options: Any) -> models.TextField:
    """Free text that may stay empty (notes, descriptions, comments)."""
    return models.TextField(label, blank=True, **options)


def amount(label: StrOrPromise, **options: Any) -> models.DecimalField:
    """An amount or a measured figure with two decimals (euro, indicator values): up to 12 integer digits."""
    return models.DecimalField(label, max_digits=14, decimal_places=2, **options)


def optional_amount(label: StrOrPromise, **options: Any) -> models.DecimalField:
    """`amount` that may stay empty (None: not given, as opposed to zero)."""
    return amount(label, null=True, blank=True, **options)


@overload
def parent_fk(to: type[M], label: StrOrPromise, related_name: str, **options: Any) -> models.ForeignKey[M, M]: ...
@overload
def parent_fk(to: str, label: StrOrPromise, related_name: str, **options: Any) -> Any: ...
def parent_fk(to: type[M] | str, label: StrOrPromise, related_name: str, **options: Any) -> Any:
    """The row this one belongs to, deleted with it (the rows of a plan, the cells of a scheda…)."""
    return models.ForeignKey(to, verbose_name=label, on_delete=models.CASCADE, related_name=related_name, **options)


@overload
def optional_fk(
    to: type[M], label: StrOrPromise, related_name: str, *, on_delete: Any = ..., **options: Any
) -> models.ForeignKey[M | None, M | None]: ...
@overload
def optional_fk(to: str, label: StrOrPromise, related_name: str, *, on_delete: Any = ..., **options: Any) -> Any: ...
def optional_fk(
    to: type[M] | str, label: StrOrPromise, related_name: str, *, on_delete: Any = models.PROTECT, **options: Any
) -> Any:
    """A link that may stay empty; by default the linked row cannot be deleted while it is used."""
    return models.ForeignKey(
        to, verbose_name=label, null=True, blank=True, on_delete=on_delete, related_name=related_name, **options
    )


def user_fk(label: StrOrPromise, *, on_delete: Any = models.SET_NULL, **options: Any) -> Any:
    """The user who did something to a row (opened, closed, created, requested it)."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=label, on_delete=on_delete, **options)
