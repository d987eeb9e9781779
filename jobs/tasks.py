"""The one task of the queue (Django's Tasks API, the django-tasks backport): run a job by its id."""

from __future__ import annotations

from django_tasks import task

from . import runner


@task()
def run_job(job_id: int, attempt: int) -> None:
    """Run attempt `attempt` of the job `job_id` (nothing if another attempt has taken it over)."""
    runner.execute(job_id, attempt)
