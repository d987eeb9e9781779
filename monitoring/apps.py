"""App config for monitoring: schede di monitoraggio SOSE and periodic plan monitoring."""

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Monitoraggio"

    def ready(self) -> None:
        from . import versions  # noqa: PLC0415 - the models are loaded only once the apps are ready
        from .campaigns.reminders import register_kind as register_reminders  # noqa: PLC0415 - as above
        from .import_jobs import register_kinds as register_import  # noqa: PLC0415 - as above
        from .jobs import register_kinds  # noqa: PLC0415 - the models are loaded only once the apps are ready

        register_kinds()
        register_import()
        register_reminders()
        versions.register()
