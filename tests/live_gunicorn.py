"""A real gunicorn server on the test database, and a `requests` client that uses the real login form and forms.

For tests where two requests must really run at the same time (two writers, locks, conflicts): Django's test
client and `live_server` run one request at a time in the test process; this runs `gunicorn config.wsgi` with
several worker processes against the database that pytest-django created (`test_<name>` on PostgreSQL, the test
file of DATABASES["default"]["TEST"]["NAME"] on SQLite). Use it through the `gunicorn_server` fixture of
tests/conftest.py:

    def test_two_writers(gunicorn_server):
        a, b = gunicorn_server.client(), gunicorn_server.client()
        a.login("user-a")                      # a user made by the test (factories password: TEST_PASSWORD)
        fields = a.form("/some/page/", containing="version")   # every field of that form, csrf token included
        response = a.post("/some/page/", data={**fields, "name": "value"})   # no redirect followed: 302 visible
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, urljoin

import requests
from django.urls import reverse

from scripts.gunicorn_process import Gunicorn
from tests.factories import TEST_PASSWORD
from tests.html_forms import page_forms

BASE_DIR = Path(__file__).resolve().parent.parent
LOGIN_PATH = reverse("login")


def database_url(connection) -> str:
    """DATABASE_URL of the test database of `connection` (call it after pytest-django created the database)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(s["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            raise RuntimeError("Il database di test SQLite è in memoria: serve DATABASES['default']['TEST']['NAME']")
        return f"sqlite:///{name}"
    if connection.vendor == "postgresql":
        auth = quote(s["USER"] or "", safe="")
        if s["PASSWORD"]:
            auth += ":" + quote(s["PASSWORD"], safe="")
        host = s["HOST"] or "127.0.0.1"
        port = s["PORT"] or 5432
        return f"postgres://{auth}@{host}:{port}/{quote(s['NAME'], safe='')}"
    raise RuntimeError(f"gunicorn_server: database {connection.vendor} non gestito")


class LiveGunicorn(Gunicorn):
    """gunicorn config.wsgi on a free loopback port, in its own process group (stop() ends every worker)."""

    def __init__(
        self,
        database_url: str,
        *,
        log_path: Path,
        workers: int = 3,
        threads: int = 1,
        media_root: Path | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.live_settings",
            "DEBUG": "1",
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
        }
        if media_root is not None:
            env["LIVE_MEDIA_ROOT"] = str(media_root)
        env.update(extra_env or {})
        super().__init__(
            env, workers=workers, threads=threads, log_path=log_path, timeout=60, health=reverse("portal:healthz")
        )
        self.grace = 10

    def wait_healthy(self, timeout: float = 60, error: type[Exception] | type[SystemExit] = RuntimeError) -> None:
        super().wait_healthy(timeout, error)

    def log_tail(self, lines: int = 80) -> str:
        return super().log_tail(lines)

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path)

    def client(self) -> LiveClient:
        """A new browser-like session (own cookies) on this server."""
        return LiveClient(self.base_url)

    def __enter__(self) -> LiveGunicorn:
        try:
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --- Client -------------------------------------------------------------------------------------------------


class LiveClient(requests.Session):
    """requests.Session on one server: relative URLs, redirects not followed, a 60 s timeout."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 60)
        return super().request(method, urljoin(self.base_url + "/", url), *args, **kwargs)

    def form(self, path: str, *, containing: str = "csrfmiddlewaretoken") -> dict[str, str]:
        """The fields of the first POST form of the page at `path` with a field named `containing`."""
        response = self.get(path)
        if response.status_code != 200:
            raise AssertionError(f"GET {path} -> {response.status_code}")
        for form in page_forms(response.text):
            if form["method"] == "post" and containing in form["fields"]:
                return dict(form["fields"])
        raise AssertionError(f"GET {path}: nessun modulo POST con il campo {containing!r}")

    def login(self, username: str, password: str = TEST_PASSWORD) -> None:
        """Log in through the real login form (csrf token, POST, redirect to the home page)."""
        fields = self.form(LOGIN_PATH, containing="username")
        fields.update(username=username, password=password)
        response = self.post(LOGIN_PATH, data=fields)
        if response.status_code != 302:
            raise AssertionError(f"accesso di {username} rifiutato: POST {LOGIN_PATH} -> {response.status_code}")
        home = self.get(response.headers["Location"])
        if home.status_code != 200:
            raise AssertionError(f"dopo l'accesso di {username}: {home.url} -> {home.status_code}")
