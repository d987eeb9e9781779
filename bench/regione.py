"""Benchmark of the regional page (monitoring:regione): 30 synthetic Ambiti of 50 Comuni each in one Regione, each
with its NID26 campaign and a mix of states (aperta, presentata, approvata, restituita) and of schede (bozza, sent on
time, sent late, validated).

Prints, side by side with /healthz measured in the same run: the regional page of a Regione user (median time,
queries, HTML size), the same page for the Amministratore, and the CSV and XLSX exports of the table; then the
query count with 2 Ambiti of the same Regione, to show that it does not grow with the Ambiti.

Usage: .venv/bin/python bench/regione.py [--runs 20] [--ambiti 30] [--comuni 50]
Runs on a throw-away SQLite database unless DATABASE_URL is set (then the synthetic Ambiti `bench-regione-…` and
their users are removed at the end). Prints figures; asserts nothing.
"""

import datetime
import statistics
import time
from datetime import datetime as dt

from harness import load_demo_unless, percentile, setup_django, start

setup_django()

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Assegnazione, Ruolo
from monitoring.campaigns.regione import completeness_counts
from monitoring.campaigns.services import campagna_open
from monitoring.models import Campagna, ModelloScheda, Scheda
from territory.models import Ambito, Comune, Regione

REGIONE = "Sardegna"  # no demo Ambito there: the page shows the synthetic Ambiti only
CAMPAIGN_STATES = ["aperta", "aperta", "presentata", "approvata", "restituita"]
DEADLINE = datetime.date(2026, 5, 31)


def local(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(dt.combine(day, datetime.time(hour)))


def build(regione: Regione, numbers: range, n_comuni: int, admin) -> None:
    """The Ambiti numbered `numbers`, of `n_comuni` Comuni each, with their NID26 campaign (the service creates the
    schede), then states set directly (setup, as the tests do)."""
    modello = ModelloScheda.objects.get(codice="NID26")
    for k in numbers:
        ambito = Ambito.objects.create(
            nome=f"Ambito sintetico {k + 1:02d}", slug=f"bench-regione-{k}", codice=f"BR{k}", regione=regione
        )
        comuni = Comune.objects.bulk_create(
            Comune(codice_istat=f"8{k:02d}{i:03d}", nome=f"Comune {k:02d}-{i:03d}", sigla_provincia="ZZ", ambito=ambito)
            for i in range(n_comuni)
        )
        campagna, _ = campagna_open(ambito=ambito, modello=modello, user=admin, copia_anno_precedente=False)
        schede = Scheda.objects.filter(modello=modello, comune__ambito=ambito)
        # a third validated early, a sixth sent on the deadline day at 23:30, a sixth sent the day after, rest bozza
        pk = [c.pk for c in comuni]
        third, sixth = n_comuni // 3, n_comuni // 6
        on_time = local(DEADLINE, 23).replace(minute=30)
        schede.filter(comune__in=pk[:third]).update(
            stato="validata", inviata_il=local(DEADLINE, 9), validata_il=on_time
        )
        schede.filter(comune__in=pk[third : third + sixth]).update(stato="inviata", inviata_il=on_time)
        late = local(DEADLINE + datetime.timedelta(days=1), 0).replace(minute=30)
        schede.filter(comune__in=pk[third + sixth : third + 2 * sixth]).update(stato="inviata", inviata_il=late)
        Campagna.objects.filter(pk=campagna.pk).update(stato=CAMPAIGN_STATES[k % len(CAMPAIGN_STATES)])


def remove(users) -> None:
    comuni = Comune.objects.filter(ambito__slug__startswith="bench-regione-")
    Scheda.objects.filter(comune__in=comuni).delete()
    Campagna.objects.filter(ambito__slug__startswith="bench-regione-").delete()
    comuni.delete()
    Ambito.objects.filter(slug__startswith="bench-regione-").delete()
    get_user_model().objects.filter(username__in=users).delete()


def measure(client: Client, url: str, params: dict, runs: int) -> tuple[float, float, int, int]:
    """Median and p95 time (ms), queries and size (bytes), after one warm-up request."""
    client.get(url, params)
    times, queries, size = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, params)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, params, response.status_code)
        queries, size = len(ctx.captured_queries), len(body)
    return statistics.median(times), percentile(times, 95), queries, size


def main() -> None:
    args = start(runs=20, ambiti=30, comuni=50)
    load_demo_unless(ModelloScheda.objects.filter(codice="NID26"))
    users = ["bench-regione-admin", "bench-regione-user"]
    remove(users)
    regione = Regione.objects.get(nome=REGIONE)
    User = get_user_model()
    admin = User.objects.create(username=users[0], is_superuser=True, is_staff=True)
    user = User.objects.create(username=users[1])
    Assegnazione.objects.create(user=user, ruolo=Ruolo.REGIONE, regione=regione)
    url = reverse("monitoring:regione")
    try:
        started = time.perf_counter()
        build(regione, range(2), args.comuni, admin)
        client = Client()
        client.force_login(user)
        _, _, queries_two, _ = measure(client, url, {}, 3)
        build(regione, range(2, args.ambiti), args.comuni, admin)
        built = time.perf_counter() - started
        print(
            f"\n== Regione {regione.nome}: {args.ambiti} Ambiti of {args.comuni} Comuni "
            f"({args.ambiti * args.comuni} schede NID26), built in {built:.1f} s, {args.runs} runs each"
        )
        healthz, healthz95, hq, _ = measure(client, reverse("portal:healthz"), {}, max(args.runs, 50))
        print(f"  /healthz                       {healthz:8.2f} ms (p95 {healthz95:6.2f})  {hq:3d} queries")
        admin_client = Client()
        admin_client.force_login(admin)
        for label, c, params in (
            ("regional page (Regione user)", client, {}),
            ("regional page (Amministratore)", admin_client, {"regione": regione.codice}),
            ("export CSV", client, {"_export": "csv"}),
            ("export XLSX", client, {"_export": "xlsx"}),
        ):
            ms, p95, queries, size = measure(c, url, params, args.runs)
            print(
                f"  {label:30s} {ms:8.1f} ms (p95 {p95:6.1f})  {queries:3d} queries  {size / 1e3:7.1f} KB  "
                f"{ms / healthz:6.1f}× /healthz"
            )
        campagne = list(Campagna.objects.filter(ambito__regione=regione).prefetch_related("scadenze"))
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            completeness_counts(campagne)
            times.append((time.perf_counter() - started) * 1000)
        print(f"  completeness counts alone (1 query) {statistics.median(times):8.1f} ms")
        print(f"  queries of the regional page with 2 Ambiti: {queries_two}; with {args.ambiti}: see above")
    finally:
        remove(users)


if __name__ == "__main__":
    main()
