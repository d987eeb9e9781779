"""A scheda as the API gives it: every cell by row and column code (computed cells marked), indicators, messages;
and the write of input values through monitoring.services.scheda_save (same validation, workflow and version)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from monitoring.engine import CompiledTemplate, Message, Result
from monitoring.indicators import scheda_indicators
from monitoring.models import Scheda
from monitoring.services import normalise, scheda_raw_values, scheda_save


def _message(m: Message) -> dict[str, Any]:
    return {"gravita": m.severity, "testo": m.text, "riga": m.row, "colonna": m.col}


def _cells(compiled: CompiledTemplate, result: Result) -> dict[str, dict[str, dict[str, Any]]]:
    valori: dict[str, dict[str, dict[str, Any]]] = {}
    for row in compiled.definition.rows():
        for cell in row.cells:
            if cell.key in compiled.cells:
                valori.setdefault(row.code, {})[cell.col] = {
                    "valore": normalise(result.values.get(cell.key)),
                    "tipo": cell.kind,
                    "calcolata": cell.kind == "computed",
                    "unita": cell.unit,
                }
    return valori


def _indicators(scheda: Scheda) -> list[dict[str, Any]]:
    return [
        {
            "codice": i.code,
            "nome": i.label,
            "unita": i.unit,
            "valore": i.value,
            "numeratore": i.numerator,
            "denominatore": i.denominator,
            "verifiche": [{"obiettivo": c.label, "valore_obiettivo": c.target, "raggiunto": c.met} for c in i.checks],
        }
        for i in scheda_indicators(scheda.modello.indicator_definition(), scheda.indicatori or {})
    ]


def scheda_summary(scheda: Scheda) -> dict[str, Any]:
    """The fields of a scheda in the lists (no cell)."""
    return {
        "modello": scheda.modello.codice,
        "anno": scheda.modello.anno_riferimento,
        "codice_istat": scheda.comune_id,
        "comune": scheda.comune.nome,
        "stato": scheda.stato,
        "versione": scheda.versione,
        "completezza": scheda.completezza,
        "n_errori": scheda.n_errori,
        "n_avvisi": scheda.n_avvisi,
        "modificata_il": scheda.modificata_il,
    }


def scheda_detail(scheda: Scheda, result: Result | None = None) -> dict[str, Any]:
    """Every cell of the scheda, with the engine's result on the stored values (or `result`)."""
    compiled = scheda.modello.compiled()
    if result is None:
        result = compiled.compute(scheda_raw_values(scheda))
    return {
        **scheda_summary(scheda),
        "valori": _cells(compiled, result),
        "quadri": {str(n): applies for n, applies in result.quadri.items()},
        "indicatori": _indicators(scheda),
        "errori": [_message(m) for m in result.errors],
        "avvisi": [_message(m) for m in result.warnings],
    }


def version_saved_at(scheda: Scheda, versione: int) -> datetime:
    """When the scheda's `versione` was saved (its history), so that a stale write lists the changes made since
    the client read it; now for a version the scheda never had (nothing is listed then)."""
    saved = (
        Scheda.history.filter(id=scheda.pk, versione=versione)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return saved or timezone.now()


def scheda_write(*, scheda: Scheda, user, versione: int, valori: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Write input values as `user` (with the version read); the scheda afterwards, with its recomputed cells.

    Raises what scheda_save raises: Conflict (stale version), InvalidValues (a cell), SchedaLocked (workflow),
    PermissionDenied (the user may not change it).
    """
    values = {(riga, colonna): valore for riga, cols in valori.items() for colonna, valore in cols.items()}
    result = scheda_save(
        scheda=scheda, user=user, values=values, expected_version=versione, loaded_at=version_saved_at(scheda, versione)
    )
    compiled = scheda.modello.compiled()
    ricalcolate: dict[str, dict[str, str]] = {}
    for (riga, colonna), cell in compiled.cells.items():
        if cell.kind == "computed":
            ricalcolate.setdefault(riga, {})[colonna] = normalise(result.values.get((riga, colonna)))
    return {**scheda_detail(scheda, result), "celle_ricalcolate": ricalcolate}
