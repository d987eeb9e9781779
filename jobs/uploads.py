"""Files imported by a job (schede, commitments and payments, population): the request stores the upload under
MEDIA_ROOT/jobs/caricamenti/, named by the job's key, and asks for the job; the worker reads the file from there.

The key is the upload's fingerprint: what the import is and for whom (`fingerprint`: its kind, scope and user) and
the SHA-256 of the file's content, so two different uploads are two jobs and the same file again is the same job,
started again if it failed. The stored file goes with its job (reports' `pulisci_report`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from . import registry
from .models import Job
from .services import request_job, restart
from .storage import storage_dir

UPLOADS = "caricamenti"
MAX_SHOWN = 200  # problems listed in the message of a refused import


@dataclass(frozen=True)
class StoredUpload:
    chiave: str  # the job's key
    path: Path
    nome: str  # the name the user gave the file: the messages use it


def upload_path(chiave: str, name: str) -> Path:
    """Where the uploaded file of the job `chiave` is kept (the extension of `name`, which tells the formats apart)."""
    folder = storage_dir() / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{chiave}{Path(name).suffix.lower()}"


def store_upload(upload: UploadedFile, fingerprint: list[Any], *, default_name: str) -> StoredUpload:
    """Write the upload once under its key (a file already stored under the same key is the same content)."""
    data = b"".join(upload.chunks())
    digest = hashlib.sha256(data).hexdigest()
    chiave = hashlib.sha256(json.dumps([*fingerprint, digest]).encode()).hexdigest()
    nome = Path(upload.name or default_name).name
    path = upload_path(chiave, nome)
    if not path.exists():
        path.write_bytes(data)
    return StoredUpload(chiave, path, nome)


def request_upload_job(
    *, kind: str, stored: StoredUpload, titolo: str, user, parametri: dict[str, Any], back_url: str
) -> Job:
    """Ask for the import job of a stored upload (never run here); a failed job of the same file starts again.
    The job's parameters are `parametri` with the stored file (`file`) and the user's name for it (`nome`)."""
    parametri = {**parametri, "file": stored.path.name, "nome": stored.nome}
    job = request_job(kind=kind, chiave=stored.chiave, titolo=titolo, user=user, parametri=parametri, back_url=back_url)
    if job.stato == Job.Stato.ERRORE:
        restart(job)
        job.refresh_from_db()
    return job


def stored_file(parametri: dict[str, Any]) -> Path:
    """The stored upload of a job (JobRefused if it has gone, e.g. cleaned up before a retry)."""
    path = storage_dir() / UPLOADS / parametri["file"]
    if not path.is_file():
        raise registry.JobRefused(f"Il file «{parametri['nome']}» caricato non è più disponibile: lo carichi di nuovo.")
    return path


def refused(errors: list[str], nome: str, *, nothing_saved: str = "nessun dato salvato") -> registry.JobRefused:
    """The end of an import that saved nothing (`nothing_saved` says what): every problem (the first MAX_SHOWN),
    one a line."""
    shown = errors[:MAX_SHOWN]
    more = f"\n… e altri {len(errors) - len(shown)} problemi." if len(errors) > len(shown) else ""
    return registry.JobRefused(
        f"Importazione di «{nome}» rifiutata, {nothing_saved} ({len(errors)} problemi):\n"
        + "\n".join(f"• {e}" for e in shown)
        + more
        + "\nCorregga il file e lo carichi di nuovo."
    )
