"""Prepared statements on PostgreSQL, for the few queries run so often that planning them again each time is most of
their cost.

Django binds parameters on the client (psycopg's `ClientCursor`): PostgreSQL parses and plans every statement it
gets. `prepared_cursor()` is psycopg's own cursor instead, binding parameters on the server and preparing what it
runs, once per persistent connection: the key queries of the pages kept per reader (core.page_cache: the quadro's
key, four tables, 0,46 → 0,24 ms) and the UPDATE of recompute-all's results, run by `executemany` in a pipeline
(500 rows a chunk: 0,18 → 0,12 ms a row). Elsewhere it is Django's own cursor. Either way wrapped as Django wraps its
cursors: queries are logged and counted like any other. Django's own cursors never prepare.
"""

from __future__ import annotations

from typing import Any

import psycopg
from django.db import connection

ONLY_WHEN_ASKED = 2**31 - 1  # a prepare threshold no statement reaches by count (Django's own cursors never prepare)


class _PreparingCursor(psycopg.Cursor):
    """psycopg's cursor with server-side binding, preparing every statement it runs (`executemany` prepares its
    statement already, psycopg's pipeline does)."""

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        result = super().execute(query, params, **{**kwargs, "prepare": True})
        self._keep_text(query, params)
        return result

    def executemany(self, query: Any, params_seq: Any, **kwargs: Any) -> None:
        params_seq = list(params_seq)
        super().executemany(query, params_seq, **kwargs)
        self._keep_text(query, params_seq[-1] if params_seq else None)

    def _keep_text(self, query: Any, params: Any) -> None:
        if self._query is None:  # run as a prepared statement, psycopg keeps no text of it: Django's query log
            self._query = self._convert_query(query, params)  # reads it there (…operations.last_executed_query)


def prepared_cursor() -> Any:
    """A cursor whose statements are prepared on PostgreSQL (Django's own cursor elsewhere), wrapped by Django."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:  # Django's default: psycopg would prepare nothing at all;
        connection.connection.prepare_threshold = ONLY_WHEN_ASKED  # now only what is run with prepare=True
    raw: Any = _PreparingCursor(connection.connection)  # a DB-API cursor (django-stubs expect Django's wrapper)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
