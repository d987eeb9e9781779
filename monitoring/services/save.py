"""Saving typed values: all-or-nothing, merged with what colleagues saved meanwhile (optimistic lock)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.merge import FieldConflict, three_way
from monitoring.engine import CompiledTemplate, Message, Result

from ..models import Scheda, ValoreCella
from ..rollup import maintained_scheda
from ..values import display_value, same_value
from .compute import CellKey, apply_result, input_errors, normalise
from .errors import Conflict, InvalidValues
from .locking import lock_editable, record_change


def changes_since(scheda: Scheda, since) -> list[dict]:
    """Cell changes made after `since` (for the conflict message)."""
    out = []
    compiled = scheda.modello.compiled()
    history = ValoreCella.history.filter(scheda_id=scheda.pk, history_date__gt=since).select_related("history_user")
    for record in history.order_by("history_date"):
        prev = record.prev_record
        key = (record.riga, record.colonna)
        out.append(
            {  # shown to the user: values formatted as on the quadro page
                "cella": f"{record.riga}/{record.colonna}",
                "prima": display_value(compiled, key, prev.valore if prev else ""),
                "dopo": display_value(compiled, key, record.valore if record.history_type != "-" else ""),
                "utente": str(record.history_user or "—"),
                "quando": record.history_date,
            }
        )
    return out


@transaction.atomic
def scheda_save(
    *,
    scheda: Scheda,
    user,
    values: dict[CellKey, str],
    comments: dict[CellKey, str] | None = None,
    expected_version: int | None = None,
    loaded_at=None,
    allow_precompiled: bool = False,
    base_values: dict[CellKey, str] | None = None,
    base_comments: dict[CellKey, str] | None = None,
) -> Result:
    """Save typed values (all-or-nothing). Refused when the scheda is locked, changed meanwhile, or a cell is invalid.

    Only input cells are written (precompiled cells too when `allow_precompiled`, for imports by the Ufficio
    di Piano); values are stored normalised. Raises Conflict, SchedaError or PermissionDenied.

    Two ways to guard against a colleague's concurrent save:
    - `base_values` / `base_comments` (the page's values as loaded): only what this user changed is written,
      merged with what others saved meanwhile (core.merge); a cell both changed differently is a Conflict;
    - otherwise `expected_version` (previews of uploads and imports): any change since then is a Conflict.
    """
    locked = lock_editable(scheda, user)
    comments = comments or {}
    if base_values is not None:
        values, comments = _merged_changes(locked, values, comments, base_values, base_comments, loaded_at)
    elif locked.versione != expected_version:
        raise Conflict(locked.versione, changes_since(locked, loaded_at or locked.creata_il))
    compiled = locked.modello.compiled()
    _check_writable(compiled, values, allow_precompiled)
    stored = {(v.riga, v.colonna): v for v in locked.valori.all()}
    result = compiled.compute({**{k: v.valore for k, v in stored.items()}, **values})
    bad = input_errors(result, compiled)
    if bad:
        raise InvalidValues(bad)
    now = timezone.now()
    with maintained_scheda(locked):  # the Ambito's rollup of the schede (monitoring.rollup)
        for key in set(values) | set(comments):
            normalised = normalise(result.values.get(key)) if key in values else None
            current = stored.get(key)
            comment = comments.get(key, current.commento if current else "")
            _write_cell(locked, key, current, normalised, comment, user, now)
        apply_result(locked, compiled, result)
        record_change(locked, user, now)
    scheda.refresh_from_db()
    return result


def _merged_changes(
    locked: Scheda,
    values: dict[CellKey, str],
    comments: dict[CellKey, str],
    base_values: dict[CellKey, str],
    base_comments: dict[CellKey, str] | None,
    loaded_at: datetime | None,
) -> tuple[dict[CellKey, str], dict[CellKey, str]]:
    """What this user changed since the page was loaded (core.merge); a Conflict if a colleague changed the same
    cell or comment to something else."""
    compiled = locked.modello.compiled()
    stored_rows = list(locked.valori.all())
    new_values, value_conflicts = _merge_cells(
        "v",
        base_values,
        values,
        {(v.riga, v.colonna): v.valore for v in stored_rows},
        same=lambda key, a, b: same_value(compiled.cells.get(key), a, b),
    )
    new_comments, comment_conflicts = _merge_cells(
        "c",
        base_comments or {},
        comments,
        {(v.riga, v.colonna): v.commento for v in stored_rows},
        same=lambda _key, a, b: (a or "").strip() == (b or "").strip(),
    )
    conflicts = value_conflicts + comment_conflicts
    if conflicts:
        raise Conflict(locked.versione, changes_since(locked, loaded_at or locked.creata_il), conflicts)
    return new_values, new_comments


def _merge_cells(
    kind: str,
    base: dict[CellKey, str],
    mine: dict[CellKey, str],
    theirs: dict[CellKey, str],
    *,
    same: Callable[[CellKey, str, str], bool],
) -> tuple[dict[CellKey, str], list[FieldConflict]]:
    """core.merge.three_way on the cells: the user's own changes, and the conflicts keyed (kind, row, col)."""
    # three_way is annotated for Mapping[Hashable, Any], which a dict keyed by tuples does not match (Mapping is
    # invariant in its key type); the keys it gives back are the cell keys it was given.
    merge = three_way(base, mine, theirs, same=same)  # type: ignore[arg-type]
    conflicts = [FieldConflict((kind, *cast(CellKey, c.key)), c.base, c.mine, c.theirs) for c in merge.conflicts]
    return merge.changes, conflicts


def _check_writable(compiled: CompiledTemplate, values: dict[CellKey, str], allow_precompiled: bool) -> None:
    """Only input cells are written (precompiled ones too for the imports of the Ufficio di Piano)."""
    writable = {"input", "precompiled"} if allow_precompiled else {"input"}
    for key in values:
        cell = compiled.cells.get(key)
        if cell is None or cell.kind not in writable:
            text = _("La cella %(r)s/%(c)s non è modificabile.") % {"r": key[0], "c": key[1]}
            raise InvalidValues([Message("error", text, key[0], key[1])])


def _write_cell(
    locked: Scheda,
    key: CellKey,
    current: ValoreCella | None,
    normalised: str | None,
    comment: str,
    user,
    now: datetime,
) -> None:
    """Store one cell's value (None: unchanged) and comment; an empty new cell is not stored."""
    if current is None:
        if (normalised or "") == "" and not comment:
            return
        obj = ValoreCella(scheda=locked, riga=key[0], colonna=key[1], valore=normalised or "", commento=comment)
        obj.modificato_il = now
        obj._history_user = user
        obj.save()
        return
    new_value = current.valore if normalised is None else normalised
    if new_value == current.valore and comment == current.commento:
        return
    if new_value != current.valore:
        current.precompilato = False
    current.valore, current.commento, current.modificato_il = new_value, comment, now
    current._history_user = user
    current.save()
