"""gunicorn started for a check: a free loopback port and the wait until `/healthz` answers.

Shared by the production smoke test (scripts/smoke_production.py, which imports it as a sibling module) and the
tests' real server (tests/live_gunicorn.py, as `scripts.gunicorn_process`). Only the standard library and requests.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(
    process: subprocess.Popen,
    health_url: str,
    log_tail: Callable[[], str],
    *,
    timeout: float = 60,
    error: type[Exception] | type[SystemExit] = RuntimeError,
) -> None:
    """Return once `health_url` answers 200; raise `error` with the log's tail if gunicorn ends or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise error(f"gunicorn terminato subito (codice {process.returncode}):\n{log_tail()}")
        try:
            if requests.get(health_url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise error(f"gunicorn non risponde su /healthz dopo {timeout:.0f} s:\n{log_tail()}")
