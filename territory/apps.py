from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "territory"
    verbose_name = "Territorio"

    def ready(self) -> None:
        from . import versions  # the models are loaded only now (Django's app registry)  # noqa: PLC0415

        versions.register()
