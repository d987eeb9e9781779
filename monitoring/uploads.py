"""Checks made on a schede file before reading it, shared by the web upload (``UploadForm``) and ``import_schede``.

One place for the size limit and the allowed extensions, so both channels refuse the same files with the same
Italian message naming the file. The limit is the setting ``SCHEDE_UPLOAD_MAX_MB`` (megabytes, default 10).
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from core.numbers import format_it

__all__ = [
    "DEFAULT_MAX_MB",
    "check_upload",
    "check_upload_path",
    "max_upload_bytes",
    "max_upload_mb",
    "upload_limit_text",
]

DEFAULT_MAX_MB = 10
MB = 1024 * 1024


def max_upload_mb() -> Decimal:
    """The largest file accepted, in megabytes (``settings.SCHEDE_UPLOAD_MAX_MB``, default 10)."""
    return Decimal(str(getattr(settings, "SCHEDE_UPLOAD_MAX_MB", DEFAULT_MAX_MB)))


def max_upload_bytes() -> int:
    return int(max_upload_mb() * MB)


def _megabytes(size: int) -> str:
    """A size in MB with one decimal, rounded up so that a file just over the limit never reads as the limit."""
    return format_it(Decimal(math.ceil(size * 10 / MB)) / 10, 1)


def upload_limit_text() -> str:
    """The limit as the messages show it: ``"10"``, ``"0,5"``."""
    limit = max_upload_mb().normalize()
    return format_it(limit, max(0, -limit.as_tuple().exponent))


def check_upload(name: str, size: int, extensions: tuple[str, ...]) -> str | None:
    """Why a file is refused before reading it (extension, then size), or ``None`` when it may be read.

    ``extensions`` are the accepted endings, lower case with the dot (``(".xlsx",)``).
    """
    suffix = Path(name).suffix.lower()
    if suffix not in extensions:
        allowed = " o ".join(extensions)
        found = f"«{suffix}»" if suffix else "mancante"
        return f"{name}: estensione {found} non ammessa, caricare un file {allowed}."
    if size > max_upload_bytes():
        return f"{name}: il file è di {_megabytes(size)} MB, oltre il limite di {upload_limit_text()} MB."
    return None


def check_upload_path(path: Path, extensions: tuple[str, ...]) -> str | None:
    """:func:`check_upload` for a file on disk (its size is read from the file system, the file is not read)."""
    return check_upload(path.name, path.stat().st_size, extensions)
