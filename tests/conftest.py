"""Shared fixtures: the demo territory (loaded once per session), users per role, a real gunicorn server,
browser settings."""

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
import weasyprint
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django_tasks.signals import task_enqueued
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.models import Ruolo
from planning.models import PianoDiZona
from reports.piano.pdf import build_piano_pdf
from territory.models import Ambito, Comune
from tests import demo_database, demo_snapshot, long_tests_first
from tests.demo_database import shared_lock
from tests.factories import user_with_role
from tests.live_gunicorn import LiveGunicorn, database_url
from tests.reports.pdf_layout import header_breaks, header_cells, overflowing
from tests.two_sessions import sessions

# Hypothesis's "too slow" health check times the generation of inputs: with four test processes on two cores a
# process can stall for a second and fail a correct test. Timing belongs in the benchmarks (bench/), not in tests.
hypothesis_settings.register_profile("portale", suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("portale")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")


DEMO_PLAN = "magentino-2025-2027"  # the demo Piano di Zona (slug)

# The demo data of the session: loaded once; `flushed` when a transactional test ran (its teardown empties every
# table), then loaded again before the next test that runs in a rolled-back transaction (see pytest_runtest_setup).
_demo = {"blocker": None, "flushed": False}


def _load_demo() -> None:
    demo_snapshot.load_demo()


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings, tmp_path_factory
):
    """The test database with the ISTAT Comuni and the demo territory, once per process; each test runs in a
    rolled-back transaction. On PostgreSQL a copy of one template database built once per run
    (tests/demo_database.py), on SQLite Django's own creation (tables from the models) and the demo loaded."""
    _demo["blocker"] = django_db_blocker
    verbosity = request.config.option.verbose
    shared = _shared_folder(request, tmp_path_factory)
    with django_db_blocker.unblock():
        if demo_database.uses_template():
            config, built = demo_database.setup(shared, verbosity)
            demo_snapshot.remember()
        else:
            config, built = demo_database.setup_sqlite(verbosity), False
            _load_demo()
    yield
    with django_db_blocker.unblock():
        demo_database.teardown(config, built, shared, verbosity)


def _shared_folder(request, tmp_path_factory) -> Path:
    """The folder of this run shared by all its processes (pytest-xdist's workers)."""
    basetemp = tmp_path_factory.getbasetemp()
    return basetemp.parent if hasattr(request.config, "workerinput") else basetemp


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.MEDIA_ROOT = tmp_path / "media"  # generated reports of a test stay in its own folder
    # Jobs run in the request (django_tasks' ImmediateBackend); tests of "not in the request" use the DummyBackend,
    # tests with a real worker (tests/jobs/test_worker.py) the database backend or RQ.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Each test starts with an empty cache: its data are rolled back, so versions repeat from test to test.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test"}}
    cache.clear()


def demo_object(model, **lookup):
    """A fixture: the object of the demo data that `lookup` finds among the `model` objects."""

    @pytest.fixture
    def fixture(db):
        return model.objects.get(**lookup)

    return fixture


magentino = demo_object(Ambito, slug="magentino")
oglio_po = demo_object(Ambito, slug="oglio-po")
piano = demo_object(PianoDiZona, slug=DEMO_PLAN)  # the Piano di Zona 2025-2027 of the Magentino
piano_oglio = demo_object(PianoDiZona, slug="oglio-po-2021-2023")
magenta = demo_object(Comune, codice_istat="015130")
arluno = demo_object(Comune, nome="Arluno", sigla_provincia="MI")
reggio = demo_object(Comune, codice_istat="035033")


@pytest.fixture
def without_demo_campaigns(db):
    """The demo without its campaigns' schede (monitoring/campaigns/demo.py): the Magentino as monitoring/demo.py
    leaves it, with only Magenta's NID26 draft (tests written against that data)."""
    from tests.monitoring.campaigns.helpers import remove_demo_campaigns  # noqa: PLC0415 - models loaded by now

    remove_demo_campaigns()


@pytest.fixture
def admin_user(db):
    return user_with_role("amministratore", None)


@pytest.fixture
def udp_user(magentino):
    return user_with_role("udp", Ruolo.UFFICIO_PIANO, ambito=magentino)


@pytest.fixture
def dirigente_user(magentino):
    return user_with_role("dirigente", Ruolo.DIRIGENTE, ambito=magentino)


@pytest.fixture
def udp_oglio(oglio_po):
    return user_with_role("udp-oglio", Ruolo.UFFICIO_PIANO, ambito=oglio_po)


@pytest.fixture
def two_udp(udp_user, magentino):
    """Two members of the Ufficio di Piano of the Magentino, each with a session of their own (two-writer tests)."""

    return sessions(udp_user, user_with_role("udp2", Ruolo.UFFICIO_PIANO, ambito=magentino))


@pytest.fixture
def operatore_user(magenta):
    return user_with_role("operatore", Ruolo.OPERATORE, comune=magenta)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as user."""

    def make(user):
        client.force_login(user)
        return client

    return make


# --- A real server (gunicorn in a subprocess) for tests with simultaneous requests ----------------------


@pytest.fixture
def gunicorn_server(transactional_db, settings, tmp_path):
    """gunicorn config.wsgi (3 sync workers: requests really run at once) on the test database; yields LiveGunicorn.

    `gunicorn_server.client()` is a requests.Session on it with `login(username)`, `form(path, containing=...)`
    and relative URLs (see tests/live_gunicorn.py). The server uses tests/live_settings.py (DEBUG=1, the
    overrides of `test_settings`) and the test database: the `test_…` PostgreSQL database, or the SQLite file of
    DATABASES["default"]["TEST"]["NAME"].

    Data: the server sees only committed rows, hence `transactional_db` (no transaction around the test). Its
    teardown flushes every table, as for every transactional test, which removes the demo data that
    `django_db_setup` loaded once per session. Each transactional test of this suite loads the demo data it needs
    at setup (load_demo is idempotent, about 1 s when the data is there): this fixture does so before starting
    the server, so a test finds the demo territory and its schede as usual. The tests that run in a rolled-back
    transaction find the demo data again too: pytest-django runs them first, and `_restore_demo_data` reloads it
    if pytest has moved one after a transactional test. Users made by the test (factories, password
    TEST_PASSWORD) are committed and can log in; the server is stopped before the flush.
    """

    _load_demo()
    server = LiveGunicorn(database_url(connection), log_path=tmp_path / "gunicorn.log", media_root=settings.MEDIA_ROOT)
    with server:
        yield server
    print(f"--- gunicorn ({server.base_url}), ultime righe del log ---\n{server.log_tail()}")  # shown on failure


# --- Browser tests (pytest-playwright with Debian's Chromium) -----------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def pytest_collection_modifyitems(config, items):
    """In each xdist process (the same order in all), the longest test modules first: tests/long_tests_first.py."""
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    items[:] = long_tests_first.place(items, workers)


def pytest_runtest_setup(item):
    """Browser tests need Chromium; demo data again after a transactional test (before the test's fixtures)."""
    _require_browser(item)
    _restore_demo_data(item)


def _require_browser(item) -> None:
    """Browser tests need Debian's Chromium: skipped with a reason without it, failed when REQUIRE_BROWSER=1."""
    if "browser" not in item.keywords or CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 ma Chromium non è installato in {CHROMIUM}", pytrace=False)
    pytest.skip(f"Chromium non trovato in {CHROMIUM}: test nel browser saltati (apt-get install chromium)")


def _restore_demo_data(item) -> None:
    """A transactional test (transactional_db, live_server, gunicorn_server) ends with a flush of every table.

    pytest-django runs those tests after the others, but pytest can move a test earlier (tests sharing a
    session-scoped parameter, such as pytest-playwright's browser_name, are grouped together). So when a
    transactional test has run, the demo data is loaded again, committed, before the next test that runs in a
    rolled-back transaction and expects it; transactional tests load what they need themselves.
    """
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    if {"transactional_db", "live_server"} & set(names) or (marker and marker.kwargs.get("transaction")):
        _demo["flushed"] = True
    elif _demo["flushed"] and (marker or "db" in names) and _demo["blocker"] is not None:
        with _demo["blocker"].unblock():
            _load_demo()
        _demo["flushed"] = False


def pytest_sessionfinish(session):
    """The SQLite test file is removed at the end, but not its -wal/-shm files when a connection of another
    thread (live_server) was still open: remove them too."""

    if not django_settings.configured:
        return
    database = django_settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if database["ENGINE"] == "django.db.backends.sqlite3" and name and not Path(name).exists():
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


# --- The demo plan's PDF, rendered once per test run (WeasyPrint takes many seconds for its 90-odd pages) --------


@dataclass(frozen=True)
class RenderedPlan:
    """The demo plan's PDF and what its layout showed (tests/reports/pdf_layout.py), read from WeasyPrint's laid-out
    document when it was rendered."""

    data: bytes  # the PDF
    overflowing: list  # (page, box) beyond the right edge of the page
    header_breaks: list  # (page, «word|split») of the table header words broken without a hyphen
    n_headers: int  # table header cells seen (repeated on each page)


def _render_demo_plan() -> RenderedPlan:
    documents = []
    original = weasyprint.HTML.render

    def render(self, *args, **kwargs):
        documents.append(original(self, *args, **kwargs))
        return documents[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasyprint.HTML, "render", render)
        data = build_piano_pdf(PianoDiZona.objects.select_related("ambito").get(slug=DEMO_PLAN))
    document = documents[0]
    return RenderedPlan(data, overflowing(document), header_breaks(document), sum(1 for _ in header_cells(document)))


@pytest.fixture(scope="session")
def demo_plan_pdf(request, django_db_setup, django_db_blocker, tmp_path_factory) -> RenderedPlan:
    """The PDF of the demo Magentino plan as the demo data leaves it, shared by the modules that only read it:
    rendered by the first process that asks, kept in the folder shared by the run's processes (every process has
    the same demo data)."""
    folder = _shared_folder(request, tmp_path_factory)
    pdf, facts = folder / "demo-plan.pdf", folder / "demo-plan.json"
    with shared_lock(folder, "demo-plan"):
        if not pdf.exists():
            with django_db_blocker.unblock():
                plan = _render_demo_plan()
            facts.write_text(json.dumps([plan.overflowing, plan.header_breaks, plan.n_headers]))
            pdf.write_bytes(plan.data)  # last: its presence says the facts are written
    return RenderedPlan(pdf.read_bytes(), *json.loads(facts.read_text()))


@pytest.fixture
def enqueued():
    """The tasks enqueued during the test (from any thread)."""
    seen, lock = [], threading.Lock()

    def record(sender, task_result, **kwargs):
        with lock:
            seen.append(task_result.args)

    task_enqueued.connect(record, weak=False)
    yield seen
    task_enqueued.disconnect(record)


@pytest.fixture
def dummy_queue(settings):
    """The DummyBackend: tasks are recorded, never run (what the request does, without a worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
