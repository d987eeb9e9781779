"""Compiled templates, cached per process by template and version, and refreshed when the template changes.

The JSON definition (16-27 KB) is read and decoded only on a miss: pages and bulk jobs load the schede with
`defer("modello__definizione")` (see `SCHEDA_MODELLO_DEFERRED`) and take the compiled template and the indicator
specs from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitoring.engine import CompiledTemplate, compile_template

# The deferred field of a template when schede are loaded with select_related("modello").
SCHEDA_MODELLO_DEFERRED = "modello__definizione"


@dataclass(frozen=True)
class _Entry:
    stamp: tuple[Any, ...]
    compiled: CompiledTemplate
    indicators: dict[str, list]  # {"indicatori": [...]}: what monitoring.indicators reads of the definition


_CACHE: dict[int, _Entry] = {}


def _entry(modello) -> _Entry:
    stamp = (modello.versione, modello.aggiornato_il)
    hit = _CACHE.get(modello.pk)
    if hit is None or hit.stamp != stamp:
        definition = modello.definizione  # one query when the field was deferred
        hit = _Entry(stamp, compile_template(definition), {"indicatori": definition.get("indicatori", [])})
        _CACHE[modello.pk] = hit
    return hit


def compiled_template(modello) -> CompiledTemplate:
    return _entry(modello).compiled


def indicator_definition(modello) -> dict[str, list]:
    """The indicator specs of the template ({"indicatori": [...]}, as in its definition), cached."""
    return _entry(modello).indicators
