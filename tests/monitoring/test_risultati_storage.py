"""The stored results of the schede compressed with lz4 on PostgreSQL (migration monitoring 0010): written in about
half the time of pglz, and read back the same. (The test database is made from the models, not by the migrations:
the test runs the migration's operations itself; CI's production smoke test runs every migration.)"""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from monitoring.models import Scheda
from tests.schede_helpers import seed_schede

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("monitoring.migrations.0010_risultati_lz4")
TABLE, COLUMN = Scheda._meta.db_table, Scheda._meta.get_field("risultati").column


def _compression() -> str:
    """How PostgreSQL compresses the column (pg_attribute.attcompression: "l" lz4, "p" pglz, "" the default)."""
    with connection.cursor() as cursor:
        sql = "SELECT attcompression FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s"
        cursor.execute(sql, [TABLE, COLUMN])
        return cursor.fetchone()[0]


def _stored_with(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_column_compression({COLUMN}) FROM {TABLE} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _run(operation) -> None:
    """One of the migration's functions, as migrate runs it (SQLite's schema editor cannot open inside a test's
    transaction; the function returns there before it uses the editor)."""
    if connection.vendor != "postgresql":
        operation(apps, SimpleNamespace(connection=connection))
        return
    with connection.schema_editor() as editor:
        operation(apps, editor)


def test_the_migration_compresses_the_results_with_lz4_and_they_read_back_as_written():
    scheda = seed_schede().order_by("pk").first()
    risultati = {f"R{i:02d}.N{j:02d}": f"{i * 1000 + j},5" for i in range(40) for j in range(5)}  # kept out of line
    _run(MIGRATION.lz4)
    Scheda.objects.filter(pk=scheda.pk).update(risultati=risultati)
    assert Scheda.objects.values_list("risultati", flat=True).get(pk=scheda.pk) == risultati
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # SQLite stores the text as it is: the migration changes nothing there
        return
    assert _compression() == "l"
    assert _stored_with(scheda.pk) == "lz4"
    _run(MIGRATION.default)  # backwards: the server's default again
    assert _compression() == ""
