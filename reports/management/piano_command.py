"""Shared base of `manage.py piano_pdf` and `manage.py piano_xlsx`: the same spec as the download buttons.

The file is produced through `reports.generation.produce_now` (built in this process, no worker needed) and kept
as the job of its data fingerprint: the command and the button give the same file for the same data, and a repeated
run (or the next download) reuses it.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.commands import output_path, write_output, year
from core.formatting import it_number
from jobs.models import Job
from planning.models import PianoDiZona
from reports.generation import ReportSpec, file_path, produce_now
from reports.piano.document import piano_queryset
from reports.specs import report_spec
from territory.models import Ambito


def piano_by_periodo(ambito_slug: str, periodo: str) -> PianoDiZona:
    """The plan of an Ambito for a period written «2025-2027» (or just its first year)."""
    parts = periodo.replace("/", "-").split("-")
    if not all(p.strip().isdigit() for p in parts) or len(parts) > 2:
        raise CommandError(f"Periodo «{periodo}» non valido: indicare ad esempio 2025-2027.")
    filters = {"anno_inizio": year(parts[0], "--periodo")}
    if len(parts) == 2:
        filters["anno_fine"] = year(parts[1], "--periodo")
    ambito = Ambito.objects.filter(slug=ambito_slug).first()
    if ambito is None:
        raise CommandError(f"Ambito «{ambito_slug}» inesistente.")
    piano = piano_queryset().filter(ambito=ambito, **filters).first()
    if piano is None:
        raise CommandError(f"Nessun Piano di Zona dell'{ambito.nome} per il periodo {periodo}.")
    return piano


def produce(spec: ReportSpec) -> Path:
    """The generated file for this spec (from the cache, or generated now); CommandError if generation fails."""
    job = produce_now(spec)
    if job.stato != Job.Stato.PRONTO:
        raise CommandError(f"Documento non generato: {job.errore or job.get_stato_display()}")
    return file_path(job.chiave)


class PianoReportCommand(BaseCommand):
    extension = ""

    def add_arguments(self, parser):
        parser.add_argument("--ambito", required=True, help="slug dell'Ambito, es. magentino")
        parser.add_argument("--periodo", required=True, help="periodo del piano, es. 2025-2027")
        parser.add_argument("--output", help=f"file da scrivere (predefinito: il nome del download, .{self.extension})")

    def spec(self, piano: PianoDiZona) -> ReportSpec:
        return report_spec("piano", self.extension, piano)

    def handle(self, *args, **options):
        piano = piano_by_periodo(options["ambito"], options["periodo"])
        spec = self.spec(piano)
        output = output_path(options["output"] or spec.filename, make_folders=True)
        started = time.perf_counter()
        source = produce(spec)
        write_output(output, source.read_bytes())
        size, seconds = it_number(output.stat().st_size), it_number(time.perf_counter() - started, 1)
        self.stdout.write(f"{piano.titolo}: {output} ({size} byte, {seconds} s)")
