"""App config for accounts: roles, assignments and data scoping."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Utenti e ruoli"
