"""Remove generated files (and their job records, jobs.Job) older than a number of days; the uploaded file of an
import job (MEDIA_ROOT/jobs/caricamenti/<chiave>.<ext>) goes with its job."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.commands import whole_number
from jobs.models import Job
from jobs.storage import file_path, storage_dir

MAX_GIORNI = 36500  # a hundred years: every file ever made


class Command(BaseCommand):
    help = "Elimina i report generati (file in cache e registrazioni) più vecchi dei giorni indicati."

    def add_arguments(self, parser):
        parser.add_argument("--giorni", default=30, help=f"età minima in giorni, da 0 a {MAX_GIORNI} (predefinito 30)")

    def handle(self, *args, **options):
        giorni = whole_number(options["giorni"], "--giorni", high=MAX_GIORNI)
        limit = timezone.now() - timedelta(days=giorni)
        old = Job.objects.filter(creato_il__lt=limit).exclude(stato__in=[Job.Stato.IN_CODA, Job.Stato.IN_CORSO])
        removed = 0
        for job in old:
            path = file_path(job.chiave)
            if path.exists():
                path.unlink()
                removed += 1
            for upload in (storage_dir() / "caricamenti").glob(f"{job.chiave}.*"):  # the file of an import job
                upload.unlink(missing_ok=True)
        count = old.delete()[1].get("jobs.Job", 0)
        for partial in storage_dir().glob("*.part"):  # left by a worker that died while writing
            if partial.stat().st_mtime < limit.timestamp():
                partial.unlink(missing_ok=True)
        self.stdout.write(f"Report eliminati: {count} registrazioni, {removed} file.")
