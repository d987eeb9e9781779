"""Small ORM helpers that know no domain."""

from __future__ import annotations

from django.db.models import Manager, QuerySet


def next_number(queryset: QuerySet | Manager, field: str = "ordine") -> int:
    """One more than the highest `field` among the rows of `queryset` (1 when there is none): the position or
    number of a new row appended at the end."""
    return (queryset.order_by(f"-{field}").values_list(field, flat=True).first() or 0) + 1
