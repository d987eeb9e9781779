"""The rows of a submitted inline formset as plain data, so that no form object reaches a service.

A view turns each valid formset into a list of `Row` (`formset_rows`); the services save, renumber or delete the
rows from that list alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Row(Generic[M]):
    """One row of the page, in page order.

    `obj` is the row's object with the submitted values applied (unsaved; `obj.pk` is None for a new row),
    `ordine` the position typed on the page (None when left empty), `changed` whether the user changed the row,
    `delete` whether the user ticked it for deletion.
    """

    obj: M
    ordine: Any
    changed: bool
    delete: bool


def formset_rows(formset) -> list[Row[Any]]:
    """The rows of a validated inline formset: the stored ones and the new ones the user filled in."""
    rows = []
    for form in formset.forms:
        changed = form.has_changed()
        if not (changed or form.instance.pk):
            continue  # an empty extra row
        rows.append(
            Row(
                obj=form.instance,
                ordine=getattr(form, "cleaned_data", {}).get("ordine"),
                changed=changed,
                delete=bool(formset.can_delete and formset._should_delete_form(form)),
            )
        )
    return rows
