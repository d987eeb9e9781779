"""App config for jobs: long work (documents, exports, recompute-all) run by a task-queue worker."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jobs"
    verbose_name = "Lavori in background"
