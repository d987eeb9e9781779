"""Export schede by codes: JSON (every cell keyed by row code then column code) or .xlsx."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from core.commands import output_path, write_output
from monitoring.excel import scheda_to_xlsx
from monitoring.exchange import scheda_to_dict
from monitoring.models import Scheda
from territory.models import Ambito


class Command(BaseCommand):
    help = (
        "Esporta le schede di monitoraggio per codici (JSON: valori per codice di riga e di colonna; oppure .xlsx). "
        "Con --template e --comune una sola scheda (un oggetto JSON), altrimenti un elenco."
    )

    def add_arguments(self, parser):
        parser.add_argument("--template", help="codice del modello, es. NID26")
        parser.add_argument("--comune", help="codice ISTAT del Comune, es. 035033")
        parser.add_argument("--ambito", help="slug dell'Ambito (compresi i sub-ambiti), es. reggio-emilia")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json", help="json (predefinito) o xlsx")
        parser.add_argument(
            "--output",
            help="file di destinazione (JSON: predefinito lo standard output); per xlsx con più schede una cartella",
        )

    def handle(self, *args, **options):
        xlsx = options["format"] == "xlsx"
        output = output_path(options["output"], folder_allowed=xlsx) if options["output"] else None
        schede = self.select(options)
        if xlsx:
            self.write_xlsx(schede, output)
            return
        single = bool(options["template"] and options["comune"])
        document = scheda_to_dict(schede[0]) if single else [scheda_to_dict(s) for s in schede]
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if output:
            write_output(output, (text + "\n").encode("utf-8"))
            self.stderr.write(f"Esportate {len(schede)} schede in {output}.")
        else:
            self.stdout.write(text)

    def select(self, options) -> list[Scheda]:
        qs = Scheda.objects.select_related("modello", "comune").order_by("comune__nome", "modello__codice")
        if options["template"]:
            qs = qs.filter(modello__codice=options["template"])
        if options["comune"]:
            code = options["comune"].strip()
            qs = qs.filter(comune__codice_istat=code.zfill(6) if code.isdigit() else code)
        if options["ambito"]:
            ambito = Ambito.objects.filter(slug=options["ambito"]).first()
            if ambito is None:
                raise CommandError(f"Ambito «{options['ambito']}» inesistente.")
            qs = qs.filter(Q(comune__ambito=ambito) | Q(comune__ambito__parent=ambito))
        schede = list(qs)
        if not schede:
            raise CommandError("Nessuna scheda corrisponde ai criteri indicati.")
        return schede

    def write_xlsx(self, schede: list[Scheda], target: Path | None) -> None:
        if not target:
            raise CommandError("Con --format xlsx indicare --output (un file, o una cartella per più schede).")
        if len(schede) == 1 and not target.is_dir():
            write_output(target, scheda_to_xlsx(schede[0]))
            self.stderr.write(f"Scheda esportata in {target}.")
            return
        if not target.is_dir():
            n = len(schede)
            raise CommandError(f"Le schede selezionate sono {n}: --output deve essere una cartella esistente.")
        for scheda in schede:
            path = target / f"{scheda.modello.codice}_{scheda.comune.codice_istat}.xlsx"
            write_output(path, scheda_to_xlsx(scheda))
        self.stderr.write(f"Esportate {len(schede)} schede in {target}.")
