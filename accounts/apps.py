"""App config for accounts: roles, assignments and data scoping."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Utenti e ruoli"
