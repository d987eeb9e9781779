"""App config for monitoring: schede di monitoraggio SOSE and periodic plan monitoring."""

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = "Monitoraggio"

    def ready(self) -> None:
        from . import versions  # noqa: PLC0415 - the models are loaded only once the apps are ready
        from .campaigns.reminders import register_kind  # noqa: PLC0415 - same
        from .jobs import register_kinds  # noqa: PLC0415 - the models are loaded only once the apps are ready

        register_kinds()
        register_kind()
        versions.register()
