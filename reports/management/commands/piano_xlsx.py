"""`manage.py piano_xlsx --ambito magentino --periodo 2025-2027 --output FILE`: the plan's workbook (as the button)."""

from reports.management.piano_command import PianoReportCommand


class Command(PianoReportCommand):
    help = "Scrive il file Excel del Piano di Zona di un Ambito per un periodo: lo stesso file del pulsante."
    extension = "xlsx"
