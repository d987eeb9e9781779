"""App config for core, the UI kit that knows no domain: form base and renderer for Bootstrap Italia, tables,
exports, SVG charts, PDF rendering, breadcrumbs, history display, Italian number parsing and formatting, the
optimistic merge of concurrent saves."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Nucleo del portale"
