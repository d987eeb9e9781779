"""Sentences printed by the schede, with placeholders filled from computed values.

A sentence text may contain placeholders ``{ROW.COL}`` (e.g. ``{R01B.AB}``); each is replaced by the cell
value formatted as the SOSE scheda prints numbers: Italian decimal comma, no thousands separator, the cell's
number of decimals (``2651``, ``21,36``). Text cells are inserted as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal

from core.numbers import format_it

__all__ = ["PLACEHOLDER", "placeholders", "render_sentence"]

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\}")


def placeholders(text: str) -> list[tuple[str, str]]:
    """Return the cell keys referenced by ``{ROW.COL}`` placeholders, in order."""
    return [(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(text)]


def render_sentence(
    text: str,
    values: Mapping[tuple[str, str], Decimal | str | None],
    decimals: Callable[[tuple[str, str]], int | None],
) -> str | None:
    """Fill the placeholders of ``text``; return ``None`` when a referenced value is empty.

    ``decimals(key)`` gives the number of decimals of a cell (``None`` for text cells).
    """
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        key = (match.group(1), match.group(2))
        value = values.get(key)
        if value is None or value == "":
            missing = True
            return ""
        if isinstance(value, Decimal):
            return format_it(value, decimals(key) or 0, grouping=False)
        return str(value)

    rendered = PLACEHOLDER.sub(fill, text)
    return None if missing else rendered
