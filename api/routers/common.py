"""Helpers shared by the routers: bounded query parameters, the scoped object of a URL and the list filters."""

from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field

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


def in_ambito(path: str) -> Callable[[str], Q]:
    """The filter «ambito»: the rows of the Ambito of that slug or of its sub-Ambiti (`path` leads to the Ambito)."""
    return lambda slug: Q(**{f"{path}__slug": slug}) | Q(**{f"{path}__parent__slug": slug})


def filtered(queryset: QuerySet[M], filtri: Any, lookups: Mapping[str, Lookup]) -> QuerySet[M]:
    """`queryset` narrowed by each filter of `filtri` that has a value, as `lookups` says (filter name → lookup)."""
    for name, lookup in lookups.items():
        value = getattr(filtri, name)
        if value:
            queryset = queryset.filter(lookup(value) if callable(lookup) else Q(**{lookup: value}))
    return queryset
