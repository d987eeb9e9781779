"""Load benchmark: the pages of an Ambito under gunicorn with production settings, against /healthz.

Usage: python bench/load.py [--duration 15] [--connections 50] [--workers 3] [--reuse]
       [--database-url postgres://postgres@127.0.0.1:5432/portale_load]

What it does, with DEBUG=0, persistent database connections (DB_CONN_MAX_AGE=60, the production default) and a
random SECRET_KEY, as scripts/smoke_production.py does:
  1. recreates the PostgreSQL database (its name must contain «load»; --reuse keeps it and its data), migrates,
     loads the demo data with the demo users (load_demo) and collects the static files;
  2. starts gunicorn config.wsgi with --workers sync workers on a free loopback port, in its own process group;
  3. logs in as the demo Ufficio di Piano of the Magentino through the real login form;
  4. drives each page with wrk (Debian package `wrk`), --connections connections for --duration seconds, one page
     after the other, with the session cookie: /healthz (the floor: no session, no query), the Ambito dashboard
     (Report), the Ambito page (Territorio) and a quadro page of the Magenta NID26 scheda;
  5. prints requests per second, mean and 99th percentile latency and errors (any status other than 2xx, and
     socket errors) of each page next to /healthz, with the ratio; target: each page at least 1/3 of /healthz's
     requests per second, with 0 errors. gunicorn is stopped at the end, also on failure.
Requests carry `X-Forwarded-Proto: https`: the client plays the TLS proxy of a real deployment (SECURE_SSL_REDIRECT
stays on). Exit status 1 when a page misses the target.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
import requests
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / "gunicorn"
USERNAME = "udp.magentino"
TARGET_RATIO = 1 / 3
# The URLs of the pages, from the project's URLconf and the demo data (printed by manage.py shell).
URLS_SCRIPT = """
from django.urls import reverse
from monitoring.models import Scheda
scheda = Scheda.objects.filter(comune__nome="Magenta", modello__codice__startswith="NID").order_by("pk").first()
print(reverse("reports:dashboard", args=["magentino"]))
print(reverse("planning:ambito_detail", args=["magentino"]))
print(reverse("monitoring:quadro", args=[scheda.pk, 1]))
"""
# wrk counts every response outside 2xx (a redirect to the login page is an error here) and prints one line.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) errors = 0 end
function response(status, headers, body) if status < 200 or status > 299 then errors = errors + 1 end end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("errors") end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %.1f %.1f\\n", summary.requests, summary.duration, bad,
    e.connect + e.read + e.write + e.timeout, latency.mean, latency:percentile(99)))
end
"""


def log(message: str) -> None:
    print(message, flush=True)


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    non_2xx: int
    socket_errors: int
    mean_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} fallito (codice {result.returncode})")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(database_url: str) -> None:
    parts = urlsplit(database_url)
    name = unquote(parts.path.lstrip("/"))
    if parts.scheme not in {"postgres", "postgresql"} or "load" not in name:
        raise SystemExit(f"Il database della prova deve essere PostgreSQL e avere «load» nel nome: {name!r}")
    conninfo = {"host": parts.hostname or "127.0.0.1", "port": parts.port or 5432, "dbname": "postgres"}
    conninfo["user"] = unquote(parts.username or "postgres")
    with psycopg.connect(**conninfo, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


class Gunicorn:
    """gunicorn in its own process group (stop() ends the master and every worker)."""

    def __init__(self, env: dict, workers: int, log_path: Path) -> None:
        self.base_url = f"http://127.0.0.1:{free_port()}"
        self.log_path = log_path
        self.log_file = open(log_path, "w")  # noqa: SIM115 - open while gunicorn runs, closed in stop()
        command = [str(GUNICORN), "config.wsgi", "--bind", self.base_url.removeprefix("http://")]
        self.process = subprocess.Popen(
            [*command, "--workers", str(workers), "--timeout", "60"],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn terminato subito:\n{self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn non risponde su /healthz")

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


def log_in(base_url: str, password: str) -> str:
    """The Cookie header of a session of the demo user, through the real login form."""
    login = base_url + "/accesso/"
    proxy = {"X-Forwarded-Proto": "https"}
    page = requests.get(login, headers=proxy, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None or "csrftoken" not in page.cookies:
        raise SystemExit(f"modulo di accesso senza token CSRF (stato {page.status_code})")
    data = {"username": USERNAME, "password": password, "csrfmiddlewaretoken": token.group(1)}
    origin = "https://" + urlsplit(base_url).netloc
    headers = {**proxy, "Origin": origin, "Referer": login, "Cookie": f"csrftoken={page.cookies['csrftoken']}"}
    # the cookies are Secure (TLS ends at the proxy): they are read from the responses and sent by hand
    response = requests.post(login, data=data, headers=headers, allow_redirects=False, timeout=30)
    if response.status_code != 302 or "sessionid" not in response.cookies:
        raise SystemExit(f"accesso di {USERNAME} non riuscito (stato {response.status_code})")
    return f"sessionid={response.cookies['sessionid']}"


def drive(name: str, url: str, cookie: str, args: argparse.Namespace, script: Path) -> Result:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "30s"]
    command += ["-s", str(script), "-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    requests_, micros, non_2xx, socket_errors, mean_us, p99_us = line.split()[1:]
    return Result(
        name, int(requests_), int(micros) / 1e6, int(non_2xx), int(socket_errors), float(mean_us) / 1000,
        float(p99_us) / 1000,
    )  # fmt: skip


def check_page(url: str, cookie: str) -> None:
    response = requests.get(url, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"}, timeout=60)
    if response.status_code != 200:
        raise SystemExit(f"{url}: stato {response.status_code} prima della prova di carico")


def report(results: list[Result]) -> bool:
    floor = results[0]
    log(f"\n{'pagina':<34} {'req/s':>8} {'media ms':>9} {'p99 ms':>8} {'errori':>7} {'rapporto':>9}")
    ok = True
    for r in results:
        ratio = r.rps / floor.rps if floor.rps else 0.0
        missed = r is not floor and (ratio < TARGET_RATIO or r.errors)
        ok = ok and not missed and not r.errors
        mark = "  SOTTO L'OBIETTIVO" if missed else ""
        log(f"{r.name:<34} {r.rps:>8.1f} {r.mean_ms:>9.1f} {r.p99_ms:>8.1f} {r.errors:>7} {ratio:>8.2f}x{mark}")
    log(f"(obiettivo: ogni pagina almeno {TARGET_RATIO:.2f}x le richieste al secondo di /healthz, 0 errori)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portale_load")
    parser.add_argument("--reuse", action="store_true", help="keep the database and its demo data")
    parser.add_argument("--duration", type=int, default=15, help="seconds per page")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk non è installato (Debian: apt-get install -y wrk)")

    workdir = Path(tempfile.mkdtemp(prefix="portale-load-"))
    password = secrets.token_urlsafe(12)
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": args.database_url, "DB_CONN_MAX_AGE": "60", "DEMO_PASSWORD": password,
        "STATIC_ROOT": str(workdir / "staticfiles"), "MEDIA_ROOT": str(workdir / "media"), "PYTHONUNBUFFERED": "1",
    }  # fmt: skip
    script = workdir / "count.lua"
    script.write_text(WRK_SCRIPT)
    credentials = BASE_DIR / ".demo-credentials.json"  # written by load_demo: restored at the end
    credentials_backup = credentials.read_bytes() if credentials.exists() else None
    server = None
    try:
        if not args.reuse:
            recreate_database(args.database_url)
            log("Database ricreato; migrate e load_demo…")
            manage(env, "migrate", "--noinput")
        manage(env, "load_demo")  # idempotent; sets the demo users' password to DEMO_PASSWORD
        manage(env, "collectstatic", "--noinput")
        output = manage(env, "shell", "--no-imports", "-c", URLS_SCRIPT).split()
        dashboard, ambito, quadro = [line for line in output if line.startswith("/")]
        server = Gunicorn(env, args.workers, workdir / "gunicorn.log")
        server.wait_healthy()
        cookie = log_in(server.base_url, password)
        pages = [
            ("/healthz (pavimento)", "/healthz", ""),
            ("cruscotto dell'Ambito", dashboard, cookie),
            ("pagina dell'Ambito", ambito, cookie),
            ("quadro 1 di una scheda NID26", quadro, cookie),
        ]
        for _name, path, page_cookie in pages[1:]:
            check_page(server.base_url + path, page_cookie)
        log(
            f"gunicorn {args.workers} worker, connessioni persistenti al database; wrk {args.connections} "
            f"connessioni per {args.duration} s per pagina, su {server.base_url}"
        )
        results = [drive(name, server.base_url + path, c, args, script) for name, path, c in pages]
    finally:
        if server is not None:
            server.stop()
        if credentials_backup is None:
            credentials.unlink(missing_ok=True)
        else:
            credentials.write_bytes(credentials_backup)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if report(results) else 1


if __name__ == "__main__":
    sys.exit(main())
