"""Benchmark of the Piano di Zona pages: interventions list and card page with 500 interventions and 2,000 actions.

Usage: .venv/bin/python bench/piano.py [--runs 30]
Runs on a throw-away SQLite database unless DATABASE_URL is set (then it creates the plan `bench-piano-2025-2027`
in that database and removes it at the end). Prints median/p95 times and query counts; asserts nothing.
"""

import statistics
import time

from harness import percentile, setup_django, start

setup_django()

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Assegnazione, Ruolo
from planning.models import (
    Area,
    Azione,
    Fondo,
    Intervento,
    Leps,
    ModelloIntervento,
    Obiettivo,
    PianoDiZona,
    PuntoChiave,
    Risorsa,
    ValoreCampo,
    ValorePuntoChiave,
)
from planning.piano.demo import catalogues_load, templates_load
from territory.models import Ambito

SLUG = "bench-piano"


def build() -> tuple[PianoDiZona, Intervento]:
    catalogues_load()
    templates_load()
    ambito = Ambito.objects.create(nome="Ambito di prova (Piano di Zona)", slug=SLUG, codice="BENCH-PZ")
    piano = PianoDiZona.objects.create(
        ambito=ambito, slug=f"{SLUG}-2025-2027", titolo="Piano di prova", anno_inizio=2025, anno_fine=2027
    )
    aree = [Area.objects.create(piano=piano, codice=c, titolo=f"Area {c}", ordine=i) for i, c in enumerate("ABCD")]
    obiettivi = [
        Obiettivo.objects.create(piano=piano, area=aree[i % 4], titolo=f"Obiettivo {i}", ordine=i) for i in range(12)
    ]
    modello = ModelloIntervento.objects.get(codice="LOMB-2025-2027")
    campi = list(modello.campi.exclude(tipo="base"))
    fondi, leps = list(Fondo.objects.all()), list(Leps.objects.all())
    interventi = Intervento.objects.bulk_create(
        Intervento(
            piano=piano,
            obiettivo=obiettivi[i % 12],
            modello=modello,
            titolo=f"Intervento {i:03d}",
            ordine=i,
            target="Famiglie",
            personale="Ufficio di Piano",
            risorse_descrizione="FNPS",
        )
        for i in range(500)
    )
    Intervento.fondi.through.objects.bulk_create(
        Intervento.fondi.through(intervento=x, fondo=fondi[(i + k) % len(fondi)])
        for i, x in enumerate(interventi)
        for k in range(2)
    )
    Intervento.leps.through.objects.bulk_create(
        Intervento.leps.through(intervento=x, leps=leps[i % len(leps)]) for i, x in enumerate(interventi)
    )
    Azione.objects.bulk_create(
        Azione(intervento=x, ordine=k, titolo=f"Azione {k} dell'intervento {i}", responsabile="Ufficio di Piano")
        for i, x in enumerate(interventi)
        for k in range(1, 5)
    )
    Risorsa.objects.bulk_create(
        Risorsa(intervento=x, fondo=fondi[0], anno=2025 + (i % 3), previsto=1000 + i) for i, x in enumerate(interventi)
    )
    valori = ValoreCampo.objects.bulk_create(
        ValoreCampo(
            intervento=x, campo=c, testo=f"Risposta a {c.chiave}", si_no=(i % 2 == 0) if c.tipo == "si_no" else None
        )
        for i, x in enumerate(interventi)
        for c in campi
    )
    punti = list(PuntoChiave.objects.all()[:8])
    ValorePuntoChiave.objects.bulk_create(
        ValorePuntoChiave(valore=v, punto=p, ordine=k)
        for v in valori
        if v.campo.chiave == "punti_chiave"
        for k, p in enumerate(punti)
    )
    return piano, interventi[250]


def measure(client, label, url, runs, params=None):
    client.get(url, params or {})  # warm-up
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, params or {})
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    print(
        f"{label}: median {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms, {queries} queries, {len(times)} runs"  # noqa: E501
    )


def main() -> None:
    args = start()
    cleanup()
    started = time.perf_counter()
    piano, card = build()
    print(
        f"Dati: {Intervento.objects.filter(piano=piano).count()} interventi, "
        f"{Azione.objects.filter(intervento__piano=piano).count()} azioni, "
        f"{ValoreCampo.objects.filter(intervento__piano=piano).count()} risposte della scheda "
        f"({(time.perf_counter() - started):.1f} s per crearli)"
    )
    user, _ = get_user_model().objects.get_or_create(username="bench-udp-piano")
    Assegnazione.objects.get_or_create(user=user, ruolo=Ruolo.UFFICIO_PIANO, ambito=piano.ambito)
    client = Client()
    client.force_login(user)
    lista = f"/territorio/piani-di-zona/{piano.slug}/interventi/"
    measure(client, "Lista interventi (50 per pagina, filtri)", lista, args.runs)
    measure(client, "Lista interventi filtrata (area + co-programmato + testo)", lista, args.runs,
            {"area": piano.aree.first().pk, "coprogrammato": "si", "q": "Intervento"})  # fmt: skip
    measure(client, "Lista interventi, 500 righe in una pagina", lista, max(5, args.runs // 3), {"per_page": 500})
    measure(client, "Esportazione XLSX di 500 interventi", lista, max(5, args.runs // 5), {"_export": "xlsx"})
    measure(client, "Scheda dell'intervento (25 campi, 4 azioni, cronologia)", card.get_absolute_url(), args.runs)
    cleanup()
    user.delete()


def cleanup():
    for piano in PianoDiZona.objects.filter(ambito__slug=SLUG):
        ValorePuntoChiave.objects.filter(valore__intervento__piano=piano).delete()
        ValoreCampo.objects.filter(intervento__piano=piano).delete()
        Intervento.objects.filter(piano=piano).delete()
        piano.obiettivi.all().delete()
        piano.delete()
    Ambito.objects.filter(slug=SLUG).delete()


if __name__ == "__main__":
    main()
