"""Fixtures of the jobs tests: a kind of job that writes a small file, and the queue of a real worker."""

import pytest
from django.db import connection
from django_rq import get_queue

from jobs import registry
from tests import demo_snapshot
from tests.jobs.worker import TEST_REDIS_URL, tasks_settings
from tests.live_gunicorn import database_url


def write_hello(parametri, out, progress):
    progress(1, 2, "Preparazione")
    out.write_bytes(b"ciao " + parametri.get("nome", "mondo").encode())
    progress(2, 2, "Scrittura")
    return "saluto scritto"


@pytest.fixture
def hello_kind():
    """A registered kind «prova-saluto» that writes «ciao <nome>» in two steps."""
    registry.register("prova-saluto", run=write_hello, allowed=lambda parametri, user: True)
    yield "prova-saluto"
    registry._KINDS.pop("prova-saluto", None)


@pytest.fixture(params=["db", "rq"])
def worker_queue(request, transactional_db, settings):
    """The test process enqueues into the queue a real worker reads (database backend or RQ on Redis); the demo
    data is loaded and committed (the worker sees committed rows only). Yields (backend, database URL)."""
    backend = request.param
    for name, value in tasks_settings(backend).items():
        setattr(settings, name, value)
    if backend == "rq":
        settings.RQ_QUEUES = {"default": {"URL": TEST_REDIS_URL, "DEFAULT_TIMEOUT": 600}}
        get_queue("default").empty()
    demo_snapshot.load_demo()
    yield backend, database_url(connection)
    if backend == "rq":
        get_queue("default").empty()
