"""Helpers shared by the routers: bounded query parameters, the scoped object of a URL, the list filters (Filtri)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Schema

from accounts.scoping import VIEW, scope

from ..schemas import NO_NUL

# Years and ids are bounded, texts short and without NUL characters: no value reaches the database that it cannot
# hold (PostgreSQL refuses NUL in a text).
Anno = Annotated[int, Field(ge=1900, le=2200)]
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
Testo = Annotated[str, Field(max_length=200, pattern=NO_NUL)]

M = TypeVar("M", bound=Model)


def scoped(queryset: QuerySet[M], request, action: str = VIEW) -> QuerySet[M]:
    """The rows of `queryset` that the token's user may see (accounts.scoping)."""
    return scope(queryset, request.user, action)


def scoped_or_404(queryset: QuerySet[M], request, action: str = VIEW, **lookups: Any) -> M:
    """The object of the URL among those the token's user may see, or 404."""
    return get_object_or_404(scoped(queryset, request, action), **lookups)


#: How a list filter selects: the field its value must equal, or a function from its value to the condition.
Lookup = str | Callable[[Any], Q]


@dataclass(frozen=True)
class By:
    """The lookup of a field of `Filtri`, in its annotation (`Annotated[Testo | None, By("modello__codice")]`),
    when the filter does not select by the field of its own name."""

    lookup: Lookup


def in_ambito(path: str) -> By:
    """The filter «ambito»: the rows of the Ambito of that slug or of its sub-Ambiti (`path` leads to the Ambito)."""
    return By(lambda slug: Q(**{f"{path}__slug": slug}) | Q(**{f"{path}__parent__slug": slug}))


class Filtri(Schema):
    """The filters of a list, from the query string (each optional): each one with a value keeps the rows whose field
    of its name equals it, or that its `By` selects."""

    def filter(self, queryset: QuerySet[M]) -> QuerySet[M]:
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value:
                lookup = next((m.lookup for m in field.metadata if isinstance(m, By)), name)
                queryset = queryset.filter(lookup(value) if callable(lookup) else Q(**{lookup: value}))
        return queryset
