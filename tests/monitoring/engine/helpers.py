"""Where the SOSE templates and seed values are, and builders of small template definitions for the engine tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SCHEDE = Path(__file__).resolve().parents[3] / "fixtures" / "schede"
VALUES = SCHEDE / "reggio_2025_values.json"  # the values typed in Reggio nell'Emilia's schede (seed 000)


def tiny_template(
    rows: list[tuple[str, dict[str, str | None]]],
    columns: tuple[str, ...] = ("A", "B", "C"),
    rules: list[dict[str, Any]] | None = None,
    sentences: list[dict[str, Any]] | None = None,
    applies_if: str | None = None,
    unit: str = "numero",
    decimals: int | None = None,
) -> dict[str, Any]:
    """A one-quadro template (plus an optional conditional Quadro 2 holding row ``Q2``).

    ``rows`` is ``[(row_code, {col: formula_or_None})]``: ``None`` makes an input cell.
    """

    def row(code: str, cells: dict[str, str | None]) -> dict[str, Any]:
        out: dict[str, Any] = {"code": code, "label": f"Riga {code}", "unit": unit, "cells": []}
        if decimals is not None:
            out["decimals"] = decimals
        for col, formula in cells.items():
            cell: dict[str, Any] = {"col": col, "kind": "input" if formula is None else "computed"}
            if formula is not None:
                cell["formula"] = formula
            out["cells"].append(cell)
        return out

    quadri: list[dict[str, Any]] = [
        {"number": 1, "title": "Primo", "blocks": [{"headings": ["Gruppo"], "rows": [row(c, f) for c, f in rows]}]}
    ]
    if applies_if is not None:
        quadri.append(
            {
                "number": 2,
                "title": "Condizionato",
                "applies_if": applies_if,
                "blocks": [{"rows": [row("Q2", {"A": None})]}],
            }
        )
    return {
        "code": "TST26",
        "title": "TST26 - PROVA",
        "service": "Prova",
        "reference_year": 2025,
        "due_date": "2026-05-31",
        "version": 1,
        "columns": [{"code": c, "label": f"Colonna {c}"} for c in columns],
        "quadri": quadri,
        "rules": rules or [],
        "sentences": sentences or [],
    }
