"""The data version of each Piano di Zona (`PianoDiZona.versione_dati`, see core.versions), and planning's rows
in the versions of the Ambiti (territory.versions).

- The content of a plan (chapters, areas, objectives, interventions and their cards, actions, indicators and
  targets, resources, projects, PNRR lines, associated services, governance, variations, evaluation and
  continuity, and the quarterly snapshots registered by monitoring) bumps the plan; a plan whose evaluation
  reads another plan (`Valutazione.piano_valutato`) is bumped with it.
- Ambito-level data (network actors, spending tables, facts and printed values, series by school year, the
  performance plan) bumps the Ambito and its parent.
- Catalogues (funds, LEPS, macro-areas, key points, spending items, budget programmes, intervention card
  templates) are read by every document: a change bumps every Ambito, and so every cached document.
Writes that send no signal (bulk_create, QuerySet.update) call ``bump_piani`` themselves.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.db.models import QuerySet

from core import versions
from territory.versions import track_ambito, track_catalogue

from . import models

PLAN_PATHS = {
    models.Variazione: "piano",
    models.Capitolo: "piano",
    models.Area: "piano",
    models.Obiettivo: "piano",
    models.Progetto: "piano",
    models.LineaPNRR: "piano",
    models.VocePNRR: "linea__piano",
    models.ServizioAssociato: "piano",
    models.OrganismoGovernance: "piano",
    models.Intervento: "piano",
    models.ValoreCampo: "intervento__piano",
    models.ValorePuntoChiave: "valore__intervento__piano",
    models.Azione: "intervento__piano",
    models.Indicatore: "intervento__piano",
    models.TargetIndicatore: "indicatore__intervento__piano",
    models.Risorsa: "intervento__piano",
    models.Valutazione: "piano",
    models.SchedaValutazione: "valutazione__piano",
    models.AzioneValutata: "scheda__valutazione__piano",
    models.Continuita: "piano",
    models.Assegnazione: "piano",
    models.RigaBilancio: "piano",
    models.Movimento: "riga__piano",
    models.RegolaQuote: "piano",
    models.QuotaComune: "piano",
    models.VersamentoComune: "quota__piano",
}
AMBITO_PATHS = {
    models.AttoreRete: "ambito",
    models.TabellaSpesa: "ambito",
    models.SpesaSociale: "tabella__ambito",
    models.ValoreStampato: "ambito",
    models.SerieScolastica: "ambito",
    models.DatoScolastico: "serie__ambito",
    models.PianoPerformance: "ambito",
    models.ObiettivoStrategico: "piano__ambito",
    models.ObiettivoOperativo: "strategico__piano__ambito",
    models.IndicatorePerformance: "obiettivo__strategico__piano__ambito",
}
CATALOGUES = (
    models.Fondo,
    models.MacroArea,
    models.PuntoChiave,
    models.Leps,
    models.VoceSpesa,
    models.ProgrammaBilancio,
    models.ModelloIntervento,
    models.CampoModello,
)


def bump_piani(ids: Any, key: Hashable = None) -> None:
    """Bump the plans `ids` (a list or a values() queryset; None: every plan) and the plans that evaluate them."""
    versions.bump_with_related(models.PianoDiZona, "piani", ids, key, _evaluating)


def _evaluating(ids: Any) -> QuerySet:
    return models.Valutazione.objects.filter(piano_valutato__in=ids).values("piano")


def track_piano(model, path: str) -> None:
    """Rows of `model` belong to the plan reached by `path` (e.g. "rilevazione__piano")."""
    versions.track(model, path, bump_piani)


def _piano_saved(piano: models.PianoDiZona, created: bool) -> None:
    if not created:
        bump_piani(models.Valutazione.objects.filter(piano_valutato=piano.pk).values("piano"), ("valutato", piano.pk))


def register() -> None:
    versions.track_self(models.PianoDiZona, _piano_saved)
    for model, path in PLAN_PATHS.items():
        track_piano(model, path)
    for model, path in AMBITO_PATHS.items():
        track_ambito(model, path)
    for model in CATALOGUES:
        track_catalogue(model)
