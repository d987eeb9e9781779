"""The stored values of many schede at once, for bulk jobs (recompute-all): {scheda id: {(riga, colonna): text}}.

A bulk job reads about a hundred values per scheda, 1,6 million for an Ambito of 7,896 Comuni. Read as one row
per value, most of the time goes into making a Python row of four objects for each. On SQLite and PostgreSQL the
database groups them by scheda instead, in one JSON object per scheda whose keys name the cells as the length of
the row code, a colon, the row code and the column code (`3:R10N25`: made of plain concatenation, cheaper for the
database than building JSON keys, and any text of a row or column code reads back as it was). Python decodes one
text per scheda with orjson, which reuses the key strings it has seen, and turns each distinct key into a
(riga, colonna) tuple once per call (the reading of recompute-all at 7,896 Comuni on PostgreSQL: 1,65 s with three
arrays per scheda, 1,3 s so).
On PostgreSQL the ids go as one array parameter (`= ANY(%s)`): a list of 500 placeholders cost psycopg more to
merge into the text than the database to run. Other databases read one row per value, with the same result.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson
from django.db import connection

from .models import ValoreCella

CellKey = tuple[str, str]

# the aggregate that gathers the cells of a group into one JSON object {"<len(riga)>:<riga><colonna>": valore}, as text
_CELL = "length({riga}) || ':' || {riga} || {colonna}"
_JSON_OBJECT = {
    "sqlite": f"json_group_object({_CELL}, {{valore}})",
    "postgresql": f"json_object_agg({_CELL}, {{valore}})::text",
}


def values_of_schede(ids: Sequence[int]) -> dict[int, dict[CellKey, str]]:
    """The stored values of the schede `ids` (every id is a key; a scheda without values has an empty dict)."""
    values: dict[int, dict[CellKey, str]] = {pk: {} for pk in ids}
    if not ids:
        return values
    if connection.vendor not in _JSON_OBJECT:
        rows = ValoreCella.objects.filter(scheda_id__in=ids).order_by()
        for scheda_id, riga, colonna, valore in rows.values_list("scheda_id", "riga", "colonna", "valore").iterator(
            chunk_size=10000
        ):
            values[scheda_id][(riga, colonna)] = valore
        return values
    cells: dict[str, CellKey] = {}  # each key's tuple, made once: the same few hundred cells recur in every scheda
    with connection.cursor() as cursor:
        cursor.execute(*_grouped_query(ids))
        for scheda_id, grouped in cursor.fetchall():
            scheda_values = values[scheda_id]
            for key, valore in orjson.loads(grouped).items():
                cell = cells.get(key)
                if cell is None:
                    cell = cells[key] = _cell(key)
                scheda_values[cell] = valore
    return values


def _cell(key: str) -> CellKey:
    """(riga, colonna) of a key "3:R10N25"."""
    length, _colon, codes = key.partition(":")
    split = int(length)
    return codes[:split], codes[split:]


def _grouped_query(ids: Sequence[int]) -> tuple[str, list]:
    qn = connection.ops.quote_name
    column = {f.name: qn(f.column) for f in ValoreCella._meta.concrete_fields}
    aggregate = _JSON_OBJECT[connection.vendor].format(**column)
    if connection.vendor == "postgresql":
        where, params = f"{column['scheda']} = ANY(%s)", [list(ids)]
    else:
        where, params = f"{column['scheda']} IN ({', '.join(['%s'] * len(ids))})", list(ids)
    table = qn(ValoreCella._meta.db_table)
    return f"SELECT {column['scheda']}, {aggregate} FROM {table} WHERE {where} GROUP BY {column['scheda']}", params
