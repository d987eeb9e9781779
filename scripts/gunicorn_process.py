"""Processes started for a check: a command in its own process group with its log (`Background`), gunicorn on a free
loopback port (`Gunicorn`), and the wait until `/healthz` answers.

Shared by the production smoke test (scripts/smoke_production.py and smoke_services.py, which import it as a sibling
module), the load benchmark (bench/load.py) and the tests' real server (tests/live_gunicorn.py, as
`scripts.gunicorn_process`). Only the standard library and requests.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


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


class Background:
    """`command` in its own process group, its output in `log_path`: stop() ends the whole group (SIGTERM, then
    SIGKILL after `grace` seconds) and returns when no process of it is left."""

    def __init__(
        self, name: str, command: list[str], *, env: dict, log_path: Path, grace: float = 15, append: bool = False
    ) -> None:
        self.name = name
        self.log_path = Path(log_path)
        self.grace = grace
        self._log = open(self.log_path, "a" if append else "w")  # noqa: SIM115 - open while it runs, closed in stop()
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def check_running(self) -> None:
        if self.process.poll() is not None:
            raise SystemExit(f"{self.name} terminato (codice {self.process.returncode}):\n{self.log_tail()}")

    def stop(self) -> None:
        for sig, grace in ((signal.SIGTERM, self.grace), (signal.SIGKILL, 5)):
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
        """Whether a process of the group (e.g. gunicorn's master or a worker) is still alive (zombies excluded)."""
        self.process.poll()  # reap the leader
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

    def log_tail(self, lines: int = 60) -> str:
        if not self._log.closed:
            self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


class Gunicorn(Background):
    """gunicorn config.wsgi on a free loopback port."""

    def __init__(
        self,
        env: dict,
        *,
        workers: int,
        log_path: Path,
        threads: int = 1,
        timeout: int = 120,
        health: str = "/healthz",
        config: Path | None = None,
    ) -> None:
        """`config`: a gunicorn configuration file (server hooks), none by default."""
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.health_url = self.base_url + health
        command = [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
        command += ["--threads", str(threads), "--timeout", str(timeout), "--graceful-timeout", "5"]
        if config is not None:
            command += ["--config", str(config)]
        super().__init__("gunicorn", command, env=env, log_path=log_path)

    def wait_healthy(self, timeout: float = 60, error: type[Exception] | type[SystemExit] = SystemExit) -> None:
        wait_healthy(self.process, self.health_url, self.log_tail, timeout=timeout, error=error)
