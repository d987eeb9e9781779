"""Filters of the evaluation cards."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFilterSet, yes_no_filter

from ..models import AzioneValutata, ModelloValutazione, Risposta, SchedaValutazione


class SchedaValutazioneFilterSet(PortalFilterSet):
    search_lookups = ("obiettivo__icontains", "d5_criticita__icontains", "descrizione__icontains")  # and its actions
    q = django_filters.CharFilter(method="search", label=_("Cerca (obiettivo, azioni, criticità)"))
    area = django_filters.ChoiceFilter(label=_("Area"), empty_label=_("Tutte"))
    modello = django_filters.ChoiceFilter(
        choices=ModelloValutazione.choices, label=_("Modello di scheda"), empty_label=_("Tutti")
    )
    d6_risposta = django_filters.ChoiceFilter(
        choices=Risposta.choices, label=_("Ha risposto al bisogno"), empty_label=_("Tutte")
    )
    riproposta = yes_no_filter("by_riproposta", _("Riproposto nel nuovo piano"), empty_label=_("Tutte"))

    class Meta:
        model = SchedaValutazione
        fields = ["q", "area", "modello", "d6_risposta", "riproposta"]

    def __init__(self, *args, valutazione, **kwargs):
        super().__init__(*args, **kwargs)
        aree = sorted({a for a in valutazione.schede.values_list("area", flat=True) if a})
        self.filters["area"].extra["choices"] = [(a, a) for a in aree]

    def search_q(self, value):
        azioni = AzioneValutata.objects.filter(scheda=OuterRef("pk"), titolo__icontains=value)
        return super().search_q(value) | Exists(azioni)

    def by_riproposta(self, queryset, name, value):
        # `collegata` is annotated by planning.valutazione.selectors.annotate_riproposta
        if value == "si":
            return queryset.filter(Q(collegata=True) | Q(d8_risposta=Risposta.SI))
        return queryset.filter(collegata=False).exclude(d8_risposta=Risposta.SI)
