"""Shared pieces of the management commands.

- The arguments: each command reads its options through the functions below, which accept the text of the command
  line or the value given to ``call_command`` and raise a ``CommandError`` in Italian naming the option. They are
  called in ``handle()``, not given as argparse ``type=``: argparse's own error («error: argument --anno: invalid
  int value») is English, and ``call_command`` does not pass keyword options through ``type=``.
- ``PeriodicCommand``: one round of work every ``--interval`` seconds, or once with ``--once`` (cron).
"""

from __future__ import annotations

import math
import os
import re
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from core.formatting import format_quantity, it_number

PathLike = str | os.PathLike[str]


def whole_number(value: object, option: str, *, low: int = 0, high: int) -> int:
    """A whole number between `low` and `high` (both included)."""
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d+", text):
        raise CommandError(f"{option}: «{value}» non è un numero intero.")
    if len(text.lstrip("+-0")) > len(str(high)) or not low <= int(text) <= high:
        raise CommandError(
            f"{option}: {text} è fuori dall'intervallo ammesso (da {it_number(low)} a {it_number(high)})."
        )
    return int(text)


def number_in_range(value: object, option: str, *, low: float, high: float) -> float:
    """A number (decimal point or comma) between `low` and `high` (both included)."""
    text = str(value).strip().replace(",", ".")
    try:
        result = float(text)
    except ValueError:
        result = math.nan
    if not math.isfinite(result):
        raise CommandError(f"{option}: «{value}» non è un numero.")
    if not low <= result <= high:
        raise CommandError(
            f"{option}: «{value}» è fuori dall'intervallo ammesso (da {format_quantity(low)} "
            f"a {format_quantity(high)})."
        )
    return result


def year(value: object, option: str = "--anno") -> int:
    """A calendar year of four digits."""
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise CommandError(f"{option}: «{value}» non è un anno: indicare quattro cifre, per esempio 2024.")
    return int(text)


def input_file(value: PathLike) -> Path:
    """An existing file to read (not a folder), given as a positional argument."""
    path = Path(value)
    if path.is_dir():
        raise CommandError(f"«{path}» è una cartella, non un file: indicare il file da leggere.")
    if not path.is_file():
        raise CommandError(f"File «{path}» non trovato.")
    return path


def read_input(path: Path) -> bytes:
    """The bytes of a file checked by `input_file` (a file that cannot be read: CommandError)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"Impossibile leggere il file «{path}» (permessi?).") from exc


def output_path(
    value: PathLike, option: str = "--output", *, folder_allowed: bool = False, make_folders: bool = False
) -> Path:
    """A file to write: its folder must exist (or is created with `make_folders`); an existing folder is refused
    unless `folder_allowed` (the command then writes its files in it)."""
    path = Path(value)
    if path.is_dir():
        if folder_allowed:
            return path
        raise CommandError(f"{option}: «{path}» è una cartella: indicare il nome del file da scrivere.")
    folder = path.parent
    if folder.is_dir():
        return path
    if folder.exists() or not make_folders:
        raise CommandError(f"{option}: la cartella «{folder}» non esiste.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"{option}: impossibile creare la cartella «{folder}».") from exc
    return path


def write_output(path: Path, content: bytes, option: str = "--output") -> None:
    """Write a file checked by `output_path` (a file that cannot be written: CommandError)."""
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise CommandError(f"{option}: impossibile scrivere il file «{path}» (permessi?).") from exc


class PeriodicCommand(BaseCommand):
    """Calls `round()` forever, `--interval` seconds apart (default `interval`); `--once`: one round, then exits."""

    interval: float = 60.0

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="un solo controllo, poi esce")
        parser.add_argument(
            "--interval",
            default=self.interval,
            help=f"secondi fra due controlli, da 0,1 a 86.400 (predefinito {self.interval:g})",
        )

    def handle(self, *args: Any, once: bool = False, interval: object = None, **options: Any) -> None:
        pause = self.interval if interval is None else number_in_range(interval, "--interval", low=0.1, high=86400)
        while True:
            self.round()
            if once:
                return
            time.sleep(pause)
            close_old_connections()  # a database restart between two rounds: reconnect

    def round(self) -> None:
        """One round of the command's work."""
        raise NotImplementedError
