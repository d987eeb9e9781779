"""Admin change lists that read well on a 1366 px screen: years without thousands separator, long texts cut.

``CompactListMixin`` rewrites each ``list_display`` entry that names a model field:

* a year (an integer field named ``anno`` or ``anno_…``) is shown as ``2025``: with USE_THOUSAND_SEPARATOR the
  admin would print ``2.025``, as for any integer;
* a foreign key and a long text (``TextField``, ``CharField`` longer than 60) are cut to ``list_text_length``
  characters with the whole text in the tooltip: the admin prints foreign keys without wrapping (``nowrap``),
  so one long name (an objective, a card) made a list several screens wide.

The column keeps its label and its sorting; other entries (methods, ``__str__``) are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeGuard

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator

if TYPE_CHECKING:  # the classes CompactListMixin goes into
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object

LONG_TEXT = 60


def is_year_field(field: object) -> TypeGuard[models.IntegerField]:
    return isinstance(field, models.IntegerField) and (field.name == "anno" or field.name.startswith("anno_"))


def short_text(value: object, length: int) -> str | None:
    """``value`` as text, cut to ``length`` characters with the whole text as tooltip (None stays None)."""
    if value is None or value == "":
        return None
    text = str(value)
    if len(text) <= length:
        return text
    return format_html('<span title="{}">{}</span>', text, Truncator(text).chars(length))


def year_column(field: models.Field) -> Callable[[models.Model], str | None]:
    def column(obj: models.Model) -> str | None:
        value = getattr(obj, field.name)
        return None if value is None else str(value)

    column.__name__ = field.name
    return admin.display(description=field.verbose_name, ordering=field.name)(column)


def short_column(field: models.Field, length: int) -> Callable[[models.Model], str | None]:
    def column(obj: models.Model) -> str | None:
        return short_text(getattr(obj, field.name), length)

    column.__name__ = field.name
    return admin.display(description=field.verbose_name, ordering=field.name)(column)


def compact_column(model: type[models.Model], name: Any, length: int) -> Any:
    """The column to show for the ``list_display`` entry ``name`` (see the module docstring)."""
    if not isinstance(name, str):
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if is_year_field(field):
        return year_column(field)
    if isinstance(field, models.ForeignKey | models.TextField):
        return short_column(field, length)
    if isinstance(field, models.CharField) and not field.choices and (field.max_length or 0) > LONG_TEXT:
        return short_column(field, length)
    return name


class CompactListMixin(_ModelAdmin):
    """For a ModelAdmin: years without separator, long texts and foreign keys cut (see the module docstring)."""

    list_text_length = 50

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        return [compact_column(self.model, name, self.list_text_length) for name in super().get_list_display(request)]


class SuperuserEditMixin(CompactListMixin):
    """Staff users may look; only superusers add, change or delete the catalogues. Lists fit the screen and show
    years as 2025 (core.admin_lists)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
