"""In-process cost of a cached page beside /healthz: CPU per request, Python function calls per request (cProfile,
steadier than time on a shared machine) and queries, for the pages of bench/load.py, as the demo's Ufficio di Piano
of the Magentino, each page asked once first so that its fragments are cached.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portale_load python bench/page_costs.py [--runs 200]
       (a database with the demo loaded, e.g. the one bench/load.py leaves; --profile PAGE prints its cProfile)

No gunicorn here: the figures are Django's part of a request; bench/load.py measures the whole under load.
"""

import argparse
import cProfile
import pstats
import time

from harness import setup_django

setup_django()

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.urls import reverse

from monitoring.models import Scheda


def pages() -> dict[str, str]:
    scheda = Scheda.objects.filter(comune__nome="Magenta", modello__codice__startswith="NID").order_by("pk").first()
    return {
        "/healthz (pavimento, senza sessione)": "/healthz",
        "cruscotto dell'Ambito": reverse("reports:dashboard", args=["magentino"]),
        "pagina dell'Ambito": reverse("planning:ambito_detail", args=["magentino"]),
        "quadro 1 di una scheda NID26": reverse("monitoring:quadro", args=[scheda.pk, 1]),
        "Excel del piano dalla cache": reverse("reports:piano_xlsx", args=["magentino-2025-2027"]),
    }


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    client.get(url, secure=True)  # fills the caches
    reset_queries()
    connection.force_debug_cursor = True
    size = len(b"".join(client.get(url, secure=True)))  # a streamed file too
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    start = time.process_time()
    for _ in range(runs):
        client.get(url, secure=True)
    cpu_ms = (time.process_time() - start) / runs * 1000
    profile = cProfile.Profile()
    profile.runcall(lambda: [client.get(url, secure=True) for _ in range(20)])
    calls = pstats.Stats(profile).total_calls / 20  # type: ignore[attr-defined]
    return cpu_ms, calls, queries, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--profile", default="", help="print the cProfile of the page whose name starts so")
    parser.add_argument("--sort", default="cumulative", help="order of the profile (cumulative, tottime, ncalls)")
    args = parser.parse_args()
    user = get_user_model().objects.get(username="udp.magentino")
    logged_in = Client(HTTP_X_FORWARDED_PROTO="https")
    logged_in.force_login(user)
    anonymous = Client(HTTP_X_FORWARDED_PROTO="https")
    print(f"{'pagina':<38} {'CPU ms':>7} {'chiamate':>9} {'query':>6} {'byte':>8} {'× /healthz':>11}")
    floor = None
    for name, url in pages().items():
        client = anonymous if url == "/healthz" else logged_in
        cpu_ms, calls, queries, size = measure(client, url, args.runs)
        floor = floor or cpu_ms
        print(f"{name:<38} {cpu_ms:>7.2f} {calls:>9.0f} {queries:>6} {size:>8} {cpu_ms / floor:>10.1f}×")
        if args.profile and name.startswith(args.profile):
            profile = cProfile.Profile()
            profile.runcall(lambda c=client, u=url: [c.get(u, secure=True) for _ in range(50)])
            pstats.Stats(profile).sort_stats(args.sort).print_stats(40)


if __name__ == "__main__":
    main()
