"""Benchmark at national scale: synthetic Ambiti of 150, 1,500 and 7,896 Comuni, each Comune with three years of
population and one NID26 and one SOC26 scheda (values of the demo schede of Reggio nell'Emilia).

For each size, side by side with its floor, in the same run:
- the dashboard (reports:dashboard), the schede overview (monitoring:overview) and the Ambito page
  (planning:ambito_detail): median time and query count, against /healthz; and the overview when the Ambito's
  rollup of the schede is stale and rebuilt (the first request after a write that did not keep it, monitoring.rollup);
- recompute-all of the Ambito's schede against the engine alone on the same values (timed right before and right
  after it), with peak memory;
- the bulk export of the schede against openpyxl's raw write-only dump of the same cells, with peak memory.
Peak memory is the peak RSS (VmHWM) of a subprocess that runs only that operation.

Usage: .venv/bin/python bench/scale.py [--sizes 150,1500,7896] [--runs 5] [--uncached] [--after-save] [--pages-only]
--uncached times the pages without any cache (every request builds its data and the page's frame: the cold figure);
--after-save times each page as the first request after a save of a value of one of the Ambito's schede (the
  caches of the Ambito's data are out of date, the rest is as users find it);
Each page is timed against /healthz asked alone right before the page's runs (30 requests in a row: the floor of
the targets) and against /healthz asked in turn with it (the same moment of the machine: on a shared machine its
speed moves by a half within a minute, so the floor is never taken minutes before the page);
--pages-only leaves out recompute-all and the bulk export.
Runs on a throw-away SQLite database unless DATABASE_URL is set. Prints figures; asserts nothing.
"""

import argparse
import contextlib
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from harness import load_demo_unless, setup_django

THROW_AWAY = setup_django()  # a fresh SQLite database in a temporary folder, unless DATABASE_URL is set

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Assegnazione, Ruolo
from monitoring.models import ModelloScheda, RiepilogoSchede, Scheda, Stato, ValoreCella
from monitoring.services import scheda_save
from territory.models import Ambito, Comune, Popolazione
from tests.factories import scheda_like

REGGIO = "035033"
YEARS = (2022, 2023, 2024)
ALONE_RUNS = 30  # requests of /healthz in a row, its floor asked alone before each page
STATES = [Stato.BOZZA, Stato.INVIATA, Stato.VALIDATA, Stato.BOZZA, Stato.RIMANDATA]


# --- Synthetic data -------------------------------------------------------------------------------------------


def _population(i: int) -> int:
    """A spread of Comuni sizes, from a few hundred residents to a city (deterministic)."""
    return 300 + (i * 7919) % 12000 + (150000 if i % 97 == 0 else 0)


def build_ambito(size: int, prefix: int) -> Ambito:
    """An Ambito of `size` Comuni with population and two schede each (bulk inserts, the demo's values)."""
    slug = f"scala-{size}"
    ambito = Ambito.objects.create(nome=f"Ambito di prova ({size} Comuni)", slug=slug, codice=f"SCALA-{size}")
    comuni = Comune.objects.bulk_create(
        (
            Comune(codice_istat=f"{prefix}{i:05d}", nome=f"Comune {prefix}{i:05d}", sigla_provincia="ZZ", ambito=ambito)
            for i in range(size)
        ),
        batch_size=2000,
    )
    Popolazione.objects.bulk_create(
        (
            Popolazione(
                comune=c,
                anno=y,
                totale=(t := _population(i) + 10 * k),
                stranieri=t // 11,
                eta_0_14=t * 13 // 100,
                eta_0_17=t * 16 // 100,
                eta_65_oltre=t * 24 // 100,
                eta_0=t // 130,
                eta_1=t // 125,
                eta_2=t // 120,
            )
            for i, c in enumerate(comuni)
            for k, y in enumerate(YEARS)
        ),
        batch_size=2000,
    )
    reggio = list(Scheda.objects.filter(comune_id=REGGIO).select_related("modello"))
    now = timezone.now()
    schede = Scheda.objects.bulk_create(
        (
            scheda_like(r, c, stato=STATES[i % len(STATES)], modificata_il=now)
            for i, c in enumerate(comuni)
            for r in reggio
        ),
        batch_size=2000,
    )
    values = {r.modello_id: list(r.valori.values_list("riga", "colonna", "valore")) for r in reggio}
    table = ValoreCella._meta.db_table
    sql = (
        f"INSERT INTO {table} (scheda_id, riga, colonna, valore, commento, precompilato, modificato_il) "
        "VALUES (%s, %s, %s, %s, '', %s, %s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, [(s.pk, r, c, v, False, now) for s in schede for r, c, v in values[s.modello_id]])
    return ambito


def remove_synthetic() -> None:
    """Remove the synthetic Ambiti (and their users) of an earlier run on the same database."""
    comuni = Comune.objects.filter(ambito__slug__startswith="scala-")
    schede = Scheda.objects.filter(comune__in=comuni)
    # the values in one statement: delete() collects 1,9 million of them and writes a history row for each (over
    # ten minutes on PostgreSQL at 7,896 Comuni)
    ValoreCella.objects.filter(scheda__in=schede)._raw_delete(ValoreCella.objects.db)
    schede.delete()
    comuni.delete()
    Ambito.objects.filter(slug__startswith="scala-").delete()
    get_user_model().objects.filter(username__startswith="bench-scala-").delete()


# --- Pages ----------------------------------------------------------------------------------------------------


def _timed(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def time_page(client: Client, url: str, runs: int, before=None) -> tuple[float, float, float, int, int]:
    """(median time of the page in ms, median time of /healthz in ms asked alone just before the page's runs,
    median time of /healthz in ms asked in turn with it, queries, size in bytes), after one warm-up request
    (`before()` before each request of the page). The floor is taken twice, both in the same minute as the page:
    /healthz asked alone (ALONE_RUNS requests in a row, right before the page's runs) and /healthz asked in turn
    with the page, so that a slower or busier moment of the machine weighs on both alike. The queries are counted
    on a request of their own: Django's recorder of queries (it writes out every SQL statement) would add its cost
    to the timed requests, more to a page of more queries."""
    healthz = reverse("portal:healthz")
    if before is not None:
        before()
    client.get(url)  # warm-up: what the first request after start-up does once
    if before is not None:
        before()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries, size = len(ctx.captured_queries), len(response.content)
    gc.collect()  # the garbage of building the synthetic Ambito is not the page's
    alone = statistics.median(_timed(client, healthz) for _ in range(ALONE_RUNS))
    times, floors = [], []
    for _ in range(runs):
        floors.append(_timed(client, healthz))
        if before is not None:
            before()
        times.append(_timed(client, url))
    return statistics.median(times), alone, statistics.median(floors), queries, size


def a_save(ambito: Ambito, user) -> Callable[[], None]:
    """A save of one value of one of the Ambito's schede by its Ufficio di Piano through the service the scheda
    page uses (the value it has: a real save, the scheda's version and the Ambito's data version go up, the
    rollup of the schede is kept): the pages asked after it build their data again, as after a Comune's save."""
    scheda = Scheda.objects.filter(comune__ambito=ambito, stato=Stato.BOZZA).select_related("modello").first()
    compiled = scheda.modello.compiled()
    riga, colonna, valore = next(
        (v.riga, v.colonna, v.valore)
        for v in scheda.valori.order_by("riga", "colonna")
        if getattr(compiled.cells.get((v.riga, v.colonna)), "kind", "") == "input"
    )

    def save() -> None:
        version = Scheda.objects.values_list("versione", flat=True).get(pk=scheda.pk)
        scheda_save(scheda=scheda, user=user, values={(riga, colonna): valore}, expected_version=version)

    return save


# --- Operations in a subprocess (peak memory) ----------------------------------------------------------------


def _schede(slug: str):
    return Scheda.objects.filter(comune__ambito__slug=slug)


def op_engine(slug: str) -> float:
    """The engine alone: compute every scheda from values already in memory."""
    modelli = {m.pk: m.compiled() for m in ModelloScheda.objects.all()}
    by_scheda: dict[int, dict] = {}
    for scheda_id, riga, colonna, valore in ValoreCella.objects.filter(scheda__comune__ambito__slug=slug).values_list(
        "scheda_id", "riga", "colonna", "valore"
    ):
        by_scheda.setdefault(scheda_id, {})[(riga, colonna)] = valore
    model_of = dict(_schede(slug).values_list("pk", "modello_id"))
    started = time.perf_counter()
    for scheda_id, values in by_scheda.items():
        modelli[model_of[scheda_id]].compute(values)
    return time.perf_counter() - started


def op_recompute(slug: str) -> float:
    from monitoring.services import schede_recompute_all

    started = time.perf_counter()
    schede_recompute_all(_schede(slug))
    return time.perf_counter() - started


def op_export(slug: str) -> float:
    from monitoring.bulk_export import export_schede_to_file

    path = Path(tempfile.mkdtemp()) / "export.xlsx"
    started = time.perf_counter()
    export_schede_to_file(_schede(slug), path)
    return time.perf_counter() - started


def op_rawdump(slug: str) -> float:
    """openpyxl's write-only dump of the same cells (values already in memory, no styles)."""
    from openpyxl import Workbook

    from monitoring.bulk_export import FIXED
    from monitoring.engine import parse_decimal

    sheets = []
    for modello in ModelloScheda.objects.filter(schede__comune__ambito__slug=slug).distinct().order_by("codice"):
        compiled = modello.compiled()
        keys = [k for k, c in compiled.cells.items() if c.kind != "na"]
        numeric = {k for k in keys if compiled.cells[k].is_numeric}
        rows = [
            FIXED + [f"{r}/{c}" for r, c in keys],
            [""] * len(FIXED) + [compiled.rows[r].label[:120] for r, _ in keys],
        ]
        for codice, nome, stato, completezza, errori, avvisi, risultati in (
            _schede(slug)
            .filter(modello=modello)
            .order_by("comune__nome")
            .values_list("comune_id", "comune__nome", "stato", "completezza", "n_errori", "n_avvisi", "risultati")
        ):
            row = [codice, nome, stato, float(completezza), errori, avvisi]
            for key in keys:
                text = risultati.get(f"{key[0]}.{key[1]}", "")
                if text and key in numeric:
                    number = parse_decimal(text)
                    row.append(int(number) if number == number.to_integral_value() else float(number))
                else:
                    row.append(text or None)
            rows.append(row)
        sheets.append((modello.codice, rows))
    path = Path(tempfile.mkdtemp()) / "raw.xlsx"
    started = time.perf_counter()
    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title=title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return time.perf_counter() - started


OPS = {"engine": op_engine, "recompute": op_recompute, "export": op_export, "rawdump": op_rawdump}


def run_op(name: str, slug: str) -> tuple[float, float]:
    """Run one operation in a fresh process on the same database: (seconds, peak RSS in MB)."""
    env = {**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"]}
    out = subprocess.run(
        [sys.executable, __file__, "--op", name, "--ambito", slug], env=env, capture_output=True, text=True, check=True
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return data["seconds"], data["peak_mb"]


def _peak_rss_mb() -> float:
    """The process's peak resident memory: VmHWM on Linux (ru_maxrss would carry the parent's peak across the
    fork and exec of the subprocess)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(name: str, slug: str) -> None:
    seconds = OPS[name](slug)
    peak = _peak_rss_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak}))


# --- Main -----------------------------------------------------------------------------------------------------


def measure(size: int, prefix: int, runs: int, pages_only: bool = False, after_save: bool = False) -> None:
    started = time.perf_counter()
    ambito = build_ambito(size, prefix)
    if connection.vendor == "postgresql":  # the statistics of the new rows, as autovacuum takes them a minute after a
        with connection.cursor() as cursor:  # bulk load (on by default; off on some test machines: without them the
            cursor.execute("ANALYZE")  # planner scans all the values for each chunk of recompute-all, 1,7 → 7,9 s)
    print(f"\n== {size} Comuni ({2 * size} schede), built in {time.perf_counter() - started:.1f} s")
    user, _ = get_user_model().objects.get_or_create(username=f"bench-scala-{size}")
    Assegnazione.objects.get_or_create(user=user, ruolo=Ruolo.UFFICIO_PIANO, ambito=ambito)
    client = Client()
    client.force_login(user)
    healthz, _alone, _floor, hq, _ = time_page(client, reverse("portal:healthz"), max(runs, 50))
    print(f"  /healthz                 {healthz:8.2f} ms  {hq:3d} queries")
    before = a_save(ambito, user) if after_save else None
    for label, name in (
        ("dashboard", "reports:dashboard"),
        ("schede overview", "monitoring:overview"),
        ("Ambito page", "planning:ambito_detail"),
    ):
        ms, alone, floor, queries, size_b = time_page(client, reverse(name, args=[ambito.slug]), runs, before)
        print(
            f"  {label:24s} {ms:8.1f} ms  {queries:3d} queries  {size_b / 1e3:8.0f} KB  {ms / alone:6.1f}× /healthz "
            f"asked alone just before ({alone:.2f} ms), {ms / floor:4.1f}× /healthz asked in turn ({floor:.2f} ms)"
        )

    # the first request after a write that left the Ambito's rollup of the schede stale (monitoring.rollup): rebuilt
    def stale_rollup() -> None:
        if before is not None:
            before()  # --after-save: the save first, as for the pages above
        RiepilogoSchede.objects.filter(ambito=ambito).delete()

    ms, alone, floor, queries, _size = time_page(
        client, reverse("monitoring:overview", args=[ambito.slug]), runs, before=stale_rollup
    )
    label = "overview, rollup rebuilt"
    print(
        f"  {label:24s} {ms:8.1f} ms  {queries:3d} queries  {'':11s} {ms / alone:6.1f}× /healthz alone, "
        f"{ms / floor:4.1f}× in turn"
    )
    if pages_only:
        return
    # the engine alone right before and right after recompute-all: its floor is their mean (a minute of a shared
    # machine can be a third slower than the next)
    engine_before, engine_mb = run_op("engine", ambito.slug)
    recompute, recompute_mb = run_op("recompute", ambito.slug)
    engine_after, _mb = run_op("engine", ambito.slug)
    engine = (engine_before + engine_after) / 2
    print(
        f"  recompute-all            {recompute:8.2f} s   peak {recompute_mb:6.0f} MB   "
        f"engine alone {engine:6.2f} s ({engine_before:.2f} s before, {engine_after:.2f} s after; "
        f"peak {engine_mb:.0f} MB)   {recompute / engine:5.2f}× engine"
    )
    raw, raw_mb = run_op("rawdump", ambito.slug)
    export, export_mb = run_op("export", ambito.slug)
    print(
        f"  bulk export              {export:8.2f} s   peak {export_mb:6.0f} MB   "
        f"raw write-only dump {raw:6.2f} s (peak {raw_mb:.0f} MB)   {export / raw:5.2f}× raw dump"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="150,1500,7896", help="Comuni per Ambito, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--uncached", action="store_true", help="time the pages without the fragment cache")
    parser.add_argument(
        "--after-save", action="store_true", help="time each page as the first request after a save of a value"
    )
    parser.add_argument("--pages-only", action="store_true", help="only the pages (no recompute, no export)")
    parser.add_argument("--op", choices=sorted(OPS), help=argparse.SUPPRESS)
    parser.add_argument("--ambito", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.op:
        child(args.op, args.ambito)
        return
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}), {datetime.now():%d/%m/%Y %H:%M}")
    call_command("migrate", verbosity=0)
    load_demo_unless(Comune.objects.filter(pk=REGGIO))
    sizes = [int(s) for s in args.sizes.split(",")]
    if len(sizes) > 3 or max(sizes) > 99999:
        parser.error("at most three sizes, each under 100,000 Comuni")
    remove_synthetic()
    caches = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}} if args.uncached else None
    # no entries kept in this process's memory either (core.fragments keeps them in front of any cache but locmem)
    uncached = override_settings(CACHES=caches, FRAGMENT_LOCAL_ENTRIES=0) if caches else contextlib.nullcontext()
    with uncached:
        if caches:
            print("Fragment cache off (--uncached): every page builds its data, the page's frame included")
        if args.after_save:
            print("Each page is the first request after a save of a value of a scheda of the Ambito (--after-save)")
        for k, size in enumerate(sizes):
            measure(size, 7 + k, args.runs, args.pages_only, args.after_save)
    if THROW_AWAY:  # the whole database goes: deleting 7,896 Comuni one cascade at a time took over half an hour
        connection.close()
        shutil.rmtree(Path(connection.settings_dict["NAME"]).parent, ignore_errors=True)
    else:
        remove_synthetic()


if __name__ == "__main__":
    main()
