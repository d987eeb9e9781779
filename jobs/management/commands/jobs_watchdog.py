"""`manage.py jobs_watchdog`: every 15 s, requeue the jobs whose worker died (jobs.watchdog); `--once` for one round."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from jobs.watchdog import requeue_stale


class Command(BaseCommand):
    help = "Riaccoda i lavori il cui processo di lavoro si è interrotto (al massimo 3 tentativi), ogni 15 secondi."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="un solo controllo, poi esce")
        parser.add_argument("--interval", type=float, default=15.0, help="secondi fra due controlli (predefinito 15)")

    def handle(self, *args, once: bool = False, interval: float = 15.0, **options):
        while True:
            for job_id, outcome in requeue_stale():
                self.stdout.write(f"Lavoro {job_id}: {outcome}")
            if once:
                return
            time.sleep(interval)
            close_old_connections()  # a database restart between two rounds: reconnect
