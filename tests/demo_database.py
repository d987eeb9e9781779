"""The test database of a process, on PostgreSQL copied from one migrated database with the demo data.

Each pytest-xdist process used to create its own test database: every migration (about a minute of CPU, most of
it Django rendering model states), then ``load_demo`` (half a minute more). On PostgreSQL the first process builds
one template database, under a file lock shared by the processes of the run; every process, the first included,
then gets its own database with ``CREATE DATABASE … TEMPLATE``, a copy of the files in a few seconds. Django's
``setup_databases`` then runs on that copy with ``keepdb``: it finds every migration applied. On SQLite each
process creates its database with Django's creation, its tables made the same way (`setup_sqlite`).

The template's tables are created from the models (Django's ``--run-syncdb``, as pytest-django's
``--no-migrations``), not by replaying the 34 migrations (a minute of CPU on a 2-core machine, while the other
processes wait); every migration is then recorded as applied, and the one row a data migration writes that the
demo does not (the 20 ISTAT Regioni) is written the same way. The models and the migrations are the same schema:
CI's ``makemigrations --check`` fails otherwise. The migrations themselves still run for real in every CI run, on
PostgreSQL: from an empty database in the production smoke test (``migrate``, as the README's administrator does)
and in ``tests/territory/test_layout_migration.py`` (every migration, forward, with the demo data in between).

The template is built again by every run (its name is that of the test database, so runs against other databases
never share it); it is dropped at the end by the process that built it (one that starts later builds it again).
"""

from __future__ import annotations

import fcntl
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings, setup_databases, teardown_databases

from territory.models import Regione
from territory.regioni import REGIONI

READY = "demo-template.ready"


def uses_template() -> bool:
    return connection.vendor == "postgresql"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _server_sql(*statements: str) -> None:
    """Statements run on the server's maintenance database (outside any test database)."""
    with connection._nodb_cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextmanager
def shared_lock(folder: Path, name: str) -> Iterator[None]:
    """Held by one process of the run at a time (an flock on `folder`/`name`.lock)."""
    with (folder / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _template_name() -> str:
    base = settings.DATABASES["default"].get("TEST", {}).get("NAME") or f"test_{settings.DATABASES['default']['NAME']}"
    return f"{base.rsplit('_gw', 1)[0]}_demo"[:63]


class _NoMigrations(dict):
    """MIGRATION_MODULES for which no app has migrations: ``migrate --run-syncdb`` creates every table from the
    models (pytest-django's ``--no-migrations`` does the same)."""

    def __contains__(self, app_label) -> bool:
        return True

    def __getitem__(self, app_label) -> None:
        return None


def _record_migrations() -> None:
    """Every migration recorded as applied, and the Regioni that the territory's data migration writes
    (0003_regione): what a migrated database holds beside the tables."""
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    recorder.Migration.objects.bulk_create(
        recorder.Migration(app=app, name=name) for app, name in sorted(MigrationLoader(connection).graph.nodes)
    )
    Regione.objects.bulk_create(Regione(codice=codice, nome=nome) for codice, nome in REGIONI.items())


def _create_schema() -> None:
    """The current schema from the models, as if migrated."""
    with override_settings(MIGRATION_MODULES=_NoMigrations()):
        call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    _record_migrations()


def setup_sqlite(verbosity: int = 0) -> list:
    """SQLite: Django's creation of the test database (each process its own), the tables from the models as in
    the template; returns Django's config for teardown."""
    with override_settings(MIGRATION_MODULES=_NoMigrations()):
        config = setup_databases(verbosity=verbosity, interactive=False, serialized_aliases=set())
    _record_migrations()
    return config


def _build_template(template: str) -> None:
    """Create the schema in a new database named `template` and load the demo data in it; the connection is left
    closed."""
    _server_sql(f"DROP DATABASE IF EXISTS {_quote(template)}", f"CREATE DATABASE {_quote(template)}")
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = template
    try:
        _create_schema()
        call_command("load_demo", "--no-users", verbosity=0, stdout=io.StringIO())
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def _copy_template(template: str) -> None:
    """This process's test database, a copy of the template (any leftover of an earlier run replaced)."""
    test_name = connection.creation._get_test_db_name()
    _server_sql(
        f"DROP DATABASE IF EXISTS {_quote(test_name)}",
        f"CREATE DATABASE {_quote(test_name)} TEMPLATE {_quote(template)}",
    )


def setup(shared_folder: Path, verbosity: int = 0) -> tuple[list, bool]:
    """Create this process's test database with the demo data; returns Django's config for teardown, and whether
    this process built the template (it drops it at the end)."""
    template = _template_name()
    ready = shared_folder / READY
    built = False
    with shared_lock(shared_folder, "demo-template"):
        if not (ready.exists() and ready.read_text() == template):
            _build_template(template)
            ready.write_text(template)
            built = True
        _copy_template(template)
    # every migration applied already: migrate has nothing to do; no serialization (no test uses serialized_rollback)
    config = setup_databases(verbosity=verbosity, interactive=False, keepdb=True, serialized_aliases=set())
    return config, built


def teardown(config: list, built: bool, shared_folder: Path, verbosity: int = 0) -> None:
    """Drop this process's test database, and the template if this process built it (a process that starts
    its database later builds the template again)."""
    test_name = connection.settings_dict["NAME"]
    try:
        teardown_databases(config, verbosity=verbosity)
    except OperationalError:
        if not uses_template():
            raise
        # a connection of another thread is still open (a live server after a failed test): as pytest-django
        # goes on after a failed teardown, but the copy is dropped all the same
        _server_sql(f"DROP DATABASE IF EXISTS {_quote(test_name)} WITH (FORCE)")
    if built:
        with shared_lock(shared_folder, "demo-template"):
            (shared_folder / READY).unlink(missing_ok=True)
            _server_sql(f"DROP DATABASE IF EXISTS {_quote(_template_name())} WITH (FORCE)")
