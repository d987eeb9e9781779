"""Checks made on an uploaded file before reading it: the web uploads (:class:`CheckedFileForm`: schede, commitments
and payments) and ``import_schede``.

One place for the size limit and the allowed extensions, so every channel refuses the same files with the same
Italian message naming the file. The limit is the setting ``SCHEDE_UPLOAD_MAX_MB`` (megabytes, default 10), named
after the first upload it limited.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from core.numbers import format_it

__all__ = [
    "DEFAULT_MAX_MB",
    "CheckedFileForm",
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
    exponent = limit.as_tuple().exponent  # an int for a finite number
    return format_it(limit, max(0, -exponent) if isinstance(exponent, int) else 0)


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


class CheckedFileForm(forms.Form):
    """A form with an uploaded `file` (declared by the subclass), refused before reading when its extension is not
    one of `extensions` or it is over the limit (:func:`check_upload`)."""

    extensions: tuple[str, ...] = ()

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        error = check_upload(upload.name, upload.size, self.extensions)
        if error:
            raise forms.ValidationError(error)
        return upload
