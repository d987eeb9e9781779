"""The demo data of a test process: loaded once with ``load_demo``, then put back from a copy of its rows.

A transactional test (a live server, gunicorn, real threads or workers) ends with a flush that empties every table,
and the next test that needs the demo data used to load it again with ``load_demo``: 10–40 s each time (history,
signals, computed facts), for some thirty tests of the suite. After the first load of a process the rows of every
table are copied in memory; on an emptied database ``load_demo()`` writes them back in one transaction (COPY on
PostgreSQL, executemany on SQLite) with the same ids, then moves the id sequences past them: the same database
state as a fresh ``load_demo``, in about a second. On a database that holds the data, ``load_demo`` runs as before
(it is idempotent).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from territory.models import Ambito

NEVER_FLUSHED = {"django_migrations"}  # flush leaves it alone: never copied, never emptied


@dataclass
class TableRows:
    name: str
    columns: list[str]
    rows: list[tuple]


_snapshot: list[TableRows] | None = None


def load_demo() -> None:
    """The demo data (no users), committed unless inside a test's transaction: put back from the process's copy
    on an emptied database, otherwise loaded by ``load_demo`` (and copied, the first time)."""
    global _snapshot
    if _snapshot is not None and not Ambito.objects.exists():
        _restore(_snapshot)
        return
    call_command("load_demo", "--no-users", verbosity=0, stdout=io.StringIO())
    if _snapshot is None and not connection.in_atomic_block:
        _snapshot = _take()


def remember() -> None:
    """Copy the rows of a database that holds the demo data already (a copy of the template database)."""
    global _snapshot
    if _snapshot is None:
        _snapshot = _take()


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(name for name in names if name not in NEVER_FLUSHED)


def _take() -> list[TableRows]:
    quote = connection.ops.quote_name
    copied = []
    with connection.cursor() as cursor:
        for name in _tables():
            cursor.execute(f"SELECT * FROM {quote(name)}")
            rows = cursor.fetchall()
            if rows:
                columns = [column[0] for column in cursor.description]
                copied.append(TableRows(name, columns, rows))
    return copied


def _restore(snapshot: list[TableRows]) -> None:
    """Empty the tables a flush refilled (content types and permissions, by the post_migrate signal), write the
    copied rows back, and move every id sequence past them. Foreign keys are checked at commit (Django creates
    them deferrable), so the order of the tables does not matter."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in snapshot:
            cursor.execute(f"DELETE FROM {quote(table.name)}")
        for table in snapshot:
            columns = ", ".join(quote(column) for column in table.columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                    for row in table.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                cursor.executemany(f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", table.rows)
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)
    ContentType.objects.clear_cache()  # the ids of the content types are the copied ones again
