"""«Importa la popolazione» of an Ambito as a job: the ISTAT file of a region (tens of thousands of rows) takes
seconds to read and write, so the request only stores the upload (MEDIA_ROOT/jobs/caricamenti/) and asks for the
job; the worker imports it with territory.services.popolazione_import (read and checked in steps 1-2 of 3, written
in one transaction in step 3: on any error nothing is saved and the job ends «errore» with every problem, naming
line and column). Only the Comuni of the Ambito the user manages are imported. The key of the job is the upload's
fingerprint: Ambito, user, year and SHA-256 of the file (two different uploads are two jobs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext, ngettext

from accounts.scoping import MANAGE, manages_with_comuni
from jobs import registry
from jobs.models import Job
from jobs.uploads import request_upload_job, store_upload, stored_file
from territory.istat import IstatFileError
from territory.models import Ambito
from territory.services import popolazione_import

POPOLAZIONE = "popolazione-importazione"


def request_popolazione_import(
    ambito: Ambito, codes: set[str], upload: UploadedFile, anno: int, user, back_url: str
) -> Job:
    """Store the upload and ask for its import job (never run here); a failed job of the same file starts again."""
    stored = store_upload(upload, [POPOLAZIONE, ambito.pk, user.pk, anno], default_name="popolazione.csv")
    parametri: dict[str, Any] = {"ambito": ambito.pk, "anno": anno, "comuni": sorted(codes)}
    titolo = f"Importazione popolazione {anno} «{stored.nome}» — {ambito.nome}"
    return request_upload_job(
        kind=POPOLAZIONE, stored=stored, titolo=titolo, user=user, parametri=parametri, back_url=back_url
    )


def result_text(anno: int, created: int, updated: int, skipped: int) -> str:
    """The Italian summary of an import (shown on the progress page)."""
    text = gettext("Popolazione %(anno)s importata: %(nuovi)s, %(aggiornati)s.") % {
        "anno": anno,
        "nuovi": ngettext("%(n)s Comune nuovo", "%(n)s Comuni nuovi", created) % {"n": created},
        "aggiornati": ngettext("%(n)s aggiornato", "%(n)s aggiornati", updated) % {"n": updated},
    }
    if skipped:
        text += " " + ngettext(
            "%(n)s Comune del file non appartiene all'Ambito e non è stato importato.",
            "%(n)s Comuni del file non appartengono all'Ambito e non sono stati importati.",
            skipped,
        ) % {"n": skipped}
    return text


def run_popolazione_import(parametri: dict[str, Any], out: Path, progress: registry.Progress) -> str:
    nome, anno = parametri["nome"], parametri["anno"]
    path = stored_file(parametri)
    try:
        result = popolazione_import(
            data=path.read_bytes(), anno=anno, restrict_to=set(parametri["comuni"]), progress=progress
        )
    except IstatFileError as exc:
        raise registry.JobRefused(
            f"Il file «{nome}» non è stato importato: nessun dato è stato salvato.\n"
            + "\n".join(f"• {e}" for e in exc.errors)
            + "\nCorregga il file e lo carichi di nuovo."
        ) from exc
    return result_text(anno, result.created, result.updated, len(result.skipped))


def manages_popolazione(parametri: dict[str, Any], user) -> bool:
    """The requester still manages the Ambito and every Comune the import was asked for (a retry writes them)."""
    return manages_with_comuni(user, parametri["ambito"], parametri["comuni"], MANAGE)


def register_kinds() -> None:
    registry.register(
        POPOLAZIONE,
        run=run_popolazione_import,
        allowed=manages_popolazione,
        label="Importazione della popolazione",
        produces_file=False,
    )
