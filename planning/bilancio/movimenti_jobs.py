"""«Importa impegni e liquidazioni» as a job of the task queue, for a large accounting export: the request only
stores the upload (MEDIA_ROOT/jobs/caricamenti/) and asks for the job, as the schede import does
(monitoring.import_jobs); the worker reads the file, checks every row with the same checks as the real write
(planning.bilancio.movimenti_import.check_rows: step n of m), then writes them all in one transaction
(apply_rows): on any error nothing is saved and the job ends «errore» with every problem, each naming the row and
the column. A file up to ``MOVIMENTI_IMPORT_JOB_KB`` (default 100 KB, a few hundred rows) keeps the in-page
preview and confirmation instead (planning.bilancio.import_views).

The key of the job is the upload's fingerprint: plan, user and SHA-256 of the file (two different uploads are two
jobs; the same file again is the same job, started again if it failed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile

from accounts.scoping import EDIT, can_all
from jobs import registry
from jobs.models import Job
from jobs.uploads import refused, request_upload_job, store_upload, stored_file

from ..models import PianoDiZona
from ..piano.services import piano_assert_modificabile
from . import movimenti_file
from . import movimenti_import as imp

KIND = "movimenti-importazione"
DEFAULT_JOB_KB = 100


def job_threshold_bytes() -> int:
    """Files larger than this are imported by a job (setting ``MOVIMENTI_IMPORT_JOB_KB``, 0: always)."""
    return int(getattr(settings, "MOVIMENTI_IMPORT_JOB_KB", DEFAULT_JOB_KB)) * 1024


def as_job(upload: UploadedFile) -> bool:
    return (upload.size or 0) > job_threshold_bytes()


def request_movimenti_import(piano: PianoDiZona, upload: UploadedFile, user, back_url: str) -> Job:
    """Store the upload and ask for its import job (never run here); a failed job of the same file starts again."""
    stored = store_upload(upload, [KIND, piano.pk, user.pk], default_name="movimenti.csv")
    titolo = f"Importazione impegni e liquidazioni «{stored.nome}» — {piano.titolo}"
    parametri = {"piano": piano.pk, "utente": user.pk}
    return request_upload_job(
        kind=KIND, stored=stored, titolo=titolo, user=user, parametri=parametri, back_url=back_url
    )


def _refused(errors: list[str], nome: str) -> registry.JobRefused:
    return refused(errors, nome, nothing_saved="nessun movimento salvato")


def run_movimenti_import(parametri: dict[str, Any], out: Path, progress: registry.Progress) -> str:
    """Read, check every row (step n of m) and write them all in one transaction; JobRefused lists the problems."""
    nome = parametri["nome"]
    path = stored_file(parametri)
    piano = PianoDiZona.objects.select_related("ambito").get(pk=parametri["piano"])
    user = get_user_model().objects.filter(pk=parametri["utente"]).first()
    try:
        piano_assert_modificabile(piano)
    except PermissionDenied as exc:
        raise registry.JobRefused(f"Il piano «{piano.titolo}» non è modificabile: {exc}") from exc
    try:
        raw_rows = movimenti_file.read_file(nome, path.read_bytes())
    except movimenti_file.ImportFileError as exc:
        raise _refused(exc.errors, nome) from exc
    passi = len(raw_rows) + 1
    result = imp.check_rows(
        piano,
        raw_rows,
        user=user,
        progress=lambda n: progress(n, passi, f"Controllo della riga {n} di {len(raw_rows)}"),
    )
    if result.errors:
        raise _refused(result.errors, nome)
    progress(passi, passi, f"Salvataggio di {len(result.rows)} movimenti in un'unica transazione")
    try:
        count = imp.apply_rows(piano, result.rows, user=user)
    except imp.ApplyError as exc:
        raise _refused([str(exc)], nome) from exc
    return f"{count} impegni e liquidazioni del file «{nome}» registrati."


def edits_plan(parametri: dict[str, Any], user) -> bool:
    """The requester may still change the plan's budget (the Ufficio di Piano of its Ambito)."""
    return can_all(user, EDIT, PianoDiZona.objects.all(), [parametri["piano"]])


def register_kinds() -> None:
    registry.register(
        KIND,
        run=run_movimenti_import,
        allowed=edits_plan,
        label="Importazione di impegni e liquidazioni",
        produces_file=False,
    )
