"""django-tables2 tables of the territory."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import NumberColumn
from territory.models import Comune


class ComuneTable(tables.Table):
    codice_istat = tables.Column(verbose_name=_("Codice ISTAT"))
    nome = tables.Column(verbose_name=_("Comune"), linkify=True)
    sigla_provincia = tables.Column(verbose_name=_("Prov."))
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
        template_name = "planning/_comune_table.html"  # the rows written in Python (planning.templatetags.comuni)
