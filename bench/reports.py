"""Benchmark of the Piano di Zona downloads: the Magentino 2025-2027 PDF cold and cached, and the Excel workbook;
the cached downloads side by side with /healthz (time and queries, same client, same run, asked in turn).

Usage: .venv/bin/python bench/reports.py [--runs 20]
Runs on a throw-away SQLite database with the demo data (load_demo) unless DATABASE_URL is set (then it uses
that database and needs the demo data loaded). Generated files go to a temporary MEDIA_ROOT. The downloads go
through the real view (fingerprint of the data, cache lookup, generation in the request: the immediate
task backend), as the button does, as the Ufficio di Piano of the Magentino (not a superuser: its grants are read).
Targets on a 2-core machine: PDF under 10 s cold, workbook under 2 s; a cached download (PDF or workbook) within
3x /healthz and at most 5 queries (session, user, grants, the plan with its Ambito, the job of the data versions' key).
"""

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from harness import setup_django

FRESH_DB = setup_django()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from accounts.models import Assegnazione, Ruolo
from jobs.models import Job
from planning.models import PianoDiZona
from reports.piano.fingerprint import piano_fingerprint
from reports.piano.xlsx.workbook import build_piano_xlsx

SLUG = "magentino-2025-2027"
PDF_URL = f"/report/piani-di-zona/{SLUG}/piano-di-zona.pdf"
XLSX_URL = f"/report/piani-di-zona/{SLUG}/piano-di-zona.xlsx"


HEALTHZ_URL = "/healthz"
CACHED_RATIO = 3
CACHED_QUERIES = 5


def download(client, url) -> tuple[float, bytes]:
    """The time and content of a download; a first request is redirected to the progress page of its job (built at
    once here by the immediate task backend): the time then includes the second request that serves the file."""
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code == 302:
        response = client.get(url)
    data = b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, data


def queries_of(client, url: str) -> int:
    """The queries of one GET of `url`."""
    reset_queries()  # the log keeps at most 9,000 queries: a full one would count none
    with CaptureQueriesContext(connection) as queries:
        download(client, url)
    return len(queries)


def side_by_side(client, runs: int) -> None:
    """The cached downloads next to /healthz, in the same run: asked in turn (healthz, PDF, workbook, again), so
    that a slower or busier moment of the machine weighs on the floor and on the downloads alike."""
    urls = {"/healthz (pavimento)": HEALTHZ_URL, "PDF dalla cache": PDF_URL, "XLSX dalla cache": XLSX_URL}
    times: dict[str, list[float]] = {name: [] for name in urls}
    counts = {name: queries_of(client, url) for name, url in urls.items()}
    for _ in range(runs):
        for name, url in urls.items():
            times[name].append(download(client, url)[0])
    rows = [(name, times[name], counts[name]) for name in urls]
    floor = times["/healthz (pavimento)"]
    base = statistics.median(floor)
    print(f"{'':<22} {'mediana':>9} {'massimo':>9} {'query':>6} {'rapporto':>9}")
    for name, values, n in rows:
        median = statistics.median(values)
        ratio = median / base
        within = name.startswith("/healthz") or (ratio <= CACHED_RATIO and n <= CACHED_QUERIES)
        flag = "" if within else "  FUORI OBIETTIVO"
        print(f"{name:<22} {median * 1000:>7.2f}ms {max(values) * 1000:>7.2f}ms {n:>6} {ratio:>8.1f}x{flag}")
    print(f"(obiettivo: dalla cache entro {CACHED_RATIO}x /healthz e al massimo {CACHED_QUERIES} query)")


def ms(values: list[float]) -> str:
    return f"mediana {statistics.median(values) * 1000:.1f} ms, massimo {max(values) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    # override_settings sends setting_changed, so the task backends already loaded are rebuilt
    override_settings(
        MEDIA_ROOT=Path(tempfile.mkdtemp()),
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    ).enable()
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); file in {settings.MEDIA_ROOT}")
    if FRESH_DB:
        call_command("migrate", verbosity=0)
        call_command("load_demo", "--no-users", verbosity=0)
    piano = PianoDiZona.objects.select_related("ambito").get(slug=SLUG)
    Job.objects.filter(kind__startswith="piano-di-zona").delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-udp-report")
    Assegnazione.objects.get_or_create(user=user, ruolo=Ruolo.UFFICIO_PIANO, ambito=piano.ambito)
    client = Client()
    client.force_login(user)

    fingerprints = []
    for _ in range(args.runs):
        started = time.perf_counter()
        piano_fingerprint(piano)
        fingerprints.append(time.perf_counter() - started)
    print(f"Impronta dei dati del piano: {ms(fingerprints)}")

    cold, pdf = download(client, PDF_URL)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"PDF Piano di Zona, a freddo: {cold:.2f} s, {pages} pagine, {len(pdf) / 1024:.0f} KiB (obiettivo < 10 s)")
    cached = [download(client, PDF_URL)[0] for _ in range(args.runs)]
    print(f"PDF Piano di Zona, dalla cache: {ms(cached)} (obiettivo < 100 ms)")

    cold_x, xlsx = download(client, XLSX_URL)
    print(f"XLSX Piano di Zona, a freddo: {cold_x * 1000:.0f} ms, {len(xlsx) / 1024:.0f} KiB (obiettivo < 2 s)")
    builds = []
    for _ in range(max(3, args.runs // 4)):
        started = time.perf_counter()
        build_piano_xlsx(piano)
        builds.append(time.perf_counter() - started)
    print(f"XLSX Piano di Zona, sola generazione: {ms(builds)}")
    cached_x = [download(client, XLSX_URL)[0] for _ in range(args.runs)]
    print(f"XLSX Piano di Zona, dalla cache: {ms(cached_x)}")
    print()
    side_by_side(client, args.runs * 5)

    Job.objects.filter(richieste__utente=user).delete()
    user.delete()


if __name__ == "__main__":
    main()
