"""A real worker of the task queue in a subprocess, on the test database (the file or `test_…` database that
tests/live_gunicorn.py shares with gunicorn): `manage.py db_worker` (database backend) or `manage.py rqworker
default` (RQ on Redis at 127.0.0.1:6379, a database of its own for the tests). Its settings are
tests/live_settings.py; `step_delay` slows each progress step of a job (to kill the worker in the middle of it)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from scripts.gunicorn_process import Background
from tests.live_gunicorn import BASE_DIR

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
BACKENDS = ("db", "rq")


def tasks_settings(backend: str) -> dict:
    """TASKS (and RQ_QUEUES for «rq») of the test process: the same queue as the worker's."""
    if backend == "rq":
        return {
            "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
            "RQ_QUEUES": {"default": {"URL": TEST_REDIS_URL, "DEFAULT_TIMEOUT": 600}},
        }
    return {"TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}}


def command(backend: str) -> list[str]:
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    if backend == "rq":
        return [*manage, "rqworker", "default"]
    return [*manage, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]


class LiveWorker(Background):
    """The worker process (its own process group: `kill()` sends SIGKILL to the worker and its children)."""

    def __init__(
        self, backend: str, database_url: str, *, log_path: Path, media_root: Path, step_delay: float = 0
    ) -> None:
        self.backend = backend
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.live_settings",
            "DEBUG": "1",
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
            "LIVE_MEDIA_ROOT": str(media_root),
            "LIVE_TASKS_BACKEND": backend,
            "LIVE_REDIS_URL": TEST_REDIS_URL,
            "LIVE_JOBS_STEP_DELAY": str(step_delay),
            "LIVE_JOBS_HEARTBEAT_INTERVAL": "1",
        }
        super().__init__(f"worker {backend}", command(backend), env=env, log_path=log_path, grace=10, append=True)

    def _signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL to the worker and every process it started (RQ's work horse runs in a session of its own): the
        worker dies in the middle of its job, as when its container is killed."""
        for pid in [self.process.pid, *descendants(self.process.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        leftovers = descendants(self.process.pid)
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._signal_group(signal.SIGKILL)
        for pid in leftovers:  # children in a session of their own (the RQ work horse)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if not self._log.closed:
            self._log.close()

    def __enter__(self) -> LiveWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def descendants(pid: int) -> list[int]:
    """The processes started by `pid`, at any depth (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def wait_for(condition, *, timeout: float, what: str, log=None):
    """Poll `condition()` until it returns something true; AssertionError (with the worker's log) after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: non avvenuto in {timeout:.0f} s\n{log() if log else ''}")
