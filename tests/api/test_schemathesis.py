"""Property-based tests of the API from its own OpenAPI document (schemathesis) against a live gunicorn server.

Every operation gets up to MAX_EXAMPLES generated requests (derandomized: the same ones on every run) with a valid
token of the Amministratore and, when its path has parameters, MAX_EXAMPLES_REAL more with the codes of real demo
objects in the path (so that filters, pagination and writes reach real rows). Checks: no 5xx, status codes and
bodies as documented.
"""

import time
from collections import Counter

import pytest
import schemathesis
from django.db import connection
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from api.services import token_create
from monitoring.models import Campagna
from planning.models import Intervento
from tests import demo_snapshot
from tests.factories import user_with_role
from tests.live_gunicorn import LiveGunicorn, database_url

MAX_EXAMPLES = 20  # generated path values (and everything else)
MAX_EXAMPLES_REAL = 10  # the codes of real demo objects in the path, the rest generated
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
PIANO = "magentino-2025-2027"


@pytest.fixture
def api_server(transactional_db, tmp_path):
    """gunicorn on the test database with the demo data, the rate limit out of the way."""
    demo_snapshot.load_demo()
    server = LiveGunicorn(
        database_url(connection), log_path=tmp_path / "gunicorn.log", workers=2, extra_env={"API_RATE": "100000/min"}
    )
    with server:
        yield server
    print(f"--- gunicorn ({server.base_url}), ultime righe del log ---\n{server.log_tail()}")  # shown on failure


def _real_path_values(path: str) -> dict:
    """Path values naming demo objects the token's user sees."""
    values = {
        "modello": "NID26",
        "anno": 2025,
        "codice_istat": "015130",
        "slug": PIANO if path.startswith("/api/v1/piani") else "magentino",
        "intervento_id": Intervento.objects.filter(piano__slug=PIANO).values_list("pk", flat=True).first(),
        "campagna_id": Campagna.objects.values_list("pk", flat=True).first(),
    }
    return {name: value for name, value in values.items() if "{" + name + "}" in path}


def _run(operation, base_url: str, headers: dict, path_values: dict, statuses: Counter) -> None:
    @given(case=operation.as_strategy(path_parameters=path_values or None))
    @settings(
        max_examples=MAX_EXAMPLES_REAL if path_values else MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS, timeout=30)
        statuses[response.status_code] += 1

    check()


def test_schemathesis_finds_no_failure(api_server):
    admin = user_with_role("schemathesis", None)
    headers = {"Authorization": f"Bearer {token_create(user=admin, nome='schemathesis').segreto}"}
    schema = schemathesis.openapi.from_url(f"{api_server.base_url}/api/v1/openapi.json")
    failures, runs, statuses = [], 0, Counter()
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        real = _real_path_values(operation.path)
        for path_values in ({}, real) if real else ({},):
            runs += 1
            try:
                _run(operation, api_server.base_url, headers, path_values, statuses)
            except Exception as exc:  # collected: every operation is tried, then all failures are shown
                failures.append(f"{operation.label} {path_values or ''}: {exc}")
    print(
        f"schemathesis: {runs} runs, {sum(statuses.values())} requests {dict(statuses)}, "
        f"{time.monotonic() - started:.0f} s"
    )
    assert runs >= 21
    assert {200, 404, 422} <= set(statuses)  # real rows read, unknown codes refused, invalid values refused
    assert not failures, "\n\n".join(failures)
