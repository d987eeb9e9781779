"""`manage.py demo_dati_aperti`: the demo open data settings (called by load_demo; idempotent)."""

from django.core.management.base import BaseCommand

from opendata.demo import demo_opendata_load


class Command(BaseCommand):
    help = "Dati aperti dimostrativi: il Magentino e il Distretto di Reggio Emilia pubblicano i loro dataset."

    def handle(self, *args, **options):
        self.stdout.write(f"Dati aperti demo: {demo_opendata_load()} nuove pubblicazioni (Magentino, Reggio Emilia).")
