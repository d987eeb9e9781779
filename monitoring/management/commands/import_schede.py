"""Import schede by codes from JSON (one object or a list) or from an .xlsx exported by the portal; all or nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.commands import input_file
from core.uploads import upload_limit_text
from monitoring.exchange import ImportSchedeError, read_import_file, schede_import


class Command(BaseCommand):
    help = (
        "Importa schede di monitoraggio da JSON (stessa forma di export_schede) o da un .xlsx scaricato dal portale. "
        "Tutto o niente: se una scheda ha un errore non viene salvato nulla. Scrive anche le celle precompilate."
    )

    def add_arguments(self, parser):
        limit = upload_limit_text()
        parser.add_argument(
            "file", help=f"file .json o .xlsx, al massimo {limit} MB (impostazione SCHEDE_UPLOAD_MAX_MB)"
        )
        parser.add_argument("--user", help="superutente a cui attribuire le modifiche (predefinito: il primo)")
        parser.add_argument("--dry-run", action="store_true", help="verifica e mostra le modifiche senza salvarle")

    def handle(self, *args, **options):
        path = input_file(options["file"])
        user = self.actor(options["user"])
        try:
            outcomes = schede_import(items=read_import_file(path), user=user, dry_run=options["dry_run"])
        except ImportSchedeError as exc:
            message = f"{path}: importazione rifiutata, nessun dato salvato.\n" + "\n".join(exc.errors)
            raise CommandError(message) from exc
        verb = "da modificare" if options["dry_run"] else "modificate"
        for outcome in outcomes:
            scheda = outcome.scheda
            created = " (scheda creata)" if outcome.created else ""
            self.stdout.write(
                f"{scheda.modello.codice} {scheda.comune.codice_istat} {scheda.comune.nome}: "
                f"{len(outcome.changes)} celle {verb}{created}."
            )
            if options["verbosity"] >= 2 or options["dry_run"]:
                for change in outcome.changes:
                    self.stdout.write(f"  {change['cella']}: «{change['prima']}» → «{change['dopo']}»")
        if options["dry_run"]:
            self.stdout.write("Prova senza salvataggio (--dry-run): nessun dato modificato.")

    def actor(self, username: str | None):
        users = get_user_model().objects.filter(is_superuser=True, is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"«{username}» non è un superutente attivo: l'importazione richiede un superutente.")
            return user
        user = users.order_by("pk").first()
        if user is None:
            raise CommandError(
                "Nessun superutente: crearne uno (python manage.py createsuperuser) o indicarlo con --user."
            )
        return user
