"""Benchmark of the REST API: median time of reading and writing one scheda (Reggio nell'Emilia NID26, every cell
by row and column code) against /healthz, through Django's test client (no network, as bench/schede.py).

Usage: .venv/bin/python bench/api.py [--runs 30]
Runs on a throw-away SQLite database unless DATABASE_URL is set (the demo data are loaded if missing).
The scheda is reopened (state Riaperta) so that it can be written; each write alternates two values of R05 with
the version just read. Prints figures; asserts nothing.
"""

import json
import os
import statistics
import time

from harness import load_demo_unless, percentile, setup_django, start

os.environ.setdefault("API_RATE", "1000000/min")  # the benchmark measures the API, not its rate limit
setup_django()

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.models import Assegnazione, Ruolo
from api.services import token_create
from monitoring.models import Scheda, Stato
from territory.models import Comune

REGGIO = "035033"


def timed(call, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
    return times


def main() -> None:
    args = start(runs=30)
    load_demo_unless(Comune.objects.filter(pk=REGGIO, schede__isnull=False))
    user, _ = get_user_model().objects.get_or_create(username="bench-api")
    Assegnazione.objects.get_or_create(user=user, ruolo=Ruolo.OPERATORE, comune_id=REGGIO)
    Scheda.objects.filter(comune_id=REGGIO, modello__codice="NID26").update(stato=Stato.RIAPERTA)
    headers = {"Authorization": f"Bearer {token_create(user=user, nome='bench').segreto}"}
    client = Client()
    url = reverse("api_v1:scheda", kwargs={"modello": "NID26", "anno": 2025, "codice_istat": REGGIO})
    client.get(url, headers=headers)  # warm up: the compiled template is cached per process
    values = iter(["749", "748"] * args.runs)

    def write():
        version = Scheda.objects.get(comune_id=REGGIO, modello__codice="NID26").versione
        body = json.dumps({"versione": version, "valori": {"R05": {"N25": next(values)}}})
        return client.patch(url, body, content_type="application/json", headers=headers)

    results = {
        "/healthz": timed(lambda: client.get(reverse("portal:healthz")), args.runs),
        "GET scheda NID26": timed(lambda: client.get(url, headers=headers), args.runs),
        "PATCH scheda NID26 (1 cella)": timed(write, args.runs),
    }
    for name, times in results.items():
        print(f"{name:32} median {statistics.median(times):7.1f} ms   p95 {percentile(times, 95):7.1f} ms")


if __name__ == "__main__":
    main()
