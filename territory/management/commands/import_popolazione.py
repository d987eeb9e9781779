"""Import ISTAT population by age (one year) for the Comuni in the file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from territory.istat import IstatFileError
from territory.services import popolazione_import


class Command(BaseCommand):
    help = "Importa la popolazione residente per età (CSV ISTAT) per l'anno indicato; tutto o niente."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="CSV ISTAT con Codice comune, Comune, Età, Totale maschi, Totale femmine, Totale"
        )
        parser.add_argument("--anno", type=int, required=True, help="anno di riferimento (es. 2024)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"File non trovato: {path}")
        try:
            result = popolazione_import(data=path.read_bytes(), anno=options["anno"])
        except IstatFileError as exc:
            raise CommandError(f"{path}: file non valido, nessun dato salvato.\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(
            f"Popolazione {options['anno']}: Comuni con dati nuovi {result.created}, "
            f"Comuni aggiornati {result.updated}."
        )
