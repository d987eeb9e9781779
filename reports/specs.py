"""Every document the portal generates, in one table, and the one factory of their specs.

`report_spec(document, fmt, obj, back_url=..., **options)` gives the `ReportSpec` that `reports.generation` serves
(cached by the fingerprint of the data; its `parametri` let the worker make it again, reports.jobs): the download
buttons (`reports.views`) and the management commands ask for it here, so a spec is built in one place only.
`DOCUMENTS` maps (document, format) to its kind (the cache's namespace, a kind of job), content type, title, file
name, where the progress page goes back to, and `prepare(obj, **options)`, which returns the fingerprint of the data
and the function that builds the bytes. The fingerprints are made of data versions (core.versions), not of the
data: a cached document is found in a handful of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify

from core.exports import XLSX_CONTENT_TYPE
from planning.models import PianoDiZona, PianoPerformance
from territory.models import Ambito, Regione

from . import comparison_report, monitoring_report, performance_report
from .generation import ReportSpec
from .piano import pdf as piano_pdf
from .piano.fingerprint import piano_fingerprint
from .piano.xlsx import workbook as piano_xlsx

PDF_CONTENT_TYPE = "application/pdf"
CONTENT_TYPES = {"pdf": PDF_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}

Prepared = tuple[object, Callable[[], bytes]]  # (fingerprint, build)


@dataclass(frozen=True)
class Document:
    """One document in one format."""

    kind: str
    title: Callable[[Any], str]
    filename: Callable[[Any], str]
    prepare: Callable[..., Prepared]
    back_url: Callable[[Any], str] = lambda obj: ""


def _piano_filename(piano: PianoDiZona, extension: str) -> str:
    return f"piano-di-zona-{piano.ambito.slug}-{piano.periodo}.{extension}"


def _piano_data(piano: PianoDiZona) -> dict:
    return {"piano": piano.pk, "dati": piano_fingerprint(piano)}


def _piano(fmt: str, label: str, build: Callable[[PianoDiZona], bytes]) -> Document:
    """The Piano di Zona as a document in `fmt`, written by `build(piano)`."""
    return Document(
        kind=f"piano-di-zona-{fmt}",
        title=lambda piano: f"{piano.titolo} ({label})",
        filename=lambda piano: _piano_filename(piano, fmt),
        prepare=lambda piano: (_piano_data(piano), lambda: build(piano)),
        back_url=lambda piano: piano.get_absolute_url(),
    )


def _performance(build: Callable) -> Callable[[PianoPerformance], Prepared]:
    def prepare(piano: PianoPerformance) -> Prepared:
        return performance_report.performance_fingerprint(piano), lambda: build(
            piano, performance_report.performance_rows(piano)
        )

    return prepare


def _monitoring(ambito: Ambito, *, comuni, lettore: list | None = None) -> Prepared:
    fingerprint = monitoring_report.monitoring_fingerprint(ambito, comuni, lettore)
    return fingerprint, lambda: monitoring_report.monitoring_pdf(ambito, comuni, monitoring_report.active_templates())


def _comparison(ambito: Ambito, *, comuni, modello, lettore: list | None = None) -> Prepared:
    fingerprint = comparison_report.comparison_fingerprint(ambito, comuni, modello, lettore)
    return fingerprint, lambda: comparison_report.comparison_pdf(ambito, comuni, modello)


def _regione_comparison(regione: Regione, *, modello) -> Prepared:
    fingerprint = comparison_report.regione_comparison_fingerprint(regione, modello)
    return fingerprint, lambda: comparison_report.regione_comparison_pdf(regione, modello)


DOCUMENTS: dict[tuple[str, str], Document] = {
    # the builders are looked up when called (the tests replace them)
    ("piano", "pdf"): _piano("pdf", "PDF", lambda piano: piano_pdf.build_piano_pdf(piano)),
    ("piano", "xlsx"): _piano("xlsx", "Excel", lambda piano: piano_xlsx.build_piano_xlsx(piano)),
    ("performance", "pdf"): Document(
        kind="performance-pdf",
        title=lambda piano: f"Report del piano della performance — {piano.titolo}",
        filename=lambda piano: f"{piano.slug}.pdf",
        prepare=_performance(lambda piano, rows: performance_report.performance_pdf(piano, rows)),
    ),
    ("performance", "xlsx"): Document(
        kind="performance-xlsx",
        title=lambda piano: f"Piano della performance (Excel) — {piano.titolo}",
        filename=lambda piano: f"{piano.slug}.xlsx",
        prepare=_performance(lambda piano, rows: performance_report.performance_xlsx(piano, rows)),
    ),
    ("monitoraggio", "pdf"): Document(
        kind="monitoraggio-ambito",
        title=lambda ambito: f"Report di monitoraggio — {ambito.nome}",
        filename=lambda ambito: f"monitoraggio-{ambito.slug}.pdf",
        prepare=_monitoring,
    ),
    ("confronto", "pdf"): Document(
        kind="confronto-indicatori",
        title=lambda ambito: f"Allegato: confronto degli indicatori — {ambito.nome}",
        filename=lambda ambito: f"confronto-indicatori-{ambito.slug}.pdf",
        prepare=_comparison,
    ),
    ("confronto-regione", "pdf"): Document(
        kind="confronto-indicatori-regione",
        title=lambda regione: f"Allegato: confronto degli indicatori — Regione {regione.nome}",
        filename=lambda regione: f"confronto-indicatori-regione-{slugify(regione.nome)}.pdf",
        prepare=_regione_comparison,
    ),
}


def report_spec(document: str, fmt: str, obj, *, back_url: str = "", **options) -> ReportSpec:
    """The spec of `document` («piano», «performance», «monitoraggio», «confronto», «confronto-regione») in format
    `fmt` («pdf», «xlsx») for `obj` (the plan, the performance plan, the Ambito, the Regione); `options` go to its
    `prepare` (the Comuni of a monitoring report or of a comparison, the template `modello` of a comparison, and
    `lettore`: what decides which of them the user reads, `accounts.scoping.scope_key`). KeyError for a document or
    format that does not exist."""
    doc = DOCUMENTS[(document, fmt)]
    fingerprint, build = doc.prepare(obj, **options)
    parametri: dict[str, Any] = {"document": document, "fmt": fmt, "pk": obj.pk, "back_url": back_url}
    if "modello" in options:  # the template of a comparison of indicators
        parametri["modello"] = options["modello"].pk
    more_parametri = None
    if "comuni" in options:  # the Comuni of a monitoring report (scoped by the request): the worker reads the same
        comuni = options["comuni"]
        more_parametri = lambda: {"comuni": list(comuni.values_list("pk", flat=True))}  # noqa: E731
    title, filename = doc.title(obj), doc.filename(obj)
    if "modello" in options:  # one document per template: its code in the title and in the file name
        codice = options["modello"].codice
        stem, dot, extension = filename.rpartition(".")
        title, filename = f"{title} ({codice})", f"{stem}-{codice.lower()}{dot}{extension}"
    return ReportSpec(
        kind=doc.kind,
        title=title,
        filename=filename,
        content_type=CONTENT_TYPES[fmt],
        fingerprint=fingerprint,
        build=build,
        back_url=back_url or doc.back_url(obj),
        parametri=parametri,
        more_parametri=more_parametri,
    )
