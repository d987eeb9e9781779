"""The processes of the production smoke test (scripts/smoke_production.py): gunicorn, and the task queue's RQ
worker and watchdog as services beside it (README, «Coda dei lavori»), and a Piano di Zona PDF downloaded through
its progress page.

The services run with TASKS_BACKEND=rq and REDIS_URL (Redis at 127.0.0.1:6379, database 14 unless SMOKE_REDIS_URL
is set; the queue «default» of that database is emptied first).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import requests
from gunicorn_process import wait_healthy

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = BASE_DIR / ".venv" / "bin" / "python"
GUNICORN = BASE_DIR / ".venv" / "bin" / "gunicorn"
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/14")
PDF_PATH = "/report/piani-di-zona/magentino-2025-2027/piano-di-zona.pdf"


class Gunicorn:
    """gunicorn config.wsgi on loopback, in its own process group (stop() ends the master and every worker)."""

    def __init__(self, env: dict, port: int, workers: int, log_path: Path) -> None:
        self.base_url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.log_file = open(log_path, "w")  # noqa: SIM115 - open while gunicorn runs, closed in stop()
        bind = f"127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(GUNICORN), "config.wsgi", "--bind", bind, "--workers", str(workers), "--timeout", "120"],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends the master and every worker
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        wait_healthy(self.process, self.base_url + "/healthz", self.log_tail, timeout=timeout, error=SystemExit)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except ProcessLookupError:
                pass
        self.log_file.close()

    def log_tail(self, lines: int = 60) -> str:
        self.log_file.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def queue_env(env: dict) -> dict:
    """The environment of gunicorn, the worker and the watchdog: RQ on Redis."""
    return {**env, "TASKS_BACKEND": "rq", "REDIS_URL": REDIS_URL}


def empty_queue(env: dict) -> None:
    code = "import django_rq; django_rq.get_queue('default').empty()"
    subprocess.run(
        [str(PYTHON), "-c", f"import django; django.setup(); {code}"], cwd=BASE_DIR, env=env, check=True, timeout=60
    )


class Service:
    """`manage.py <command>` in its own process group, its output in a log file."""

    def __init__(self, name: str, env: dict, args: list[str], log_path: Path) -> None:
        self.name = name
        self.log_path = log_path
        self.log_file = open(log_path, "w")  # noqa: SIM115 - open while the service runs, closed in stop()
        self.process = subprocess.Popen(
            [str(PYTHON), "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def check_running(self) -> None:
        if self.process.poll() is not None:
            raise SystemExit(f"{self.name} terminato (codice {self.process.returncode}):\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM (RQ finishes its job: warm shutdown), SIGKILL after 20 s."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except ProcessLookupError:
                pass
        self.log_file.close()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_file.closed:
            self.log_file.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def start_services(env: dict, workdir: Path) -> list[Service]:
    empty_queue(env)
    return [
        Service("worker RQ", env, ["rqworker", "default"], workdir / "worker.log"),
        Service("watchdog", env, ["jobs_watchdog"], workdir / "watchdog.log"),
    ]


def stop_services(services: list[Service], *, show_logs: bool) -> None:
    for service in services:
        if show_logs:
            print(f"--- {service.name} (ultime righe) ---\n{service.log_tail()}", flush=True)
        service.stop()


def download_pdf_through_progress_page(session: requests.Session, base_url: str, timeout: float = 300) -> list[str]:
    """Ask for the Piano di Zona PDF, follow its progress page until ready, download it; the problems found."""
    response = session.get(base_url + PDF_PATH, allow_redirects=False, timeout=60)
    if response.status_code != 302 or "/attivita/" not in response.headers.get("Location", ""):
        return [f"PDF del piano: atteso il rinvio alla pagina di avanzamento, ottenuto {response.status_code}"]
    progress_url = urljoin(base_url + PDF_PATH, response.headers["Location"])
    page = session.get(progress_url, timeout=60)
    if page.status_code != 200 or ("data-status-url" not in page.text and "Il file è pronto" not in page.text):
        return [f"pagina di avanzamento {progress_url}: {page.status_code}, senza avanzamento"]
    status_url = progress_url.rstrip("/") + "/stato/"
    deadline, status = time.monotonic() + timeout, {}
    while time.monotonic() < deadline:
        status = session.get(status_url, timeout=60).json()
        if status["stato"] in ("pronto", "errore"):
            break
        time.sleep(1)
    if status.get("stato") != "pronto" or "download_url" not in status:
        return [f"PDF del piano non pronto dopo {timeout:.0f} s: {status}"]
    pdf = session.get(urljoin(base_url, status["download_url"]), timeout=60)
    if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF"):
        return [f"download del PDF: {pdf.status_code}, {pdf.content[:20]!r}"]
    print(f"PDF del Piano di Zona dalla coda RQ: {len(pdf.content) // 1024} KiB, passo {status['passo']} di "
          f"{status['passi']}, tentativi {status['tentativi']}", flush=True)  # fmt: skip
    return []
