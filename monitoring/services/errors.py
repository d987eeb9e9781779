"""The errors of the scheda services: a refused operation, and a save that collides with a colleague's."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.merge import FieldConflict


class SchedaError(Exception):
    """A refused operation, with an Italian message for the user."""


@dataclass
class Conflict(Exception):
    """The scheda changed since the user loaded it and the save cannot be merged (optimistic lock).

    `changes` lists what others saved meanwhile; `cells` the cells (and comments) that both this user and
    somebody else changed to different values: the user must choose, nothing was saved.
    """

    current_version: int
    changes: list[dict] = field(default_factory=list)  # {"cella", "prima", "dopo", "utente", "quando"}
    cells: list[FieldConflict] = field(default_factory=list)  # keys: ("v"|"c", row, col)
