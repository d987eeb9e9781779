"""`manage.py jobs_watchdog`: every 15 s, requeue the jobs whose worker died (jobs.watchdog); `--once` for one round."""

from core.commands import PeriodicCommand
from jobs.watchdog import requeue_stale


class Command(PeriodicCommand):
    help = "Riaccoda i lavori il cui processo di lavoro si è interrotto (al massimo 3 tentativi), ogni 15 secondi."
    interval = 15.0

    def round(self) -> None:
        for job_id, outcome in requeue_stale():
            self.stdout.write(f"Lavoro {job_id}: {outcome}")
