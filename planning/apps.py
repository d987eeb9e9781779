"""App config for planning: territory, Piano di Zona and performance plan."""

from django.apps import AppConfig


class PlanningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "planning"
    verbose_name = "Territorio e programmazione"
