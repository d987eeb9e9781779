"""`manage.py piano_pdf --ambito magentino --periodo 2025-2027 --output FILE`: the Piano di Zona PDF (as the button)."""

from reports.management.piano_command import PianoReportCommand


class Command(PianoReportCommand):
    help = "Scrive il PDF del Piano di Zona di un Ambito per un periodo: lo stesso file del pulsante di download."
    extension = "pdf"
