"""Where the file of a job lives: MEDIA_ROOT/jobs/<chiave>, written as `<file>.<attempt>.part` and renamed."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from .models import Job


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_path(chiave: str) -> Path:
    """The finished file of a job (its folder is made by `partial_path` before it is written: a download that
    looks for it makes nothing)."""
    return Path(settings.MEDIA_ROOT) / "jobs" / chiave


def partial_path(chiave: str, attempt: int) -> Path:
    """The file being written by attempt `attempt` (never served: only the renamed file is)."""
    return storage_dir() / f"{chiave}.{attempt}.part"


def file_ok(job: Job) -> bool:
    """Whether the job is ready and its file is there with the size recorded when it was completed."""
    if job.stato != Job.Stato.PRONTO or not job.nome_file:
        return False
    try:
        return file_path(job.chiave).stat().st_size == job.dimensione
    except OSError:
        return False
