"""Helpers shared by the routers: bounded query parameters and the scoped object of a URL."""

from typing import Annotated, Any, TypeVar

from django.db.models import Model, QuerySet
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
