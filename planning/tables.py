"""django-tables2 tables of the territory."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.formatting import it_number, it_percent

from .models import Comune


class NumberColumn(tables.Column):
    """A right-aligned number shown as 1.234,56 (the raw value goes to exports)."""

    def __init__(self, *args, decimals: int = 0, percent: bool = False, **kwargs):
        self.decimals, self.percent = decimals, percent
        attrs = kwargs.pop("attrs", {})
        attrs.setdefault("td", {"class": "text-end"})
        attrs.setdefault("th", {"class": "text-end", "scope": "col"})
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value):
        return it_percent(value, self.decimals) if self.percent else it_number(value, self.decimals)

    def value(self, value):
        return round(value, 2) if isinstance(value, float) else value


class ComuneTable(tables.Table):
    codice_istat = tables.Column(verbose_name=_("Codice ISTAT"), attrs={"th": {"scope": "col"}})
    nome = tables.Column(verbose_name=_("Comune"), linkify=True, attrs={"th": {"scope": "col"}})
    sigla_provincia = tables.Column(verbose_name=_("Prov."), attrs={"th": {"scope": "col"}})
    pop_totale = NumberColumn(verbose_name=_("Popolazione"))
    pct_stranieri = NumberColumn(verbose_name=_("% stranieri"), decimals=1, percent=True)
    pct_65 = NumberColumn(verbose_name=_("% 65 anni e oltre"), decimals=1, percent=True)
    pct_0_17 = NumberColumn(verbose_name=_("% 0-17 anni"), decimals=1, percent=True)
    indice_vecchiaia = NumberColumn(verbose_name=_("Indice di vecchiaia"), decimals=1)

    class Meta:
        model = Comune
        fields = ("codice_istat", "nome", "sigla_provincia")
        sequence = ("codice_istat", "nome", "sigla_provincia", "pop_totale", "pct_stranieri", "pct_65", "pct_0_17")
        order_by = ("nome",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("Nessun Comune corrisponde ai filtri.")
