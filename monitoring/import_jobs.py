"""«Importa schede»: the web import of many schede of an Ambito (the files of ``import_schede``) as a job.

The request only stores the uploaded file (MEDIA_ROOT/jobs/caricamenti/) and asks for the job; the worker
(`run_import`) reads the file, checks every scheda without writing (step n of m, outside any transaction, so
that the progress page sees each step), then writes them all in one transaction with the versions it checked
(optimistic lock): on any error nothing is saved and the job ends «errore» with the list of the problems, each
naming the file, the scheda (position in a JSON list, sheet and cell in an .xlsx) and the Comune.

Scope: only the Comuni of the Ambito that the user may edit (`parametri["comuni"]`, taken by the request from
accounts.scoping); a scheda of any other Comune is an error naming it. The key of the job is the fingerprint of
the upload: Ambito, user and SHA-256 of the file's content (two different uploads are two jobs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from accounts.scoping import EDIT, manages_with_comuni
from jobs import registry
from jobs.models import Job
from jobs.uploads import refused, request_upload_job, store_upload, stored_file
from territory.models import Ambito, Comune

from .exchange import ImportSchedeError, check_import, read_import_file, schede_import

IMPORT = "schede-importazione"
MAX_PROGRESS_UPDATES = 100  # at most this many updates of the job row while checking (one per scheda below it)


def request_import(ambito: Ambito, comuni: QuerySet[Comune], upload: UploadedFile, user, back_url: str) -> Job:
    """Store the upload and ask for its import job (never run here); a failed job of the same file starts again."""
    stored = store_upload(upload, [IMPORT, ambito.pk, user.pk], default_name="schede")
    parametri: dict[str, Any] = {
        "ambito": ambito.pk,
        "utente": user.pk,
        "comuni": sorted(comuni.order_by().values_list("pk", flat=True)),
    }
    titolo = f"Importazione schede «{stored.nome}» — {ambito.nome}"
    return request_upload_job(
        kind=IMPORT, stored=stored, titolo=titolo, user=user, parametri=parametri, back_url=back_url
    )


def run_import(parametri: dict[str, Any], out: Path, progress: registry.Progress) -> str:
    """Read, check (step n of m) and write everything in one transaction; JobRefused lists every problem."""
    nome = parametri["nome"]
    path = stored_file(parametri)
    user = get_user_model().objects.get(pk=parametri["utente"])
    allowed = set(parametri["comuni"])
    try:  # the stored file is named by the job's key: the messages name the file the user uploaded
        items = read_import_file(path)
    except ImportSchedeError as exc:
        raise refused([e.replace(path.name, nome) for e in exc.errors], nome) from exc
    for item in items:
        item.source = item.source.replace(path.name, nome)
    passi = len(items) + 1
    every = max(1, len(items) // MAX_PROGRESS_UPDATES)

    def checked(n: int, label: str) -> None:
        if n % every == 0 or n == len(items):
            progress(n, passi, f"Controllo della scheda {n} di {len(items)} ({label})")

    errors, versions = check_import(items, allowed_comuni=allowed, progress=checked)
    if errors:
        raise refused(errors, nome)
    progress(passi, passi, f"Salvataggio di {len(items)} schede in un'unica transazione")
    try:
        outcomes = schede_import(items=items, user=user, allowed_comuni=allowed, expected_versions=versions)
    except ImportSchedeError as exc:
        raise refused(exc.errors, nome) from exc
    changed = sum(1 for o in outcomes if o.changes)
    cells = sum(len(o.changes) for o in outcomes)
    created = sum(1 for o in outcomes if o.created)
    return f"{len(outcomes)} schede importate: {changed} modificate ({cells} celle), {created} create"


def manages_import(parametri: dict[str, Any], user) -> bool:
    """The requester still manages the Ambito and may still fill the schede of every Comune of the job."""
    return manages_with_comuni(user, parametri["ambito"], parametri["comuni"], EDIT)


def register_kinds() -> None:
    registry.register(
        IMPORT, run=run_import, allowed=manages_import, label="Importazione di schede", produces_file=False
    )
