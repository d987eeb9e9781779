"""The processes of the production smoke test (scripts/smoke_production.py): gunicorn, and the task queue's RQ
worker, watchdog and the scheduler of the campaign reminders as services beside it (README, «Coda dei lavori»), and
a Piano di Zona PDF downloaded through its progress page.

The services run with TASKS_BACKEND=rq and REDIS_URL (Redis at 127.0.0.1:6379, database 14 unless SMOKE_REDIS_URL
is set; the queue «default» of that database is emptied first).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import requests
from gunicorn_process import Background

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = BASE_DIR / ".venv" / "bin" / "python"
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/14")
PDF_PATH = "/report/piani-di-zona/magentino-2025-2027/piano-di-zona.pdf"


def queue_env(env: dict) -> dict:
    """The environment of gunicorn, the worker and the watchdog: RQ on Redis."""
    return {**env, "TASKS_BACKEND": "rq", "REDIS_URL": REDIS_URL}


def empty_queue(env: dict) -> None:
    code = "import django_rq; django_rq.get_queue('default').empty()"
    subprocess.run(
        [str(PYTHON), "-c", f"import django; django.setup(); {code}"], cwd=BASE_DIR, env=env, check=True, timeout=60
    )


def service(name: str, env: dict, args: list[str], log_path: Path) -> Background:
    """`manage.py <args>` in its own process group (SIGTERM lets RQ finish its job: warm shutdown, 20 s)."""
    return Background(name, [str(PYTHON), "manage.py", *args], env=env, log_path=log_path, grace=20)


def start_services(env: dict, workdir: Path) -> list[Background]:
    empty_queue(env)
    return [
        service("worker RQ", env, ["rqworker", "default"], workdir / "worker.log"),
        service("watchdog", env, ["jobs_watchdog"], workdir / "watchdog.log"),
        service("promemoria", env, ["pianifica_promemoria"], workdir / "promemoria.log"),
    ]


def stop_services(services: list[Background], *, show_logs: bool) -> None:
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
