"""Remove generated files (and their job records, jobs.Job) older than a number of days; the uploaded file of an
import job (MEDIA_ROOT/jobs/caricamenti/<chiave>.<ext>) goes with its job."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.models import Job
from jobs.storage import file_path, storage_dir


class Command(BaseCommand):
    help = "Elimina i report generati (file in cache e registrazioni) più vecchi dei giorni indicati."

    def add_arguments(self, parser):
        parser.add_argument("--giorni", type=int, default=30, help="età minima in giorni (predefinito 30)")

    def handle(self, *args, **options):
        limit = timezone.now() - timedelta(days=options["giorni"])
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
