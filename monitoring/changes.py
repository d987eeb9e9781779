"""Which values of a scheda would change: the preview shown before an Excel upload or an import is applied.

Values are compared by meaning, not by text: ``"65"`` and ``"65,00"`` are the same number, ``"si"`` and
``"SI"`` the same answer, an empty text and a missing value the same empty cell, ``\r\n`` and ``\n`` the
same line end. So a file that was downloaded
and uploaded again without edits changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from .models import Scheda
from .services import scheda_raw_values
from .values import canonical, same_newlines, same_value

__all__ = ["CellKey", "canonical", "changed_values", "preview_changes", "same_newlines", "same_value"]

CellKey = tuple[str, str]


def changed_values(scheda: Scheda, new_values: Mapping[CellKey, str]) -> dict[CellKey, str]:
    """The subset of ``new_values`` that differs from the scheda's stored values."""
    compiled = scheda.modello.compiled()
    stored = scheda_raw_values(scheda)
    return {
        key: value
        for key, value in new_values.items()
        if not same_value(compiled.cells.get(key), stored.get(key, ""), value)
    }


def preview_changes(scheda: Scheda, new_values: Mapping[CellKey, str]) -> list[dict]:
    """Every value that would change, in template order.

    Each item: ``cella`` ("R05/N25"), ``riga_label`` ("R05 - Bambini gestiti ..."), ``colonna_label``,
    ``prima`` and ``dopo`` (stored text and new text; "" for an empty cell), plus ``riga`` and ``colonna``.
    """
    compiled = scheda.modello.compiled()
    changed = changed_values(scheda, new_values)
    stored = scheda_raw_values(scheda)
    labels = {c.code: c.label for c in compiled.definition.columns}
    out = []
    for row in compiled.definition.rows():
        for cell in row.cells:
            if cell.key not in changed:
                continue
            out.append(
                {
                    "cella": f"{row.code}/{cell.col}",
                    "riga": row.code,
                    "colonna": cell.col,
                    "riga_label": f"{row.display_code} - {row.label}" if row.label else row.display_code,
                    "colonna_label": labels.get(cell.col) or cell.col,
                    "prima": stored.get(cell.key, ""),
                    "dopo": changed[cell.key],
                }
            )
    return out
