"""The fingerprint of the plan's documents: the cache key of the generated PDF and workbook.

`piano_fingerprint(piano)` hashes every row the documents read (plan, chapters, cards, catalogues, population,
network sections, evaluation, spending, snapshots), the latest history date and the layout (`layout_hash`: the
templates and styles, and the source of every module that builds the documents): any edit, import or admin change,
and any new version of the code, gives a new fingerprint, so a cached file is never stale.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from core import charts as core_charts
from core import pdf as core_pdf
from monitoring.snapshots import charts as snapshot_charts
from monitoring.snapshots import selectors as snapshot_selectors
from monitoring.snapshots.models import Rilevazione, StatoAzioneRilevato, ValoreIndicatoreRilevato
from planning.contesto import charts as contesto_charts
from planning.contesto import report as contesto_report
from planning.contesto import selectors as contesto_selectors
from planning.models import (
    AttoreRete,
    Azione,
    AzioneValutata,
    CampoModello,
    Continuita,
    Fondo,
    Indicatore,
    Intervento,
    Leps,
    LineaPNRR,
    MacroArea,
    ModelloIntervento,
    PianoDiZona,
    PuntoChiave,
    Risorsa,
    SchedaValutazione,
    SpesaSociale,
    TabellaSpesa,
    TargetIndicatore,
    ValoreCampo,
    ValorePuntoChiave,
    ValoreStampato,
    Valutazione,
    VocePNRR,
    VoceSpesa,
)
from planning.piano import cards as piano_cards
from planning.piano import selectors as piano_selectors
from planning.piano.selectors import ultima_modifica
from planning.valutazione import selectors as valutazione_selectors
from territory.models import Popolazione
from territory.selectors import ambito_comuni

from .. import ambito_charts
from .document import TEMPLATE_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
# Modules outside this package whose code shapes the documents (drawing, rendering, the read API they use).
READ_AND_DRAW = (
    ambito_charts, core_charts, core_pdf, contesto_charts, snapshot_charts, piano_cards, piano_selectors,
    contesto_report, contesto_selectors, valutazione_selectors, snapshot_selectors,
)  # fmt: skip


def _rows(qs: QuerySet) -> list:
    return list(qs.order_by("pk").values_list())


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


def external_fingerprint(piano: PianoDiZona) -> list:
    """Rows of the evaluation, spending and quarterly monitoring data read by the chapters «esiti», «contesto» and
    «monitoraggio» and by the Spesa sheet."""
    ambiti = piano.ambito.with_sub_ambiti_ids()
    spese = SpesaSociale.objects.filter(tabella__ambito_id__in=ambiti)
    return [
        _rows(Valutazione.objects.filter(piano=piano)),
        _rows(SchedaValutazione.objects.filter(valutazione__piano=piano)),
        _rows(AzioneValutata.objects.filter(scheda__valutazione__piano=piano)),
        _rows(Continuita.objects.filter(piano=piano)),
        _rows(TabellaSpesa.objects.filter(ambito_id__in=ambiti)),
        _rows(spese),
        _rows(VoceSpesa.objects.filter(pk__in=spese.values("voce"))),
        _rows(ValoreStampato.objects.filter(ambito_id__in=ambiti)),
        _rows(Rilevazione.objects.filter(piano=piano)),
        _rows(StatoAzioneRilevato.objects.filter(rilevazione__piano=piano)),
        _rows(ValoreIndicatoreRilevato.objects.filter(rilevazione__piano=piano)),
    ]


def _plan_rows(piano: PianoDiZona) -> list:
    """Rows of the plan itself: chapters, structure, cards and their answers, network and governance."""
    interventi = Intervento.objects.filter(piano=piano)
    valori = ValoreCampo.objects.filter(intervento__piano=piano)
    modelli = ModelloIntervento.objects.filter(pk__in=interventi.values("modello"))
    return [
        _rows(PianoDiZona.objects.filter(pk=piano.pk)),
        _rows(piano.capitoli.all()),
        _rows(piano.aree.all()),
        _rows(piano.obiettivi.all()),
        _rows(interventi),
        [_rows(m.through.objects.filter(intervento__piano=piano)) for m in (Intervento.fondi, Intervento.leps)],
        _rows(Intervento.partner.through.objects.filter(intervento__piano=piano)),
        _rows(valori),
        _rows(ValoreCampo.macro_aree.through.objects.filter(valorecampo__intervento__piano=piano)),
        _rows(ValorePuntoChiave.objects.filter(valore__intervento__piano=piano)),
        _rows(Azione.objects.filter(intervento__piano=piano)),
        _rows(Indicatore.objects.filter(intervento__piano=piano)),
        _rows(TargetIndicatore.objects.filter(indicatore__intervento__piano=piano)),
        _rows(Risorsa.objects.filter(intervento__piano=piano)),
        _rows(modelli),
        _rows(CampoModello.objects.filter(modello__in=modelli)),
        _rows(PuntoChiave.objects.filter(pk__in=ValorePuntoChiave.objects.filter(valore__in=valori).values("punto"))),
        _rows(piano.progetti.all()),
        _rows(LineaPNRR.objects.filter(piano=piano)),
        _rows(VocePNRR.objects.filter(linea__piano=piano)),
        _rows(piano.servizi_associati.all()),
        _rows(piano.governance.all()),
    ]


def piano_fingerprint(piano: PianoDiZona) -> str:
    """A hash of every row the plan's PDF and workbook read; it changes with any edit of those data."""
    comuni = ambito_comuni(piano.ambito)
    data = [
        layout_hash(),
        _rows(type(piano.ambito).objects.filter(pk__in=[piano.ambito_id, piano.ambito.parent_id or 0])),
        list(comuni.order_by("pk").values_list("pk", "nome", "ambito_id")),
        _rows(Popolazione.objects.filter(comune__in=comuni.values("pk"))),
        _plan_rows(piano),
        _rows(Fondo.objects.all()),
        _rows(Leps.objects.all()),
        _rows(MacroArea.objects.all()),
        _rows(AttoreRete.objects.filter(ambito=piano.ambito)),
        ultima_modifica(piano),
        external_fingerprint(piano),
    ]
    return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()
