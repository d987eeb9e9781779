"""Scheda services (writes): load templates, create (copying last year), save values with locking, workflow.

Each service is a keyword-only function wrapped in a transaction; permission checks use accounts.scoping.
The modules, by topic:

* :mod:`.templates` - templates from their JSON definition;
* :mod:`.compute` - canonical stored values, the engine's result, the cached results (recompute);
* :mod:`.save` - saving typed values, merged with colleagues' concurrent saves;
* :mod:`.create` - a new scheda, prefilled from the previous year;
* :mod:`.submit` - what «Invia» needs (required cells, justified warnings);
* :mod:`.workflow` - the status transitions and the notes justifying warnings.

The public names are importable from ``monitoring.services`` itself.
"""

from .compute import (
    CellKey,
    apply_result,
    completeness,
    input_errors,
    normalise,
    scheda_compute,
    scheda_raw_values,
    scheda_recompute,
    schede_recompute_all,
)
from .create import previous_scheda, scheda_create
from .edits import CellEdit
from .errors import Conflict, InvalidValues, SchedaError, SchedaLocked
from .save import changes_since, scheda_save
from .submit import (
    MAX_LISTED,
    SCHEDA_NOTE,
    WHOLE,
    MissingCell,
    SubmitCheck,
    SubmitRefused,
    WarningNote,
    justification_key,
    refusal_text,
    submit_check,
)
from .templates import SCHEDE_DIR, modello_load, template_files
from .workflow import LABELS, TRANSITIONS, allowed_transitions, scheda_justify, scheda_transition

__all__ = [
    "LABELS",
    "MAX_LISTED",
    "SCHEDA_NOTE",
    "SCHEDE_DIR",
    "TRANSITIONS",
    "WHOLE",
    "CellEdit",
    "CellKey",
    "Conflict",
    "InvalidValues",
    "MissingCell",
    "SchedaError",
    "SchedaLocked",
    "SubmitCheck",
    "SubmitRefused",
    "WarningNote",
    "allowed_transitions",
    "apply_result",
    "changes_since",
    "completeness",
    "input_errors",
    "justification_key",
    "modello_load",
    "normalise",
    "previous_scheda",
    "refusal_text",
    "scheda_compute",
    "scheda_create",
    "scheda_justify",
    "scheda_raw_values",
    "scheda_recompute",
    "scheda_save",
    "scheda_transition",
    "schede_recompute_all",
    "submit_check",
    "template_files",
]
