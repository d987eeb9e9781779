"""App config for reports: PDF, Excel, charts and dashboards."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Report"

    def ready(self) -> None:
        from .jobs import register_documents  # noqa: PLC0415 - the models are loaded only once the apps are ready

        register_documents()
