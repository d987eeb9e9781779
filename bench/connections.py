"""Benchmark of database connections under gunicorn: /healthz with a new PostgreSQL connection per request
(DB_CONN_MAX_AGE=0) against persistent connections (the production default, 60 s with health checks).

Usage: .venv/bin/python bench/connections.py [--database-url postgres://postgres@127.0.0.1:5432/portale_bench]
       [--seconds 10] [--connections 50] [--workers 3]
Needs `wrk` (Debian package) and a reachable PostgreSQL database (created if missing, tables migrated).
Prints requests per second side by side; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import urlopen

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_gunicorn import GUNICORN, free_port


def ensure_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run(env: dict, args, conn_max_age: int) -> float:
    port = free_port()
    env = {**env, "DB_CONN_MAX_AGE": str(conn_max_age)}
    server = subprocess.Popen(
        [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                if urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", f"http://127.0.0.1:{port}/healthz"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if errors:
            print(f"  attenzione: {errors.group(1)} risposte non 2xx con DB_CONN_MAX_AGE={conn_max_age}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portale_bench")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("Serve wrk: apt-get install wrk")
    ensure_database(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    fresh = run(env, args, 0)
    persistent = run(env, args, 60)
    print(f"/healthz, gunicorn {args.workers} worker, {args.connections} connessioni, {args.seconds} s (wrk)")
    print(f"  {'connessione nuova per richiesta (DB_CONN_MAX_AGE=0)':<58} {fresh:8.0f} req/s")
    print(f"  {'connessioni persistenti (predefinito, 60 s + health check)':<58} {persistent:8.0f} req/s")
    print(f"  rapporto {persistent / fresh:.1f}×")


if __name__ == "__main__":
    main()
