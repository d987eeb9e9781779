"""The Piano di Zona PDF (seed 001 as the model): cover, Sommario with real page numbers, every chapter and the
closing approval block.

`build_piano_pdf(piano)` renders `reports/pdf/piano.html` with the context of `reports.piano.document` (plus the
approval block and the Ambito's logo, `piano_pdf_context`) through the shared `render_pdf` (PDF/UA-1, local
resources only). The download button and `manage.py piano_pdf` both get it through `reports.specs.report_spec`:
the same file, cached by the fingerprint of the plan's data (which holds every field of the plan and of its Ambito,
so the approval data and the logo are in it).

The approval block (cover and last page) prints the act approving the plan and the two signatures (President of
the Assemblea dei Sindaci, Responsabile of the Ufficio di Piano) once the act is recorded on the plan (act and
date); until then it reads «In approvazione», without signatures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.storage import default_storage

from core.pdf import media_url, render_pdf
from planning.models import STATI_BLOCCATI, PianoDiZona

from .document import piano_document

IN_APPROVAZIONE = "In approvazione"


@dataclass
class Firma:
    ruolo: str
    nome: str


def approvazione_context(piano: PianoDiZona) -> dict:
    """The approval state of the plan for the cover and the closing block: approved once the act is recorded."""
    registrato = piano.atto_registrato
    if registrato:
        stato = piano.get_stato_display() if piano.stato in STATI_BLOCCATI else "Approvato"
    else:
        stato = IN_APPROVAZIONE
    return {
        "registrato": registrato,
        "stato": stato,
        "atto": piano.atto_approvazione,
        "data": piano.data_approvazione,
        "luogo": piano.luogo_approvazione,
        "firme": [
            Firma("Il Presidente dell'Assemblea dei Sindaci", piano.presidente_assemblea),
            Firma("Il Responsabile dell'Ufficio di Piano", piano.responsabile_ufficio_piano),
        ]
        if registrato
        else [],
    }


def logo_url(ambito) -> str:
    """The URL of the Ambito's logo for the PDF (served by the fetcher from MEDIA_ROOT), "" without one."""
    name = ambito.logo.name if ambito.logo else ""
    return media_url(name) if name and default_storage.exists(name) else ""


def piano_pdf_context(piano: PianoDiZona) -> dict:
    context = piano_document(piano)
    return {**context, "approvazione": approvazione_context(piano), "logo_url": logo_url(piano.ambito)}


def build_piano_pdf(piano: PianoDiZona) -> bytes:
    context = piano_pdf_context(piano)
    return render_pdf(
        "reports/pdf/piano.html",
        context,
        title=piano.titolo,
        author=piano.ambito.ente_capofila or piano.ambito.nome,
    )
