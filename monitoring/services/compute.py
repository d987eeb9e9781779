"""Values of a scheda: canonical stored text, the engine's result, and the cached results on the scheda."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from monitoring.engine import CompiledTemplate, Message, Result
from territory.versions import bump_ambiti_of_comuni

from ..indicators import indicator_facts
from ..models import Scheda

CellKey = tuple[str, str]


def normalise(value) -> str:
    """Canonical stored text: numbers with a decimal comma and no grouping (never ambiguous), SI/NO, text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return str(value)


def scheda_raw_values(scheda: Scheda) -> dict[CellKey, str]:
    return {(v.riga, v.colonna): v.valore for v in scheda.valori.all()}


def input_errors(result: Result, compiled: CompiledTemplate) -> list:
    """Errors about what was typed in a cell (format, sign, length): these block saving."""
    return [m for m in result.errors if m.rule is None and _typed_cell(m, compiled)]


def _typed_cell(message: Message, compiled: CompiledTemplate) -> bool:
    """Whether the message is about a cell of the template that is not computed."""
    if not message.row or message.col is None:
        return False
    cell = compiled.cells.get((message.row, message.col))
    return cell is not None and cell.kind != "computed"


def completeness(compiled: CompiledTemplate, result: Result) -> Decimal:
    """Share of input cells filled, in the quadri that apply."""
    keys = [k for k, c in compiled.cells.items() if c.kind == "input" and result.quadri.get(c.quadro, True)]
    if not keys:
        return Decimal(100)
    filled = sum(1 for k in keys if result.values.get(k) is not None)
    return (Decimal(filled) * 100 / Decimal(len(keys))).quantize(Decimal("0.1"))


def apply_result(scheda: Scheda, compiled: CompiledTemplate, result: Result) -> None:
    scheda.risultati = {f"{r}.{c}": normalise(v) for (r, c), v in result.values.items() if v is not None}
    scheda.indicatori = indicator_facts(scheda.modello.definizione, scheda.risultati)
    scheda.n_errori = len(result.errors)
    scheda.n_avvisi = len(result.warnings)
    scheda.completezza = completeness(compiled, result)


def scheda_compute(*, scheda: Scheda, overrides: dict[CellKey, str] | None = None) -> Result:
    """The engine's result for the stored values, optionally with unsaved values on top (live preview)."""
    values = scheda_raw_values(scheda)
    if overrides:
        values.update(overrides)
    return scheda.modello.compiled().compute(values)


@transaction.atomic
def scheda_recompute(*, scheda: Scheda) -> Result:
    """Recompute and store the cached results of one scheda (after a template change, or in bulk)."""
    compiled = scheda.modello.compiled()
    result = compiled.compute(scheda_raw_values(scheda))
    apply_result(scheda, compiled, result)
    Scheda.objects.filter(pk=scheda.pk).update(
        risultati=scheda.risultati,
        indicatori=scheda.indicatori,
        n_errori=scheda.n_errori,
        n_avvisi=scheda.n_avvisi,
        completezza=scheda.completezza,
    )
    bump_ambiti_of_comuni([scheda.comune_id])  # QuerySet.update sends no signal (territory.versions)
    return result
