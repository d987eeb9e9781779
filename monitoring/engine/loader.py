"""Loading template definitions and cell values from JSON files (``fixtures/schede``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .formulas import CompiledTemplate, compile_template

__all__ = ["flatten_values", "load_template", "load_values", "nest_values"]


def load_template(path: str | Path) -> CompiledTemplate:
    """Read a template JSON file (e.g. ``fixtures/schede/nid26.json``) and compile it."""
    with open(path, encoding="utf-8") as fh:
        return compile_template(json.load(fh))


def flatten_values(nested: Mapping[str, Mapping[str, Any]]) -> dict[tuple[str, str], Any]:
    """``{"R05": {"N25": "748"}}`` → ``{("R05", "N25"): "748"}``."""
    return {(row, col): value for row, cols in nested.items() for col, value in cols.items()}


def nest_values(flat: Mapping[tuple[str, str], Any]) -> dict[str, dict[str, Any]]:
    """Inverse of :func:`flatten_values` (for storing values as JSON)."""
    nested: dict[str, dict[str, Any]] = {}
    for (row, col), value in flat.items():
        nested.setdefault(row, {})[col] = value
    return nested


def load_values(path: str | Path, template_code: str) -> dict[tuple[str, str], Any]:
    """Read the values of one scheda from a file shaped ``{"NID26": {"R05": {"N25": "748"}}}``."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return flatten_values(data.get(template_code, {}))
