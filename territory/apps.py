from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "territory"
    verbose_name = "Territorio"
