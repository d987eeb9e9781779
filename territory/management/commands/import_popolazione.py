"""Import ISTAT population by age (one year) for the Comuni in the file."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.commands import input_file, read_input, year
from territory.istat import IstatFileError
from territory.services import popolazione_import


class Command(BaseCommand):
    help = "Importa la popolazione residente per età (CSV ISTAT) per l'anno indicato; tutto o niente."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="CSV ISTAT con Codice comune, Comune, Età, Totale maschi, Totale femmine, Totale"
        )
        parser.add_argument("--anno", required=True, help="anno di riferimento (es. 2024)")

    def handle(self, *args: Any, **options: Any) -> None:
        anno = year(options["anno"])
        path = input_file(options["file"])
        try:
            result = popolazione_import(data=read_input(path), anno=anno)
        except IstatFileError as exc:
            raise CommandError(f"{path}: file non valido, nessun dato salvato.\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(
            f"Popolazione {anno}: Comuni con dati nuovi {result.created}, Comuni aggiornati {result.updated}."
        )
