"""Load the demo data of every app (idempotent), in the order of the layers: ISTAT Comuni, demo territory, plans,
schede, evaluation, context facts, performance, quarterly monitoring, open data settings, demo users."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.demo import demo_users_load
from monitoring.campaigns.demo import campagne_demo_load
from monitoring.demo import demo_schede_load
from monitoring.snapshots.demo import demo_rilevazioni_load
from planning.bilancio.demo import demo_bilancio_load
from planning.contesto.demo import demo_contesto_load
from planning.performance.demo import demo_performance_load
from planning.piano.demo import demo_piano_load
from planning.valutazione.demo import demo_valutazione_load
from planning.versions import bump_piani
from territory.demo import demo_territory_load
from territory.versions import bump_territory


class Command(BaseCommand):
    help = "Carica i dati dimostrativi (Comuni ISTAT, Ambiti demo, popolazione, utenti demo). Rieseguibile."

    def add_arguments(self, parser):
        parser.add_argument("--no-users", action="store_true", help="non creare gli utenti dimostrativi")

    def handle(self, *args, **options):
        call_command("load_comuni", stdout=self.stdout)
        counts = demo_territory_load()
        self.stdout.write(f"Territorio demo: {counts['ambiti']} Ambiti, {counts['popolazione']} dati di popolazione.")
        self.stdout.write(
            "Piano di Zona demo: {piani_caricati} nuovi piani, {interventi} interventi.".format(**demo_piano_load())
        )
        self.stdout.write(f"Bilancio demo del Magentino 2025-2027: {demo_bilancio_load()} nuove righe.")
        self.stdout.write(
            f"Schede di monitoraggio demo: {demo_schede_load()} (NID26/SOC26 Reggio nell'Emilia, NID26 Magenta)."
        )
        self.stdout.write(
            f"Campagne SOSE demo: {campagne_demo_load()} nuove (NID26/SOC26 2025 di Magentino, Casalasco, Viadanese)."
        )
        schede = demo_valutazione_load()
        contesto = demo_contesto_load()
        operativi = demo_performance_load()
        rilevazioni = demo_rilevazioni_load()
        self.stdout.write(
            f"Valutazione, contesto, performance e monitoraggio trimestrale demo: {schede} nuove schede di "
            f"valutazione, {contesto['fatti']} nuovi fatti di spesa, {operativi} nuovi obiettivi operativi, "
            f"{rilevazioni} nuove rilevazioni."
        )
        # the open data app is a sibling of this one (no import): its demo through its command
        call_command("demo_dati_aperti", stdout=self.stdout)
        # the loaders write in bulk (no signals): every cached document is out of date
        bump_territory(None)
        bump_piani(None)
        if options["no_users"]:
            return
        self.stdout.write("\nUtenti dimostrativi (password salvate in .demo-credentials.json):")
        for username, password, description in demo_users_load():
            self.stdout.write(f"  {username:<22} {password:<16} {description}")
