"""App config for accounts: roles, assignments and data scoping."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Utenti e ruoli"

    def ready(self) -> None:
        from . import user_cache  # noqa: PLC0415 - the models are loaded only once the apps are ready

        user_cache.register()  # the cached users and their grants are dropped at every change
