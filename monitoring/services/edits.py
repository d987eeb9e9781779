"""What a quadro page posts: the user's values and comments, both as the page loaded them, and the user's
choices after a conflict with a colleague's save (plain data: no request, no form)."""

from __future__ import annotations

from dataclasses import dataclass

from core.merge import MINE, THEIRS, FieldConflict

from .compute import CellKey
from .errors import Conflict

Disputed = tuple[str, str, str]  # ("v" for a value or "c" for a comment, row, col)


@dataclass
class CellEdit:
    """The values and comments a quadro page sent, and the same as loaded (None: the page did not send them,
    the save then falls back to the strict version check)."""

    values: dict[CellKey, str]
    comments: dict[CellKey, str]
    base_values: dict[CellKey, str] | None = None
    base_comments: dict[CellKey, str] | None = None

    def _sides(self, kind: str) -> tuple[dict[CellKey, str], dict[CellKey, str] | None]:
        """(the user's, as loaded) for values ("v") or comments ("c")."""
        return (self.values, self.base_values) if kind == "v" else (self.comments, self.base_comments)

    def undecided(self, version: int, disputed: list[Disputed], choices: dict[Disputed, str]) -> Conflict | None:
        """The cells in dispute for which the user chose neither side, as a conflict to show again."""
        undecided = [key for key in disputed if choices[key] not in (MINE, THEIRS)]
        if not undecided:
            return None
        pending = Conflict(version, [], [])
        for kind, row, col in undecided:
            mine, theirs = self._sides(kind)
            pending.cells.append(
                FieldConflict((kind, row, col), None, mine.get((row, col)), (theirs or {}).get((row, col)))
            )
        return pending

    def keep_theirs(self, choices: dict[Disputed, str]) -> None:
        """Where the user chose the other user's value: it is the page's base after the conflict."""
        for (kind, row, col), choice in choices.items():
            target, source = self._sides(kind)
            if choice == THEIRS and source and (row, col) in source:
                target[(row, col)] = source[(row, col)]

    def own_changes(self) -> tuple[dict[CellKey, str], dict[CellKey, str]]:
        """The values and comments that differ from the page's base (all of them when there was no base)."""
        return _changed(self.values, self.base_values), _changed(self.comments, self.base_comments)


def _changed(posted: dict[CellKey, str], base: dict[CellKey, str] | None) -> dict[CellKey, str]:
    if base is None:
        return dict(posted)
    return {k: v for k, v in posted.items() if k not in base or v != base[k]}
