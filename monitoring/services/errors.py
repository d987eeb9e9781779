"""The errors of the scheda services: a refused operation, and a save that collides with a colleague's."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.merge import FieldConflict
from monitoring.engine import Message


class SchedaError(Exception):
    """A refused operation, with an Italian message for the user."""


class SchedaLocked(SchedaError):
    """Refused by the workflow: the scheda is not editable in its state, or its campaign is locked."""


class InvalidValues(SchedaError):
    """Refused values: `messages` are the engine's messages, each naming its cell (row, col)."""

    def __init__(self, messages: list[Message]) -> None:
        self.messages = messages
        super().__init__("\n".join(m.text for m in messages))


@dataclass
class Conflict(Exception):
    """The scheda changed since the user loaded it and the save cannot be merged (optimistic lock).

    `changes` lists what others saved meanwhile; `cells` the cells (and comments) that both this user and
    somebody else changed to different values: the user must choose, nothing was saved.
    """

    current_version: int
    changes: list[dict] = field(default_factory=list)  # {"cella", "prima", "dopo", "utente", "quando"}
    cells: list[FieldConflict] = field(default_factory=list)  # keys: ("v"|"c", row, col)
