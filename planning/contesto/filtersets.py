"""Filters of the spending facts and of the printed figures."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFilterSet

from ..models import Dimensione, Grandezza, SpesaSociale, TabellaSpesa, ValoreStampato


class SpesaSocialeFilterSet(PortalFilterSet):
    search_lookups = ("voce__nome__icontains", "voce__area__nome__icontains", "nota__icontains")
    q = django_filters.CharFilter(method="search", label=_("Cerca (voce, area, nota)"))
    tabella = django_filters.ModelChoiceFilter(
        queryset=TabellaSpesa.objects.none(), label=_("Tabella"), empty_label=_("Tutte")
    )
    dimensione = django_filters.ChoiceFilter(
        field_name="voce__dimensione", choices=Dimensione.choices, label=_("Dimensione"), empty_label=_("Tutte")
    )
    anno = django_filters.ChoiceFilter(label=_("Anno"), empty_label=_("Tutti"))

    class Meta:
        model = SpesaSociale
        fields = ["q", "tabella", "dimensione", "anno"]

    def __init__(self, *args, ambito, **kwargs):
        super().__init__(*args, **kwargs)
        ids = ambito.with_sub_ambiti_ids()
        self.filters["tabella"].queryset = TabellaSpesa.objects.filter(ambito_id__in=ids)
        anni = sorted(set(SpesaSociale.objects.filter(tabella__ambito_id__in=ids).values_list("anno", flat=True)))
        self.filters["anno"].extra["choices"] = [(str(a), str(a)) for a in anni]


class ValoreStampatoFilterSet(PortalFilterSet):
    search_lookups = ("etichetta__icontains", "riferimento__icontains")
    q = django_filters.CharFilter(method="search", label=_("Cerca (voce stampata, riferimento)"))
    grandezza = django_filters.ChoiceFilter(choices=Grandezza.choices, label=_("Grandezza"), empty_label=_("Tutte"))
    esito = django_filters.ChoiceFilter(
        method="by_esito",
        choices=[("difforme", _("Difforme")), ("coincide", _("Coincide"))],
        label=_("Esito"),
        empty_label=_("Tutti"),
    )

    class Meta:
        model = ValoreStampato
        fields = ["q", "grandezza", "esito"]

    def __init__(self, *args, checks: dict, **kwargs):
        self.checks = checks
        super().__init__(*args, **kwargs)

    def by_esito(self, queryset, name, value):
        ids = [
            pk
            for pk, c in self.checks.items()
            if c.difforme == (value == "difforme") and (c.ricalcolabile or value == "difforme")
        ]
        if value == "coincide":
            ids = [pk for pk, c in self.checks.items() if c.ricalcolabile and not c.difforme]
        return queryset.filter(pk__in=ids)
