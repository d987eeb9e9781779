"""App config for monitoring: schede di monitoraggio SOSE and periodic plan monitoring."""

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = "Monitoraggio"

    def ready(self) -> None:
        from . import versions  # the models are loaded only now (Django's app registry)  # noqa: PLC0415

        versions.register()
