"""Compiled templates, cached per process and refreshed when the template changes."""

from __future__ import annotations

from monitoring.engine import CompiledTemplate, compile_template

_CACHE: dict[int, tuple[object, CompiledTemplate]] = {}


def compiled_template(modello) -> CompiledTemplate:
    stamp = (modello.versione, modello.aggiornato_il)
    hit = _CACHE.get(modello.pk)
    if hit is None or hit[0] != stamp:
        hit = (stamp, compile_template(modello.definizione))
        _CACHE[modello.pk] = hit
    return hit[1]
