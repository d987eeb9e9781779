"""Outliers against the Comune's history, read from the database (the rule itself: monitoring.outliers).

- ``comuni_history``: the history of the numeric input cells of a template for some Comuni, in ONE query (the
  values of their past schede of the same family, with the reference year of each);
- ``add_outlier_warnings``: the outliers of a computed scheda added to the engine's warnings (``scheda_compute``
  and ``submit_check`` call it: the quadro page, the live computation, the summary and «Invia» all see them, and a
  warning on a cell is justified by the cell's comment, like the engine's);
- ``ambito_outliers``: every outlier of the schede of a template in some Comuni (the page «Anomalie rispetto allo
  storico» of an Ambito), in three queries whatever the number of Comuni.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from monitoring.engine import CompiledTemplate, Message, NumberParseError, Result, parse_decimal

from .models import ModelloScheda, Scheda, ValoreCella
from .outliers import OUTLIER_RULE, Bounds, CellPlace, Justifiable, bounds, current_columns, is_outlier, outlier_text

CellKey = tuple[str, str]
History = dict[CellKey, dict[int, Decimal]]  # cell of the current template → {past reference year: value}


def checked_cells(compiled: CompiledTemplate) -> set[CellKey]:
    """The cells checked against history: numeric input cells (not computed, precompiled, text or Si/No)."""
    return {key for key, cell in compiled.cells.items() if cell.kind == "input" and cell.is_numeric}


def _number(text: str | None) -> Decimal | None:
    if not text or not text.strip():
        return None
    try:
        return parse_decimal(text)
    except NumberParseError:
        return None


def comuni_history(modello: ModelloScheda, comune_ids: Iterable[str]) -> dict[str, History]:
    """Per Comune (ISTAT code): the history of the template's numeric input cells, from its schede of the same
    family and an earlier reference year (monitoring.outliers for the column matching). One query."""
    ids = list(comune_ids)
    if not ids:
        return {}
    family, year = modello.famiglia, modello.anno_riferimento
    cells = checked_cells(modello.compiled())
    columns = {col for _row, col in cells}
    rows = (
        ValoreCella.objects.filter(
            scheda__comune_id__in=ids,
            scheda__modello__codice__startswith=family,
            scheda__modello__anno_riferimento__lt=year,
        )
        .exclude(valore="")
        .order_by()
        .values_list("scheda__comune_id", "scheda__modello__codice", "scheda__modello__anno_riferimento", "riga",
                     "colonna", "valore")
    )  # fmt: skip
    mapping: dict[int, dict[str, list[str]]] = {}
    out: dict[str, History] = {}
    for comune_id, codice, past_year, riga, colonna, valore in rows:
        if codice.rstrip("0123456789") != family:  # NID26's family is NID, not NIDX
            continue
        by_past_col = mapping.get(past_year)
        if by_past_col is None:
            by_past_col = mapping[past_year] = current_columns(columns, year, past_year)
        targets = [(riga, col) for col in by_past_col.get(colonna, ()) if (riga, col) in cells]
        value = _number(valore) if targets else None
        if value is None:
            continue
        history = out.setdefault(comune_id, {})
        for key in targets:
            history.setdefault(key, {})[past_year] = value
    return out


def scheda_history_values(scheda: Scheda) -> History:
    """The history of the scheda's numeric input cells (its Comune's past schede of the family). One query."""
    return comuni_history(scheda.modello, [scheda.comune_id]).get(scheda.comune_id, {})


def outlier_messages(
    compiled: CompiledTemplate, values: Mapping[CellKey, object], history: History, quadri: Mapping[int, bool]
) -> list[tuple[Message, Bounds]]:
    """The warnings for the values outside their history's bounds, in the quadri that apply."""
    out = []
    for key, past in sorted(history.items()):
        cell = compiled.cells.get(key)
        value = values.get(key)
        if cell is None or not isinstance(value, Decimal) or not quadri.get(cell.quadro, True):
            continue
        limits = bounds(past)
        if limits is not None and is_outlier(value, limits):
            text = outlier_text(value, limits, compiled.decimals(key) or 0)
            out.append((Message("warning", text, key[0], key[1], OUTLIER_RULE), limits))
    return out


def add_outlier_warnings(scheda: Scheda, result: Result, history: History | None = None) -> list[Message]:
    """Add the outliers of the computed scheda to ``result.warnings`` (once) and return them."""
    if any(m.rule == OUTLIER_RULE for m in result.warnings):
        return [m for m in result.warnings if m.rule == OUTLIER_RULE]
    if history is None:
        history = scheda_history_values(scheda)
    found = [m for m, _limits in outlier_messages(scheda.modello.compiled(), result.values, history, result.quadri)]
    result.warnings.extend(found)
    return found


# --- The outliers of an Ambito -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlierRow(CellPlace, Justifiable):
    """One value outside its history's bounds, in a scheda of a Comune."""

    scheda_id: int
    comune_codice: str
    comune_nome: str
    value: Decimal
    bounds: Bounds
    decimals: int
    comment: str


def ambito_outliers(modello: ModelloScheda, comuni: QuerySet) -> list[OutlierRow]:
    """Every stored value outside its history's bounds in the schede of ``modello`` of ``comuni``, by Comune and
    cell, in the quadri that apply to the scheda (their conditions read on its stored results, as the quadro page
    and «Invia» see them). Four queries (the schede's values, their history, the results of the schede with an
    outlier), nothing per Comune or scheda."""
    compiled = modello.compiled()
    cells = checked_cells(compiled)
    stored = (
        ValoreCella.objects.filter(scheda__modello=modello, scheda__comune__in=comuni.values("pk"))
        .order_by()
        .values_list("scheda_id", "scheda__comune_id", "scheda__comune__nome", "riga", "colonna", "valore",
                     "commento")
    )  # fmt: skip
    current: dict[tuple[str, str, str], Decimal] = {}
    schede: dict[str, tuple[int, str]] = {}
    comments: dict[tuple[int, str, str], str] = {}
    for scheda_id, comune_id, nome, riga, colonna, valore, commento in stored:
        schede[comune_id] = (scheda_id, nome)
        comments[(scheda_id, riga, colonna)] = commento
        if (riga, colonna) in cells and (value := _number(valore)) is not None:
            current[(comune_id, riga, colonna)] = value
    histories = comuni_history(modello, schede)
    labels = {c.code: c.label for c in compiled.definition.columns}
    out = []
    for (comune_id, riga, colonna), value in current.items():
        past = histories.get(comune_id, {}).get((riga, colonna))
        limits = bounds(past) if past else None
        if limits is None or not is_outlier(value, limits):
            continue
        scheda_id, nome = schede[comune_id]
        row = compiled.rows[riga]
        out.append(
            OutlierRow(row.quadro, riga, row.display_code, row.label, colonna, labels.get(colonna) or colonna,
                       scheda_id=scheda_id, comune_codice=comune_id, comune_nome=nome, value=value, bounds=limits,
                       decimals=compiled.decimals((riga, colonna)) or 0,
                       comment=comments.get((scheda_id, riga, colonna), ""))
        )  # fmt: skip
    out = _in_applying_quadri(compiled, out)
    order = {code: i for i, code in enumerate(compiled.rows)}
    out.sort(key=lambda r: (r.comune_nome, r.quadro, order[r.row], r.col))
    return out


def _in_applying_quadri(compiled: CompiledTemplate, rows: list[OutlierRow]) -> list[OutlierRow]:
    """The rows whose quadro applies to their scheda (one query for the stored results of those schede)."""
    if not rows:
        return rows
    stored = Scheda.objects.filter(pk__in={r.scheda_id for r in rows}).values_list("pk", "risultati")
    applying = {
        pk: compiled.quadri_applying({tuple(k.split(".", 1)): v for k, v in (risultati or {}).items()})
        for pk, risultati in stored
    }
    return [r for r in rows if applying.get(r.scheda_id, {}).get(r.quadro, True)]


def filter_outliers(
    rows: list[OutlierRow], *, comune: str = "", quadro: int | None = None, giustificati: str = ""
) -> list[OutlierRow]:
    """The outliers of a Comune (ISTAT code), of a quadro, justified («si») or to justify («no»)."""
    if comune:
        rows = [r for r in rows if r.comune_codice == comune]
    if quadro:
        rows = [r for r in rows if r.quadro == quadro]
    if giustificati == "si":
        rows = [r for r in rows if r.justified]
    elif giustificati == "no":
        rows = [r for r in rows if not r.justified]
    return rows
