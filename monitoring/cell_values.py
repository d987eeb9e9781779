"""The stored values of many schede at once, for bulk jobs (recompute-all): {scheda id: {(riga, colonna): text}}.

A bulk job reads about a hundred values per scheda, 1,6 million for an Ambito of 7,896 Comuni. Read as one row
per value, most of the time goes into making a Python row of four objects for each. On SQLite and PostgreSQL the
database groups them by scheda instead, in three JSON arrays (rows, columns, texts) built in the same pass over
the group, so their elements stay aligned; Python decodes three texts per scheda, with orjson (recompute-all at
7,896 Comuni: 2,3 → 1,5 s for the reading). Other databases read one row per value, with the same result.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson
from django.db import connection

from .models import ValoreCella

CellKey = tuple[str, str]

# the aggregate that gathers a column of a group into a JSON array, as text
_JSON_ARRAY = {"sqlite": "json_group_array({})", "postgresql": "json_agg({})::text"}


def values_of_schede(ids: Sequence[int]) -> dict[int, dict[CellKey, str]]:
    """The stored values of the schede `ids` (every id is a key; a scheda without values has an empty dict)."""
    values: dict[int, dict[CellKey, str]] = {pk: {} for pk in ids}
    if not ids:
        return values
    aggregate = _JSON_ARRAY.get(connection.vendor)
    if aggregate is None:
        rows = ValoreCella.objects.filter(scheda_id__in=ids).order_by()
        for scheda_id, riga, colonna, valore in rows.values_list("scheda_id", "riga", "colonna", "valore").iterator(
            chunk_size=10000
        ):
            values[scheda_id][(riga, colonna)] = valore
        return values
    with connection.cursor() as cursor:
        cursor.execute(_grouped_sql(aggregate, len(ids)), list(ids))
        for scheda_id, righe, colonne, valori in cursor.fetchall():
            keys = zip(orjson.loads(righe), orjson.loads(colonne), strict=True)
            values[scheda_id] = dict(zip(keys, orjson.loads(valori), strict=True))
    return values


def _grouped_sql(aggregate: str, count: int) -> str:
    qn = connection.ops.quote_name
    column = {f.name: qn(f.column) for f in ValoreCella._meta.concrete_fields}
    arrays = ", ".join(aggregate.format(column[name]) for name in ("riga", "colonna", "valore"))
    placeholders = ", ".join(["%s"] * count)
    return (
        f"SELECT {column['scheda']}, {arrays} FROM {qn(ValoreCella._meta.db_table)} "
        f"WHERE {column['scheda']} IN ({placeholders}) GROUP BY {column['scheda']}"
    )
