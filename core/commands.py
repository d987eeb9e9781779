"""A management command that does one round of work every `--interval` seconds, or once with `--once` (cron)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections


class PeriodicCommand(BaseCommand):
    """Calls `round()` forever, `--interval` seconds apart (default `interval`); `--once`: one round, then exits."""

    interval: float = 60.0

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="un solo controllo, poi esce")
        parser.add_argument(
            "--interval",
            type=float,
            default=self.interval,
            help=f"secondi fra due controlli (predefinito {self.interval:g})",
        )

    def handle(self, *args: Any, once: bool = False, interval: float | None = None, **options: Any) -> None:
        while True:
            self.round()
            if once:
                return
            time.sleep(self.interval if interval is None else interval)
            close_old_connections()  # a database restart between two rounds: reconnect

    def round(self) -> None:
        """One round of the command's work."""
        raise NotImplementedError
