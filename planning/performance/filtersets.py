"""Filters of the operational objectives."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFilterSet, yes_no_filter

from ..models import ObiettivoOperativo, ObiettivoStrategico


class ObiettivoOperativoFilterSet(PortalFilterSet):
    search_lookups = (
        "codice__icontains", "testo__icontains", "obiettivi_collegati__icontains", "indicatori_testo__icontains",
        "report__icontains", "indicatori__descrizione__icontains",
    )  # fmt: skip
    search_distinct = True  # an objective with two matching indicators is listed once
    q = django_filters.CharFilter(method="search", label=_("Cerca (codice, obiettivo, indicatori, report)"))
    strategico = django_filters.ModelChoiceFilter(
        queryset=ObiettivoStrategico.objects.none(), label=_("Obiettivo strategico"), empty_label=_("Tutti")
    )
    dirigente_nome = django_filters.ChoiceFilter(label=_("Dirigente"), empty_label=_("Tutti"))
    valutato = yes_no_filter("by_valutato", _("Valutato"))

    class Meta:
        model = ObiettivoOperativo
        fields = ["q", "strategico", "dirigente_nome", "valutato"]

    def __init__(self, *args, piano, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["strategico"].queryset = piano.obiettivi_strategici.all()
        self.form.fields["strategico"].label_from_instance = lambda o: f"{o.codice} {o.testo[:70]}"
        names = sorted(
            set(ObiettivoOperativo.objects.filter(strategico__piano=piano).values_list("dirigente_nome", flat=True))
        )
        self.filters["dirigente_nome"].extra["choices"] = [(n, n) for n in names]

    def by_valutato(self, queryset, name, value):
        cond = Q(valutazione_risultato__isnull=False) | Q(valutazione_qualitativa__isnull=False)
        return queryset.filter(cond) if value == "si" else queryset.exclude(cond)
