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

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile

from jobs import registry
from jobs.models import Job
from jobs.services import request_job, restart
from jobs.storage import storage_dir

from ..models import PianoDiZona
from ..piano.services import piano_assert_modificabile
from . import movimenti_import as imp

KIND = "movimenti-importazione"
UPLOADS = "caricamenti"
DEFAULT_JOB_KB = 100
MAX_SHOWN = 200


def job_threshold_bytes() -> int:
    """Files larger than this are imported by a job (setting ``MOVIMENTI_IMPORT_JOB_KB``, 0: always)."""
    return int(getattr(settings, "MOVIMENTI_IMPORT_JOB_KB", DEFAULT_JOB_KB)) * 1024


def as_job(upload: UploadedFile) -> bool:
    return (upload.size or 0) > job_threshold_bytes()


def request_movimenti_import(piano: PianoDiZona, upload: UploadedFile, user, back_url: str) -> Job:
    """Store the upload and ask for its import job (never run here); a failed job of the same file starts again."""
    data = b"".join(upload.chunks())
    digest = hashlib.sha256(data).hexdigest()
    chiave = hashlib.sha256(json.dumps([KIND, piano.pk, user.pk, digest]).encode()).hexdigest()
    nome = Path(upload.name or "movimenti.csv").name
    folder = storage_dir() / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{chiave}{Path(nome).suffix.lower()}"
    if not path.exists():
        path.write_bytes(data)
    parametri: dict[str, Any] = {"piano": piano.pk, "utente": user.pk, "file": path.name, "nome": nome}
    titolo = f"Importazione impegni e liquidazioni «{nome}» — {piano.titolo}"
    job = request_job(kind=KIND, chiave=chiave, titolo=titolo, user=user, parametri=parametri, back_url=back_url)
    if job.stato == Job.Stato.ERRORE:
        restart(job)
        job.refresh_from_db()
    return job


def _refused(errors: list[str], nome: str) -> registry.JobRefused:
    shown = errors[:MAX_SHOWN]
    more = f"\n… e altri {len(errors) - len(shown)} problemi." if len(errors) > len(shown) else ""
    return registry.JobRefused(
        f"Importazione di «{nome}» rifiutata, nessun movimento salvato ({len(errors)} problemi):\n"
        + "\n".join(f"• {e}" for e in shown)
        + more
        + "\nCorregga il file e lo carichi di nuovo."
    )


def run_movimenti_import(parametri: dict[str, Any], out: Path, progress: registry.Progress) -> str:
    """Read, check every row (step n of m) and write them all in one transaction; JobRefused lists the problems."""
    nome = parametri["nome"]
    path = storage_dir() / UPLOADS / parametri["file"]
    if not path.is_file():
        raise registry.JobRefused(f"Il file «{nome}» caricato non è più disponibile: lo carichi di nuovo.")
    piano = PianoDiZona.objects.select_related("ambito").get(pk=parametri["piano"])
    user = get_user_model().objects.filter(pk=parametri["utente"]).first()
    try:
        piano_assert_modificabile(piano)
    except PermissionDenied as exc:
        raise registry.JobRefused(f"Il piano «{piano.titolo}» non è modificabile: {exc}") from exc
    try:
        raw_rows = imp.read_file(nome, path.read_bytes())
    except imp.ImportFileError as exc:
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


def register_kinds() -> None:
    registry.register(
        KIND, run=run_movimenti_import, label="Importazione di impegni e liquidazioni", produces_file=False
    )
