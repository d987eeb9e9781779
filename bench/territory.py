"""Benchmark of the territory: load_comuni and the Ambito page of a 1,500-Comuni Ambito.

Usage: .venv/bin/python bench/territory.py [--runs 30]
Runs on a throw-away SQLite database unless DATABASE_URL is set (then it uses that database and
creates the test Ambito `bench-lombardia`, removed at the end). Prints figures; asserts nothing.
"""

import io
import statistics
import time

from harness import percentile, setup_django, start

setup_django()

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Assegnazione, Ruolo
from territory.models import Ambito, Comune, Popolazione


def main() -> None:
    args = start()

    Comune.objects.filter(ambito__slug="bench-lombardia").delete()
    Ambito.objects.filter(slug="bench-lombardia").delete()
    fresh = not Comune.objects.exists()
    started = time.perf_counter()
    call_command("load_comuni", verbosity=0, stdout=io.StringIO())
    first = time.perf_counter() - started
    started = time.perf_counter()
    call_command("load_comuni", verbosity=0, stdout=io.StringIO())
    second = time.perf_counter() - started
    print(
        f"load_comuni, {Comune.objects.count()} Comuni: {first * 1000:.0f} ms ({'creation' if fresh else 'update'}), "
        f"{second * 1000:.0f} ms (second run, nothing to change)"
    )

    ambito = Ambito.objects.create(nome="Ambito di prova (1.500 Comuni)", slug="bench-lombardia", codice="BENCH")
    comuni = [
        Comune(codice_istat=f"{900000 + i:06d}", nome=f"Comune {i:04d}", sigla_provincia="ZZ", ambito=ambito)
        for i in range(1500)
    ]
    Comune.objects.bulk_create(comuni)
    Popolazione.objects.bulk_create(
        Popolazione(comune=c, anno=y, totale=1000 + i, stranieri=90, eta_65_oltre=240, eta_0_17=160, eta_0_14=130)
        for i, c in enumerate(comuni)
        for y in (2022, 2023, 2024)
    )
    user, _ = get_user_model().objects.get_or_create(username="bench-udp")
    Assegnazione.objects.get_or_create(user=user, ruolo=Ruolo.UFFICIO_PIANO, ambito=ambito)
    client = Client()
    client.force_login(user)
    url = f"/territorio/ambiti/{ambito.slug}/"
    client.get(url)  # warm-up
    for label, params in (
        ("page (first 100 rows, all 1,500 in totals)", {}),
        ("page sorted by population", {"sort": "-pop_totale"}),
        ("XLSX export of 1,500 rows", {"_export": "xlsx"}),
    ):
        times, queries = [], 0
        for _ in range(args.runs if "_export" not in params else max(5, args.runs // 5)):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url, params)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            queries = len(ctx.captured_queries)
        print(
            f"Ambito {label}: median {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
            f"{queries} queries, {len(times)} runs"
        )

    Comune.objects.filter(ambito=ambito).delete()
    ambito.delete()
    user.delete()


if __name__ == "__main__":
    main()
