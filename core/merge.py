"""Three-way merge of one user's edits with what others saved meanwhile (optimistic editing without lost values).

Every edit page sends, next to each value, the value as it was loaded (the *base*). On save the portal
compares three versions of every field or cell:

- ``base``: what the user saw when the page was loaded;
- ``mine``: what the user posts now;
- ``theirs``: what is stored now (possibly saved by someone else after the page was loaded).

Only the fields the user changed (``mine`` differs from ``base``) are written; the others keep the stored
value, so a stale copy never overwrites a colleague's work. When both the user and somebody else changed the
same field to different values, the field is a conflict: nothing is saved and the page shows both values
and asks the user to choose. Plain Python, no Django: the schede grid and the plan's forms both use it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

Same = Callable[[Hashable, Any, Any], bool]
Key = TypeVar("Key", bound=Hashable)  # a field name, or a (row, column) cell

MINE = "mio"
THEIRS = "altro"


def same_plain(_key: Hashable, a: Any, b: Any) -> bool:
    """Default comparison: equal values, with None and "" both meaning an empty field."""
    return ("" if a is None else a) == ("" if b is None else b)


@dataclass(frozen=True)
class FieldConflict:
    """A field both users changed to different values: the user must choose one."""

    key: Hashable
    base: Any
    mine: Any
    theirs: Any


@dataclass
class Merge:
    """The outcome: the changes to write (only the user's own) and the conflicts that block the save."""

    changes: dict = field(default_factory=dict)  # key -> the user's new value
    conflicts: list[FieldConflict] = field(default_factory=list)
    # Fields the user changed to the value somebody else had already saved: nothing to write.
    already_there: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts


def three_way(
    base: Mapping[Key, Any],
    mine: Mapping[Key, Any],
    theirs: Mapping[Key, Any],
    *,
    same: Same = same_plain,
) -> Merge:
    """Merge the posted values `mine` (keys the page sent) against `base` (as loaded) and `theirs` (stored now).

    A key missing from `base` counts as unchanged by the user only if `mine` equals `theirs`; a page that
    did not send the loaded value of a field cannot prove the user left it alone, so a difference is then
    treated as the user's change.
    """
    merge = Merge()
    for key, new in mine.items():
        stored = theirs.get(key)
        if key in base:
            loaded = base[key]
            if same(key, new, loaded):
                continue  # the user did not touch it: keep whatever is stored now
            if same(key, stored, loaded):
                merge.changes[key] = new  # only the user changed it
            elif same(key, new, stored):
                merge.already_there.append(key)  # both made the same change
            else:
                merge.conflicts.append(FieldConflict(key, loaded, new, stored))
        elif not same(key, new, stored):
            merge.changes[key] = new
    return merge


def resolve_choices(conflict_keys: Iterable[Key], choices: Mapping[Key, str]) -> list[Key]:
    """The conflicted keys the user has not yet decided (each needs MINE or THEIRS)."""
    return [key for key in conflict_keys if choices.get(key) not in (MINE, THEIRS)]
