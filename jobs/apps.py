"""App config for jobs: long work (documents, exports, recompute-all) run by a task-queue worker."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Lavori in background"
