"""`manage.py invia_promemoria [--data YYYY-MM-DD] [--prova]`: send the reminders of the SOSE campaigns due on a day
(for cron, or an administrator); `--prova` lists what would be sent and sends nothing."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from monitoring.campaigns.reminders import send_reminders


class Command(BaseCommand):
    help = "Invia i promemoria delle campagne SOSE dovuti oggi (o alla --data), una sola volta per passo."

    def add_arguments(self, parser):
        parser.add_argument("--data", help="giorno dei promemoria, AAAA-MM-GG (predefinito: oggi)")
        parser.add_argument("--prova", action="store_true", help="elenca i messaggi da inviare senza inviarli")

    def handle(self, *args, data: str | None = None, prova: bool = False, **options):
        try:
            day = datetime.date.fromisoformat(data) if data else None
        except ValueError:
            raise CommandError(
                f"--data «{data}» non valida: usare il formato AAAA-MM-GG, per esempio 2026-05-24"
            ) from None
        summary = send_reminders(day, dry_run=prova)
        for mail in summary.inviati:
            self.stdout.write(f"{mail.email}: {mail.oggetto}")
        for error in summary.errori:
            self.stderr.write(f"Errore: {error}")
        self.stdout.write(str(summary))
        if summary.errori:
            raise CommandError(
                f"{summary.non_inviati} promemoria non inviati: saranno inviati da un'esecuzione successiva"
            )
