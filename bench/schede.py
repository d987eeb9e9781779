"""Benchmark of the schede: recompute one scheda, recompute and store 1,500 Comuni × 2 templates,
the Ambito overview page, and the export of those schede to one .xlsx.

Usage: .venv/bin/python bench/schede.py [--comuni 1500] [--runs 20]
Runs on a throw-away SQLite database unless DATABASE_URL is set. Prints figures; asserts nothing.
"""

import io
import statistics
import time

from harness import load_demo_unless, percentile, setup_django, start

setup_django()

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Assegnazione, Ruolo
from monitoring.bulk_export import export_schede_to_file
from monitoring.demo import demo_schede_load
from monitoring.models import ModelloScheda, Scheda, ValoreCella
from monitoring.services import scheda_recompute
from territory.models import Ambito, Comune


def main() -> None:
    args = start(runs=20, comuni=1500)
    if not load_demo_unless(Comune.objects.filter(pk="035033")):
        demo_schede_load()

    reggio = {m.modello.codice: m for m in Scheda.objects.filter(comune_id="035033").select_related("modello")}
    for code, scheda in sorted(reggio.items()):
        compiled = scheda.modello.compiled()
        values = {(v.riga, v.colonna): v.valore for v in scheda.valori.all()}
        times = []
        for _ in range(200):
            started = time.perf_counter()
            compiled.compute(values)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"Recompute one scheda {code} (engine only): "
            f"median {statistics.median(times):.2f} ms, p95 {percentile(times, 95):.2f} ms"
        )

    Scheda.objects.filter(comune__ambito__slug="bench-schede").delete()
    Comune.objects.filter(ambito__slug="bench-schede").delete()
    Ambito.objects.filter(slug="bench-schede").delete()
    ambito = Ambito.objects.create(nome="Ambito di prova schede", slug="bench-schede", codice="BENCH-SCHEDE")
    comuni = Comune.objects.bulk_create(
        Comune(codice_istat=f"{950000 + i:06d}", nome=f"Comune {i:04d}", sigla_provincia="ZZ", ambito=ambito)
        for i in range(args.comuni)
    )
    modelli = list(ModelloScheda.objects.filter(codice__in=reggio))
    schede = Scheda.objects.bulk_create(Scheda(modello=m, comune=c) for c in comuni for m in modelli)
    by_model = {code: list(s.valori.values_list("riga", "colonna", "valore")) for code, s in reggio.items()}
    ValoreCella.objects.bulk_create(
        (ValoreCella(scheda=s, riga=r, colonna=c, valore=v) for s in schede for r, c, v in by_model[s.modello.codice]),
        batch_size=5000,
    )
    started = time.perf_counter()
    with transaction.atomic():
        for scheda in Scheda.objects.filter(comune__ambito=ambito).select_related("modello").prefetch_related("valori"):
            scheda_recompute(scheda=scheda)
    total = time.perf_counter() - started
    print(
        f"Recompute and store {len(schede)} schede ({args.comuni} Comuni × {len(modelli)} modelli): "
        f"{total:.1f} s ({total * 1000 / len(schede):.2f} ms per scheda)"
    )

    user, _ = get_user_model().objects.get_or_create(username="bench-udp-schede")
    Assegnazione.objects.get_or_create(user=user, ruolo=Ruolo.UFFICIO_PIANO, ambito=ambito)
    client = Client()
    client.force_login(user)
    url = f"/monitoraggio/ambiti/{ambito.slug}/"
    client.get(url)
    times, queries = [], 0
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
    print(
        f"Overview page, {args.comuni} Comuni × {len(modelli)}: median {statistics.median(times):.0f} ms, "
        f"p95 {percentile(times, 95):.0f} ms, {queries} queries"
    )

    started = time.perf_counter()
    buffer = io.BytesIO()
    export_schede_to_file(Scheda.objects.filter(comune__ambito=ambito), buffer)
    print(
        f"Export of {len(schede)} schede to one .xlsx: {time.perf_counter() - started:.1f} s, "
        f"{len(buffer.getvalue()) / 1e6:.1f} MB"
    )

    Scheda.objects.filter(comune__ambito=ambito).delete()
    Comune.objects.filter(ambito=ambito).delete()
    ambito.delete()
    user.delete()


if __name__ == "__main__":
    main()
