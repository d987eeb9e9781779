"""App config for core: shared UI shell, formatting, exports, health check."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Nucleo del portale"
