"""App config for planning: territory, Piano di Zona and performance plan."""

from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = "Territorio e programmazione"

    def ready(self) -> None:
        from . import versions  # the models are loaded only now (Django's app registry)  # noqa: PLC0415
        from .bilancio.movimenti_jobs import register_kinds as register_movimenti  # noqa: PLC0415 - as above
        from .import_jobs import register_kinds  # noqa: PLC0415 - as above

        versions.register()
        register_kinds()
        register_movimenti()
