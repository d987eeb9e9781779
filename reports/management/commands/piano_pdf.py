"""`manage.py piano_pdf --ambito magentino --periodo 2025-2027 --output FILE`: the Piano di Zona PDF (as the button)."""

from reports.management.piano_command import PianoReportCommand
from reports.piano_pdf import piano_pdf_spec


class Command(PianoReportCommand):
    help = "Scrive il PDF del Piano di Zona di un Ambito per un periodo: lo stesso file del pulsante di download."
    extension = "pdf"

    def spec(self, piano):
        return piano_pdf_spec(piano)
