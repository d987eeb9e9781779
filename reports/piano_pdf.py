"""The Piano di Zona PDF (seed 001 as the model): cover, Sommario with real page numbers, every chapter.

`build_piano_pdf(piano)` renders `reports/pdf/piano.html` with the context of `reports.piano_context` through
the shared `render_pdf` (PDF/UA-1, local resources only). `piano_pdf_spec(piano)` wraps it for
`reports.generation.serve_report` (download button) and for `manage.py piano_pdf`: both produce the same file,
cached by the fingerprint of the plan's data.
"""

from __future__ import annotations

from planning.models import PianoDiZona

from .generation import ReportSpec
from .pdf import render_pdf
from .piano_context import piano_document, piano_fingerprint

PDF_CONTENT_TYPE = "application/pdf"


def build_piano_pdf(piano: PianoDiZona) -> bytes:
    context = piano_document(piano)
    return render_pdf(
        "reports/pdf/piano.html",
        context,
        title=piano.titolo,
        author=piano.ambito.ente_capofila or piano.ambito.nome,
    )


def piano_filename(piano: PianoDiZona, extension: str) -> str:
    return f"piano-di-zona-{piano.ambito.slug}-{piano.periodo}.{extension}"


def piano_pdf_spec(piano: PianoDiZona, back_url: str = "") -> ReportSpec:
    return ReportSpec(
        kind="piano-di-zona-pdf",
        title=f"{piano.titolo} (PDF)",
        filename=piano_filename(piano, "pdf"),
        content_type=PDF_CONTENT_TYPE,
        fingerprint={"piano": piano.pk, "dati": piano_fingerprint(piano)},
        build=lambda: build_piano_pdf(piano),
        back_url=back_url or piano.get_absolute_url(),
    )
