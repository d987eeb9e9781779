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
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urljoin

import requests
from django.urls import reverse

from scripts.gunicorn_process import free_port, wait_healthy
from tests.factories import TEST_PASSWORD
from tests.html_forms import page_forms

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
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


class LiveGunicorn:
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
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
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
        self._log = open(self.log_path, "w")  # noqa: SIM115 - open while gunicorn runs, closed in stop()
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        wait_healthy(self.process, self.base_url + reverse("portal:healthz"), self.log_tail, timeout=timeout)

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL after 10 s; returns when no process of the group is left."""
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            if not self.running():
                break
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + grace
            while self.running() and time.monotonic() < deadline:
                time.sleep(0.05)
        if not self._log.closed:
            self._log.close()

    def running(self) -> bool:
        """Whether a process of the server's group (master or worker) is still alive (zombies excluded)."""
        self.process.poll()  # reap the master
        pgid = self.process.pid
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        proc = Path("/proc")
        if not proc.is_dir():
            return True
        for stat in proc.glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":  # state, ppid, pgrp
                return True
        return False

    def log_tail(self, lines: int = 80) -> str:
        if not self._log.closed:
            self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

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
