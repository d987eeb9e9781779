"""The files of a dataset: CSV and JSON.

CSV as the Italian open data guidelines (AgID) and dati.gov.it recommend: RFC 4180, UTF-8 without BOM, comma as
separator, fields quoted when needed, CRLF line ends, a header row with the column names; numbers with the dot as
decimal separator and no thousands separator (machine-readable; the pages show them as 1.234,56); an empty field
for a value that is not available. JSON: the dataset's metadata, its columns and the rows as objects, numbers as
JSON numbers.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from .datasets import DatasetSpec, Row


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def dataset_csv(spec: DatasetSpec, rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.nome for c in spec.colonne])
    for row in rows:
        writer.writerow([_csv_value(row.get(c.nome)) for c in spec.colonne])
    return out.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def dataset_json(spec: DatasetSpec, rows: list[Row], meta: dict[str, Any]) -> str:
    document = {
        **meta,
        "dataset": spec.codice,
        "titolo": spec.titolo,
        "descrizione": spec.descrizione,
        "colonne": [{"nome": c.nome, "etichetta": c.etichetta, "tipo": c.tipo} for c in spec.colonne],
        "righe": [{c.nome: _json_value(row.get(c.nome)) for c in spec.colonne} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
