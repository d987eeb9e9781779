"""Remove generated report files (and their job records) older than a number of days."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.generation import file_path
from reports.models import ReportJob


class Command(BaseCommand):
    help = "Elimina i report generati (file in cache e registrazioni) più vecchi dei giorni indicati."

    def add_arguments(self, parser):
        parser.add_argument("--giorni", type=int, default=30, help="età minima in giorni (predefinito 30)")

    def handle(self, *args, **options):
        limit = timezone.now() - timedelta(days=options["giorni"])
        old = ReportJob.objects.filter(creato_il__lt=limit)
        removed = 0
        for job in old:
            path = file_path(job.chiave)
            if path.exists():
                path.unlink()
                removed += 1
        count, _ = old.delete()
        self.stdout.write(f"Report eliminati: {count} registrazioni, {removed} file.")
