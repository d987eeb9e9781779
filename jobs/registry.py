"""The kinds of job: each app above registers its own from its AppConfig.ready (jobs imports none of them).

    register("piano-di-zona-pdf", run=build_piano, allowed=reads_document, label="Piano di Zona (PDF)")

`run(parametri, out, progress)` does the work from the job's `parametri` (JSON: what the worker needs to rebuild
it, e.g. the pk of the plan), writes the file to `out` (a `.part` path, renamed when the job succeeds) and reports
its steps with `progress(passo, passi, descrizione)`. It may return a short Italian summary (shown on the page).
A kind with `produces_file=False` writes nothing (a recompute): its job ends with the summary only.
A run that refuses its input (an import with errors) raises `JobRefused`: its Italian message is shown as it is,
with no traceback logged (an expected outcome, not a fault).

`allowed(parametri, user)` says whether a user who asked for the job may still reach it: the job's pages check it
again on every request, so a user who has lost the assignment to the plan or Ambito loses its file and its
«Riprova» too. `superusers_only` is for a job nobody asks for (the daily reminders).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class JobRefused(Exception):
    """The job's input was refused (e.g. a file with errors): the message, in Italian, is what the user sees."""


class Progress(Protocol):
    def __call__(self, passo: int, passi: int, descrizione: str = "") -> None: ...


Run = Callable[[dict[str, Any], Path, Progress], "str | None"]
Access = Callable[[dict[str, Any], Any], bool]


def superusers_only(parametri: dict[str, Any], user: Any) -> bool:
    """No requester reaches the job (superusers reach every job anyway)."""
    return False


@dataclass(frozen=True)
class JobKind:
    kind: str
    run: Run
    allowed: Access
    label: str = ""
    produces_file: bool = True


_KINDS: dict[str, JobKind] = {}


def register(kind: str, *, run: Run, allowed: Access, label: str = "", produces_file: bool = True) -> JobKind:
    """Register (or replace) the kind `kind`."""
    job_kind = JobKind(kind=kind, run=run, allowed=allowed, label=label or kind, produces_file=produces_file)
    _KINDS[kind] = job_kind
    return job_kind


def get(kind: str) -> JobKind:
    """The registered kind; LookupError with the name when no app registered it."""
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"tipo di lavoro «{kind}» non registrato") from None


def kinds() -> list[str]:
    return sorted(_KINDS)
