"""`manage.py pianifica_promemoria`: the scheduler of the reminders. Every `--interval` seconds (default 300), once
PROMEMORIA_ORA has come, it asks for the day's job «promemoria-YYYY-MM-DD» of the task queue; the job's unique key
makes it one per day however many schedulers run. `--once` for one round (cron)."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from monitoring.campaigns.reminders import schedule


class Command(BaseCommand):
    help = "Accoda una volta al giorno, dall'ora PROMEMORIA_ORA, l'invio dei promemoria delle campagne SOSE."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="un solo controllo, poi esce")
        parser.add_argument("--interval", type=float, default=300.0, help="secondi fra due controlli (predefinito 300)")

    def handle(self, *args, once: bool = False, interval: float = 300.0, **options):
        last = None
        while True:
            job = schedule()
            if job is not None and job.pk != last:
                self.stdout.write(f"Promemoria: lavoro {job.chiave} ({job.get_stato_display()})")
                last = job.pk
            if once:
                return
            time.sleep(interval)
            close_old_connections()  # a database restart between two rounds: reconnect
