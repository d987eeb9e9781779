"""The fingerprint of the plan's documents: the cache key of the generated PDF and workbook.

`piano_fingerprint(piano)` is made of the data versions the documents read, with no query: the plan's
(`PianoDiZona.versione_dati`: its chapters, cards, network, evaluation, snapshots…), its Ambito's and the parent
Ambito's (`Ambito.versione_dati`: population, spending, network actors, schede, catalogues…), bumped in the
transaction of every change (core.versions, planning.versions, territory.versions, monitoring.versions), and
the layout (`layout_hash`: the templates and styles, and the source of every module that builds the documents),
and the day (the «Quadro economico» lists the quotas at risk at the document's date): any edit, import or admin
change, any new version of the code and every new day gives a new fingerprint, so a cached file is never stale.
The plan must come with `ambito` and `ambito__parent` (`piano_queryset()`), as loaded by the view.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from core import charts as core_charts
from core import pdf as core_pdf
from monitoring.snapshots import charts as snapshot_charts
from monitoring.snapshots import risorse as snapshot_risorse
from monitoring.snapshots import selectors as snapshot_selectors
from planning.bilancio import selectors as bilancio_selectors
from planning.contesto import charts as contesto_charts
from planning.contesto import report as contesto_report
from planning.contesto import selectors as contesto_selectors
from planning.models import PianoDiZona
from planning.piano import cards as piano_cards
from planning.piano import selectors as piano_selectors
from planning.valutazione import selectors as valutazione_selectors
from territory.versions import ambito_versions

from .. import ambito_charts
from .document import TEMPLATE_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
# Modules outside this package whose code shapes the documents (drawing, rendering, the read API they use).
READ_AND_DRAW = (
    ambito_charts, core_charts, core_pdf, contesto_charts, snapshot_charts, piano_cards, piano_selectors,
    contesto_report, contesto_selectors, valutazione_selectors, snapshot_selectors, bilancio_selectors,
    snapshot_risorse,
)  # fmt: skip


def _layout_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    templates = base / "templates" / "reports"
    files = sorted({*(templates.parent / TEMPLATE_DIR).glob("*.html"), templates / "pdf" / "base.html"})
    files += [templates / "pdf" / "piano.html"]
    files += [base / "static" / "css" / name for name in ("pdf.css", "piano.css")]
    return files


def _code_files() -> list[Path]:
    """Every module of this package (found in its directory) and the modules of `READ_AND_DRAW`."""
    return sorted(PACKAGE_DIR.rglob("*.py")) + [Path(m.__file__) for m in READ_AND_DRAW]


@cache
def layout_hash() -> str:
    """Hash of the templates, styles and code of the documents, so a new layout never serves an old cached file."""
    digest = hashlib.sha256()
    for path in _layout_files():
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    for path in _code_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def piano_fingerprint(piano: PianoDiZona, oggi: datetime.date | None = None) -> str:
    """A hash of the versions of every datum the plan's PDF and workbook read, of their layout and code, and of the
    day (`oggi`, default today): the «Quadro economico» lists the quotas at risk at the document's date."""
    giorno = (oggi or timezone.localdate()).isoformat()
    data = [layout_hash(), piano.pk, piano.versione_dati, ambito_versions(piano.ambito), giorno]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()
