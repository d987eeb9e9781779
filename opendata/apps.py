"""App config for opendata: the open data an Ambito publishes (CSV, JSON, DCAT-AP_IT catalogue)."""

from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Dati aperti"
