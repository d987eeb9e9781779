"""The data version of each Piano di Zona (`PianoDiZona.versione_dati`, see core.versions), and planning's rows
in the versions of the Ambiti (territory.versions).

- The content of a plan (chapters, areas, objectives, interventions and their cards, actions, indicators and
  targets, resources, projects, PNRR lines, associated services, governance, variations, evaluation and
  continuity, and the quarterly snapshots registered by monitoring) bumps the plan; a plan whose evaluation
  reads another plan (`Valutazione.piano_valutato`) is bumped with it.
- Ambito-level data (network actors, spending tables, facts and printed values, the performance plan) bumps the
  Ambito and its parent.
- Catalogues (funds, LEPS, macro-areas, key points, spending items, budget programmes, intervention card
  templates) are read by every document: a change bumps every Ambito, and so every cached document.
Writes that send no signal (bulk_create, QuerySet.update) call ``bump_piani`` themselves.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.db.models import Q

from core import versions
from territory.versions import track_ambito, track_catalogue

from .models import (
    Area,
    AttoreRete,
    Azione,
    AzioneValutata,
    CampoModello,
    Capitolo,
    Continuita,
    Fondo,
    Indicatore,
    IndicatorePerformance,
    Intervento,
    Leps,
    LineaPNRR,
    MacroArea,
    ModelloIntervento,
    Obiettivo,
    ObiettivoOperativo,
    ObiettivoStrategico,
    OrganismoGovernance,
    PianoDiZona,
    PianoPerformance,
    Progetto,
    ProgrammaBilancio,
    PuntoChiave,
    Risorsa,
    SchedaValutazione,
    ServizioAssociato,
    SpesaSociale,
    TabellaSpesa,
    TargetIndicatore,
    ValoreCampo,
    ValorePuntoChiave,
    ValoreStampato,
    Valutazione,
    Variazione,
    VocePNRR,
    VoceSpesa,
)

PLAN_PATHS = {
    Variazione: "piano",
    Capitolo: "piano",
    Area: "piano",
    Obiettivo: "piano",
    Progetto: "piano",
    LineaPNRR: "piano",
    VocePNRR: "linea__piano",
    ServizioAssociato: "piano",
    OrganismoGovernance: "piano",
    Intervento: "piano",
    ValoreCampo: "intervento__piano",
    ValorePuntoChiave: "valore__intervento__piano",
    Azione: "intervento__piano",
    Indicatore: "intervento__piano",
    TargetIndicatore: "indicatore__intervento__piano",
    Risorsa: "intervento__piano",
    Valutazione: "piano",
    SchedaValutazione: "valutazione__piano",
    AzioneValutata: "scheda__valutazione__piano",
    Continuita: "piano",
}
AMBITO_PATHS = {
    AttoreRete: "ambito",
    TabellaSpesa: "ambito",
    SpesaSociale: "tabella__ambito",
    ValoreStampato: "ambito",
    PianoPerformance: "ambito",
    ObiettivoStrategico: "piano__ambito",
    ObiettivoOperativo: "strategico__piano__ambito",
    IndicatorePerformance: "obiettivo__strategico__piano__ambito",
}
CATALOGUES = (Fondo, MacroArea, PuntoChiave, Leps, VoceSpesa, ProgrammaBilancio, ModelloIntervento, CampoModello)


def bump_piani(ids: Any, key: Hashable = None) -> None:
    """Bump the plans `ids` (a list or a values() queryset; None: every plan) and the plans that evaluate them."""
    if ids is None:
        versions.bump(PianoDiZona.objects.all(), ("piani", "*"))
        return
    if isinstance(ids, list | tuple | set):
        ids = [i for i in ids if i is not None]
        if not ids:
            return
        key = key or tuple(sorted(ids))
    key = key if key is not None else object()  # a query without a key: never taken as already done
    evaluating = Valutazione.objects.filter(piano_valutato__in=ids).values("piano")
    versions.bump(PianoDiZona.objects.filter(Q(pk__in=ids) | Q(pk__in=evaluating)), ("piani", key))


def track_piano(model, path: str) -> None:
    """Rows of `model` belong to the plan reached by `path` (e.g. "rilevazione__piano")."""
    versions.track(model, path, bump_piani)


def _piano_saved(piano: PianoDiZona, created: bool) -> None:
    if not created:
        bump_piani(Valutazione.objects.filter(piano_valutato=piano.pk).values("piano"), ("valutato", piano.pk))


def register() -> None:
    versions.track_self(PianoDiZona, _piano_saved)
    for model, path in PLAN_PATHS.items():
        track_piano(model, path)
    for model, path in AMBITO_PATHS.items():
        track_ambito(model, path)
    for model in CATALOGUES:
        track_catalogue(model)
