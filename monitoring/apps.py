"""App config for monitoring: schede di monitoraggio SOSE and periodic plan monitoring."""

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = "Monitoraggio"
