"""Filters of the snapshot lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFilterSet, yes_no_filter
from planning.models import Area, Obiettivo, StatoAzione

from .models import Rilevazione, StatoAzioneRilevato, StatoRilevazione, ValoreIndicatoreRilevato


class RilevazioneFilterSet(PortalFilterSet):
    anno = django_filters.ChoiceFilter(label=_("Anno"), empty_label=_("Tutti"))
    stato = django_filters.ChoiceFilter(choices=StatoRilevazione.choices, label=_("Stato"), empty_label=_("Tutti"))

    class Meta:
        model = Rilevazione
        fields = ["anno", "stato"]

    def __init__(self, *args, piano, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["anno"].extra["choices"] = [(str(a), str(a)) for a in piano.anni]


class _EntryFilterSet(PortalFilterSet):
    """The entries of a snapshot by area of the plan (objective or parent objective) and by free text."""

    prefix_path = ""  # from the entry to its intervention
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.none(), method="by_area", label=_("Area"), empty_label=_("Tutte")
    )

    def __init__(self, *args, piano, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["area"].queryset = piano.aree.all()

    def by_area(self, queryset, name, value):
        p = self.prefix_path
        return queryset.filter(Obiettivo.in_area(f"{p}__obiettivo", value))


class StatoAzioneFilterSet(_EntryFilterSet):
    prefix_path = "azione__intervento"
    search_lookups = ("azione__titolo__icontains", "azione__intervento__titolo__icontains", "commento__icontains")
    q = django_filters.CharFilter(method="search", label=_("Cerca (azione, intervento, commento)"))
    stato = django_filters.ChoiceFilter(choices=StatoAzione.choices, label=_("Stato"), empty_label=_("Tutti"))

    class Meta:
        model = StatoAzioneRilevato
        fields = ["q", "area", "stato"]


class ValoreIndicatoreFilterSet(_EntryFilterSet):
    prefix_path = "indicatore__intervento"
    search_lookups = (
        "indicatore__descrizione__icontains",
        "indicatore__intervento__titolo__icontains",
        "commento__icontains",
    )
    q = django_filters.CharFilter(method="search", label=_("Cerca (indicatore, intervento, commento)"))
    rilevato = yes_no_filter("by_rilevato", _("Valore rilevato"))

    class Meta:
        model = ValoreIndicatoreRilevato
        fields = ["q", "area", "rilevato"]

    def by_rilevato(self, queryset, name, value):
        return queryset.filter(valore__isnull=(value != "si"))
