"""A database of the previous layout (Ambito, Comune, Popolazione in planning) with the demo data migrates to the
territory app and keeps every row.

The test builds the old database for real: it drops every table of the test database, migrates the empty
database forward to the last migrations of the previous layout (what a database of that time had applied), and
writes back, with SQL, the rows of the demo data (only the columns that layout had; the moved models' content
types labelled `planning`, as an old database has them). Then it migrates forward to the current layout and
compares every table, row by row, and reads the rows through the new models. Every migration runs forward once,
from an empty database: migrating back instead renders the project's state at every step (twice the time).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Assegnazione, Ruolo
from monitoring.models import Scheda
from planning.models import PianoDiZona
from territory.models import Ambito, Comune, Popolazione
from tests import demo_snapshot
from tests.factories import user_with_role

# The leaf migrations of the layout before the territory app (its first migration moved the models).
PREVIOUS_LAYOUT = [
    ("territory", None),
    ("planning", "0004_piano_firme_ambito_logo"),
    ("accounts", "0001_initial"),
    ("monitoring", "0003_rilevazioni_trimestrali"),
    ("reports", "0001_initial"),
]
MOVED = ("ambito", "comune", "popolazione")
# Models renamed since that layout: the table and the content type had the old name (planning 0007).
RENAMED = {"modellointervento": "modelloscheda", "historicalmodellointervento": "historicalmodelloscheda"}


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if t != "django_migrations")


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _rows(table: str, columns: list[str]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(_quote, columns))} FROM {_quote(table)}")
        return sorted(cursor.fetchall(), key=repr)


# Django's auth migrations made the id of its many-to-many tables an integer; created from the models it is a
# bigint (DEFAULT_AUTO_FIELD). Both hold the few rows of a test; every other column must be the same.
AUTH_M2M = {"auth_group_permissions", "auth_user_groups", "auth_user_user_permissions"}


def _schema() -> dict[str, set[tuple]]:
    """Every table's columns: name, type and whether it takes NULL (the id of `AUTH_M2M` without its type)."""
    with connection.cursor() as cursor:
        return {
            table: {
                (c.name, None if table in AUTH_M2M and c.name == "id" else c.type_code, c.null_ok)
                for c in connection.introspection.get_table_description(cursor, table)
            }
            for table in _tables()
        }


def _project(rows: list[tuple], columns: list[str], names: list[str]) -> list[tuple]:
    """The values of the columns `names` of every row, sorted."""
    index = [columns.index(name) for name in names]
    return sorted((tuple(r[i] for i in index) for r in rows), key=repr)


def _dump() -> dict[str, tuple[list[str], list[tuple]]]:
    return {table: (cols, _rows(table, cols)) for table in _tables() for cols in [_columns(table)]}


def _old_content_type(row: tuple, app: int, model: int) -> tuple:
    label, name = row[app], row[model]
    if label == "territory" and name in MOVED:
        label = "planning"
    elif label == "planning":
        name = RENAMED.get(name, name)
    return tuple(label if i == app else name if i == model else v for i, v in enumerate(row))


def _as_previous_layout(dump: dict) -> dict:
    """The same rows as an old database holds them: the moved models' content types still in planning, the renamed
    models under their old table and content type names."""
    cols, rows = dump["django_content_type"]
    app, model = cols.index("app_label"), cols.index("model")
    old = {**dump, "django_content_type": (cols, [_old_content_type(r, app, model) for r in rows])}
    for new, previous in RENAMED.items():
        old[f"planning_{previous}"] = old.pop(f"planning_{new}")
    # the Ambito's Regione was a text (territory 0003 made it a link to a Regione row)
    regione_cols, regioni = dump["territory_regione"]
    names = {r[regione_cols.index("id")]: r[regione_cols.index("nome")] for r in regioni}
    ambito_cols, ambito_rows = dump["planning_ambito"]
    link = ambito_cols.index("regione_id")
    old["planning_ambito"] = ([*ambito_cols, "regione"], [(*r, names.get(r[link], "")) for r in ambito_rows])
    return old


def _previous_layout_nodes(targets) -> list[tuple[str, str | None]]:
    """Per app, the last migration a database of the previous layout has applied: every migration but those after
    `targets` ((app, migration or None for none of the app's)) and those that depend on them, as
    `migrate <app> <migration>` of each app would leave a database."""
    graph = MigrationExecutor(connection).loader.graph
    later = set()
    for app, name in targets:
        chain = sorted(node for node in graph.nodes if node[0] == app)
        later.update(chain[chain.index((app, name)) + 1 :] if name else chain)
    later |= {d for node in list(later) for d in graph.backwards_plan(node)}  # and what depends on them
    kept = [node for node in graph.nodes if node not in later]
    apps = {app for app, _name in graph.nodes}
    return [(app, max((n for a, n in kept if a == app), default=None)) for app in sorted(apps)]


def _migrate_empty_database_to(nodes) -> None:
    """Drop every table (the migrations' record included) and migrate forward to `nodes`, in one plan."""
    with connection.constraint_checks_disabled(), connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cascade = " CASCADE" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)}{cascade}")
    executor = MigrationExecutor(connection)
    executor.migrate(nodes)


def _write_previous_database(dump: dict) -> None:
    """Empty every table of the previous layout and insert the dumped rows in the columns it has."""
    tables = _tables()
    with transaction.atomic():  # foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED)
        for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            connection.cursor().execute(sql)
        for table in tables:
            if table not in dump:
                continue
            present = set(_columns(table))
            cols, rows = dump[table]
            keep = [i for i, c in enumerate(cols) if c in present]
            if not rows:
                continue
            names = ", ".join(_quote(cols[i]) for i in keep)
            marks = ", ".join(["%s"] * len(keep))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {_quote(table)} ({names}) VALUES ({marks})", [[r[i] for i in keep] for r in rows]
                )


@pytest.mark.django_db(transaction=True)
def test_previous_layout_with_demo_data_migrates_to_territory_app():
    demo_snapshot.load_demo()
    magentino = Ambito.objects.get(slug="magentino")
    user_with_role("udp.migrazione", Ruolo.UFFICIO_PIANO, ambito=magentino)
    user_with_role("op.migrazione", Ruolo.OPERATORE, comune=Comune.objects.get(pk="015130"))
    # the data versions were added after that layout: they come back with their default
    Ambito.objects.update(versione_dati=0)
    PianoDiZona.objects.update(versione_dati=0)
    before = _dump()
    schema = _schema()  # on PostgreSQL created from the models (tests/demo_database.py), on SQLite by the migrations
    counts = {model: len(before[f"planning_{model}"][1]) for model in MOVED}
    assert counts["ambito"] >= 4
    assert counts["comune"] > 7000  # the whole ISTAT list
    assert counts["popolazione"] > 0
    ids = {model: ContentType.objects.get(app_label="territory", model=model).pk for model in MOVED}

    _migrate_empty_database_to(_previous_layout_nodes(PREVIOUS_LAYOUT))
    previous_columns = {table: set(_columns(table)) for table in _tables()}
    _write_previous_database(_as_previous_layout(before))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_content_type WHERE app_label = 'planning' AND model = 'comune'")
        assert cursor.fetchone()[0] == 1  # really the old layout
    call_command("migrate", verbosity=0, interactive=False)

    after = _dump()
    assert sorted(after) == sorted(before)
    assert _schema() == schema  # the migrations give the tables the models give: the test databases are faithful
    # every value the old layout held is kept (columns and tables of later features are filled by their migrations)
    old_names = {new: f"planning_{previous}" for new, previous in RENAMED.items()}
    for table, (cols, rows) in before.items():
        kept = previous_columns.get(old_names.get(table.removeprefix("planning_"), table), set())
        if not kept:
            continue
        names = [c for c in cols if c in kept]  # by name: the migrations may have put the columns in another order
        after_cols, after_rows = after[table]
        assert _project(after_rows, after_cols, names) == _project(rows, cols, names), (
            f"la tabella {table} è cambiata con la migrazione"
        )
    # the 20 Regioni, written by the migration (the flush of an earlier transactional test may have left fewer before)
    regioni = {row[1:] for row in after["territory_regione"][1]}
    assert len(regioni) == 20
    assert {row[1:] for row in before["territory_regione"][1]} <= regioni

    # The rows, read through the new models and their relations.
    assert {model: ContentType.objects.get(app_label="territory", model=model).pk for model in MOVED} == ids
    assert not ContentType.objects.filter(app_label="planning", model__in=MOVED).exists()
    assert Permission.objects.filter(content_type__app_label="territory", codename="change_comune").exists()
    assert Ambito.objects.count() == counts["ambito"]
    assert Comune.objects.count() == counts["comune"]
    assert Popolazione.objects.count() == counts["popolazione"]
    assert Comune.objects.get(pk="015130").ambito == magentino
    assert Popolazione.objects.filter(comune__ambito=magentino).exists()
    assert Assegnazione.objects.get(user__username="op.migrazione").comune.nome == "Magenta"
    assert Assegnazione.objects.get(user__username="udp.migrazione").ambito == magentino
    assert PianoDiZona.objects.filter(ambito=magentino).exists()
    assert Scheda.objects.filter(comune__ambito__slug="reggio-emilia").exists()
