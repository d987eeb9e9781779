"""The documents as kinds of job (jobs.registry), registered by ReportsConfig.ready: the worker makes the spec again
from the job's `parametri` (document, format, pk of the object, the Comuni of a monitoring report or of a comparison,
the template of a comparison) and writes the bytes of its build. A requester reaches the job while it still sees
the object and those Comuni (`reads_document`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from accounts.scoping import VIEW, can_all, regioni_ids
from jobs import registry
from monitoring.models import ModelloScheda
from planning.models import PianoPerformance
from territory.models import Ambito, Comune, Regione

from .piano.document import piano_queryset
from .specs import DOCUMENTS, report_spec

OBJECTS = {
    "piano": piano_queryset,
    "performance": lambda: PianoPerformance.objects.select_related("ambito"),
    "monitoraggio": lambda: Ambito.objects.select_related("parent"),
    "confronto": lambda: Ambito.objects.select_related("parent"),
    "confronto-regione": lambda: Regione.objects.all(),
}


def spec_from_parametri(parametri: dict[str, Any]):
    """The spec the request asked for, made again in the worker."""
    obj = OBJECTS[parametri["document"]]().get(pk=parametri["pk"])
    options: dict[str, Any] = {}
    if "comuni" in parametri:
        options["comuni"] = Comune.objects.filter(pk__in=parametri["comuni"])
    if "modello" in parametri:
        options["modello"] = ModelloScheda.objects.get(pk=parametri["modello"])
    return report_spec(parametri["document"], parametri["fmt"], obj, back_url=parametri.get("back_url", ""), **options)


def _build(build: Callable[..., bytes], progress: registry.Progress) -> bytes:
    """Call the spec's build, giving it the progress callback when it takes one (`build(progress=...)`)."""
    if "progress" in inspect.signature(build).parameters:
        return build(progress=progress)
    return build()


def run_document(parametri: dict[str, Any], out: Path, progress: registry.Progress) -> None:
    progress(1, 3, "Lettura dei dati")
    spec = spec_from_parametri(parametri)
    progress(2, 3, "Composizione del documento")
    data = _build(spec.build, progress)
    progress(3, 3, "Scrittura del file")
    out.write_bytes(data)


def reads_document(parametri: dict[str, Any], user) -> bool:
    """The requester still sees the document's object (a plan, an Ambito; a Regione it follows) and its Comuni."""
    objects = OBJECTS[parametri["document"]]()
    if objects.model is Regione:
        ids = regioni_ids(user)
        seen = ids is None or parametri["pk"] in ids
    else:
        seen = can_all(user, VIEW, objects, [parametri["pk"]])
    return seen and ("comuni" not in parametri or can_all(user, VIEW, Comune.objects.all(), parametri["comuni"]))


def register_documents() -> None:
    for (document, fmt), doc in DOCUMENTS.items():
        registry.register(doc.kind, run=run_document, allowed=reads_document, label=f"{document} ({fmt})")
