"""Check constraints of rows whose kind (a choice field) decides which of their optional links are set."""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping, Sequence

from django.db import models


def links_by_kind(
    kind: str, set_by_kind: Mapping[str, Sequence[str]], *, name: str, set_otherwise: Sequence[str] | None = None
) -> models.CheckConstraint:
    """A row whose `kind` field has a value of `set_by_kind` sets exactly the links listed for it and leaves the
    other links (those any kind sets) empty; a row of any other kind sets exactly `set_otherwise` (None: no other
    kind passes)."""
    links = {link for chosen in [*set_by_kind.values(), set_otherwise or []] for link in chosen}

    def exactly(chosen: Sequence[str]) -> dict[str, bool]:
        return {f"{link}__isnull": link not in chosen for link in links}

    cases = [models.Q(**{kind: value}, **exactly(chosen)) for value, chosen in set_by_kind.items()]
    if set_otherwise is not None:
        cases.append(~models.Q(**{f"{kind}__in": list(set_by_kind)}) & models.Q(**exactly(set_otherwise)))
    return models.CheckConstraint(condition=functools.reduce(operator.or_, cases), name=name)
