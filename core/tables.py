"""Shared django-tables2 columns."""

import django_tables2 as tables

from core.formatting import it_number, it_percent


class NumberColumn(tables.Column):
    """A right-aligned number shown as 1.234,56 (the raw value goes to exports)."""

    def __init__(self, *args, decimals: int = 0, percent: bool = False, **kwargs):
        self.decimals, self.percent = decimals, percent
        attrs = kwargs.pop("attrs", {})
        attrs.setdefault("td", {"class": "text-end"})
        attrs.setdefault("th", {"class": "text-end"})  # bootstrap5 template adds scope="col"
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value):
        return it_percent(value, self.decimals) if self.percent else it_number(value, self.decimals)

    def value(self, value):
        return round(value, 2) if isinstance(value, float) else value
