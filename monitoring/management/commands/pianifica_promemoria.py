"""`manage.py pianifica_promemoria`: the scheduler of the reminders. Every `--interval` seconds (default 300), once
PROMEMORIA_ORA has come, it asks for the day's job «promemoria-YYYY-MM-DD» of the task queue; the job's unique key
makes it one per day however many schedulers run. `--once` for one round (cron)."""

from core.commands import PeriodicCommand
from monitoring.campaigns.reminders import schedule


class Command(PeriodicCommand):
    help = "Accoda una volta al giorno, dall'ora PROMEMORIA_ORA, l'invio dei promemoria delle campagne SOSE."
    interval = 300.0
    last: int | None = None  # the job reported last: each job is written once

    def round(self) -> None:
        job = schedule()
        if job is not None and job.pk != self.last:
            self.stdout.write(f"Promemoria: lavoro {job.chiave} ({job.get_stato_display()})")
            self.last = job.pk
