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
from django.db.models import Model, QuerySet

from core import charts as core_charts
from core import pdf as core_pdf
from monitoring.snapshots import charts as snapshot_charts
from monitoring.snapshots import selectors as snapshot_selectors
from monitoring.snapshots.models import Rilevazione, StatoAzioneRilevato, ValoreIndicatoreRilevato
from planning import models as planning_models
from planning.contesto import charts as contesto_charts
from planning.contesto import report as contesto_report
from planning.contesto import selectors as contesto_selectors
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


def _rows_by_plan(piano: planning_models.PianoDiZona, *sources: tuple[type[Model], str]) -> list:
    """The rows of each model of `sources` whose lookup (e.g. "intervento__piano") names the plan."""
    return [_rows(model._default_manager.filter(**{lookup: piano})) for model, lookup in sources]


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


def external_fingerprint(piano: planning_models.PianoDiZona) -> list:
    """Rows of the evaluation, spending and quarterly monitoring data read by the chapters «esiti», «contesto» and
    «monitoraggio» and by the Spesa sheet."""
    ambiti = piano.ambito.with_sub_ambiti_ids()
    spese = planning_models.SpesaSociale.objects.filter(tabella__ambito_id__in=ambiti)
    return [
        *_rows_by_plan(
            piano, (planning_models.Valutazione, "piano"), (planning_models.SchedaValutazione, "valutazione__piano"),
            (planning_models.AzioneValutata, "scheda__valutazione__piano"), (planning_models.Continuita, "piano"),
        ),
        _rows(planning_models.TabellaSpesa.objects.filter(ambito_id__in=ambiti)),
        _rows(spese),
        _rows(planning_models.VoceSpesa.objects.filter(pk__in=spese.values("voce"))),
        _rows(planning_models.ValoreStampato.objects.filter(ambito_id__in=ambiti)),
        *_rows_by_plan(
            piano, (Rilevazione, "piano"), (StatoAzioneRilevato, "rilevazione__piano"),
            (ValoreIndicatoreRilevato, "rilevazione__piano"),
        ),
    ]  # fmt: skip


def _plan_rows(piano: planning_models.PianoDiZona) -> list:
    """Rows of the plan itself: chapters, structure, cards and their answers, network and governance."""
    interventi = planning_models.Intervento.objects.filter(piano=piano)
    valori = planning_models.ValoreCampo.objects.filter(intervento__piano=piano)
    modelli = planning_models.ModelloIntervento.objects.filter(pk__in=interventi.values("modello"))
    return [
        _rows(planning_models.PianoDiZona.objects.filter(pk=piano.pk)),
        _rows(piano.capitoli.all()),
        _rows(piano.aree.all()),
        _rows(piano.obiettivi.all()),
        _rows(interventi),
        [
            _rows(m.through.objects.filter(intervento__piano=piano))
            for m in (planning_models.Intervento.fondi, planning_models.Intervento.leps)
        ],
        _rows(planning_models.Intervento.partner.through.objects.filter(intervento__piano=piano)),
        _rows(valori),
        _rows(planning_models.ValoreCampo.macro_aree.through.objects.filter(valorecampo__intervento__piano=piano)),
        *_rows_by_plan(
            piano,
            (planning_models.ValorePuntoChiave, "valore__intervento__piano"),
            (planning_models.Azione, "intervento__piano"),
            (planning_models.Indicatore, "intervento__piano"),
            (planning_models.TargetIndicatore, "indicatore__intervento__piano"),
            (planning_models.Risorsa, "intervento__piano"),
        ),
        _rows(modelli),
        _rows(planning_models.CampoModello.objects.filter(modello__in=modelli)),
        _rows(
            planning_models.PuntoChiave.objects.filter(
                pk__in=planning_models.ValorePuntoChiave.objects.filter(valore__in=valori).values("punto")
            )
        ),
        _rows(piano.progetti.all()),
        *_rows_by_plan(piano, (planning_models.LineaPNRR, "piano"), (planning_models.VocePNRR, "linea__piano")),
        _rows(piano.servizi_associati.all()),
        _rows(piano.governance.all()),
    ]


def piano_fingerprint(piano: planning_models.PianoDiZona) -> str:
    """A hash of every row the plan's PDF and workbook read; it changes with any edit of those data."""
    comuni = ambito_comuni(piano.ambito)
    data = [
        layout_hash(),
        _rows(type(piano.ambito).objects.filter(pk__in=[piano.ambito_id, piano.ambito.parent_id or 0])),
        list(comuni.order_by("pk").values_list("pk", "nome", "ambito_id")),
        _rows(Popolazione.objects.filter(comune__in=comuni.values("pk"))),
        _plan_rows(piano),
        _rows(planning_models.Fondo.objects.all()),
        _rows(planning_models.Leps.objects.all()),
        _rows(planning_models.MacroArea.objects.all()),
        _rows(planning_models.AttoreRete.objects.filter(ambito=piano.ambito)),
        ultima_modifica(piano),
        external_fingerprint(piano),
    ]
    return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()
