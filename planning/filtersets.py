"""django-filter filtersets of the territory."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import ItalianNumberFilter, PortalFilterSet
from territory.models import Comune


class ComuneFilterSet(PortalFilterSet):
    search_lookups = ("nome__icontains", "codice_istat__startswith")
    q = django_filters.CharFilter(method="search", label=_("Cerca (nome o codice ISTAT)"))
    sigla_provincia = django_filters.ChoiceFilter(label=_("Provincia"), empty_label=_("Tutte"))
    ambito = django_filters.ChoiceFilter(label=_("Sub-ambito"), empty_label=_("Tutti"))
    pop_min = ItalianNumberFilter(field_name="pop_totale", lookup_expr="gte", label=_("Popolazione minima"))
    pop_max = ItalianNumberFilter(field_name="pop_totale", lookup_expr="lte", label=_("Popolazione massima"))

    class Meta:
        model = Comune
        fields = ["q", "sigla_provincia", "ambito", "pop_min", "pop_max"]

    def __init__(self, *args, sub_ambiti=(), **kwargs):
        super().__init__(*args, **kwargs)
        sigle = self.queryset.exclude(sigla_provincia="").values_list("sigla_provincia", flat=True)
        provinces = sigle.order_by("sigla_provincia").distinct()  # a handful of rows, not one per Comune
        self.filters["sigla_provincia"].extra["choices"] = [(p, p) for p in provinces]
        if sub_ambiti:
            self.filters["ambito"].extra["choices"] = [(str(a.pk), a.nome) for a in sub_ambiti]
        else:
            del self.filters["ambito"]
