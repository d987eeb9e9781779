"""A request that asks for a job (an import, a large export): what it must leave behind."""

from __future__ import annotations

from django.urls import reverse

from jobs.models import Job


def forbid_in_the_request(monkeypatch, work: str, *targets: tuple[object, str]) -> None:
    """Each function `(module, name)` fails the test if the request calls it: `work` (e.g. «importazione») is the
    worker's, never the request's."""

    def in_the_request(*args, **kwargs):
        raise AssertionError(f"{work} eseguita nella richiesta")

    for module, name in targets:
        monkeypatch.setattr(module, name, in_the_request)


def requested_job(response, enqueued: list, **lookups) -> Job:
    """The job the request asked for (`Job.objects.get(**lookups)`), after checking that the answer leads to its
    progress page and that its first attempt is the one task enqueued (`enqueued`: the fixture of tests/conftest.py)."""
    job = Job.objects.get(**lookups)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert enqueued == [[job.pk, 1]]
    return job
