"""How two texts of a scheda cell compare by meaning: ``"65"`` equals ``"65,00"``, ``"si"`` equals ``"SI"``.

Used by the upload preview (monitoring.changes) and by the save's three-way merge (monitoring.services).
"""

from __future__ import annotations

from decimal import Decimal

from monitoring.engine import NumberParseError, parse_decimal
from monitoring.engine.template import CellDef

__all__ = ["canonical", "display_value", "same_newlines", "same_value"]


def canonical(cell: CellDef | None, text: str | None) -> Decimal | str:
    """The comparable form of a value: a ``Decimal`` for numbers, upper case SI/NO, the text otherwise."""
    text = "" if text is None else str(text)
    if text.strip() == "":
        return ""
    if cell is not None and cell.is_numeric:
        try:
            return parse_decimal(text)
        except NumberParseError:
            return text
    if cell is not None and cell.unit == "sino":
        return text.strip().upper()
    return same_newlines(text)


def same_newlines(text: str) -> str:
    """Text with ``\n`` line ends: browsers send ``\r\n``, Excel files give back ``\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def same_value(cell: CellDef | None, old: str | None, new: str | None) -> bool:
    """True when ``old`` and ``new`` mean the same value for ``cell``."""
    a, b = canonical(cell, old), canonical(cell, new)
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return type(a) is type(b) and a == b


def display_value(compiled, key: tuple[str, str], text: str | None) -> str:
    """A stored value as a reader sees it: numbers as on the quadro page (``"1234,56"`` → «1.234,56»), SI/NO in
    upper case, texts as they are. ``compiled`` is the scheda's ``CompiledTemplate``."""
    cell = compiled.cells.get(key)
    value = canonical(cell, text)
    if isinstance(value, Decimal):
        return compiled.format_value(key, value)
    if cell is not None and cell.unit == "sino":
        return value
    return text or ""
