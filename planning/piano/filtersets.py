"""django-filter filtersets of the Piano di Zona lists (interventions, actions, resources, the registries)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFilterSet

from ..models import (
    Azione,
    Fondo,
    Intervento,
    Leps,
    LineaPNRR,
    Obiettivo,
    OrganismoGovernance,
    Progetto,
    Risorsa,
    ServizioAssociato,
    StatoAzione,
    StatoIntervento,
)

SI_NO = [("si", _("Sì")), ("no", _("No")), ("nd", _("Non indicato"))]


def area_filter(path: str) -> django_filters.ModelChoiceFilter:
    """The plan's areas (queryset set by the filterset): the rows whose objective at `path` is in the chosen area,
    its own or its strategic objective's (Obiettivo.in_area), as the budget and the monitoring count them."""
    return django_filters.ModelChoiceFilter(
        method=lambda queryset, name, value: queryset.filter(Obiettivo.in_area(path, value)),
        label=_("Area"),
        empty_label=_("Tutte"),
    )


class InterventoFilterSet(PortalFilterSet):
    search_lookups = (
        "titolo__icontains",
        "codice__iexact",
        "target__icontains",
        "descrizione__icontains",
    )  # and its actions
    q = django_filters.CharFilter(method="search", label=_("Cerca (titolo, target, azioni)"))
    area = area_filter("obiettivo")
    obiettivo = django_filters.ModelChoiceFilter(method="by_obiettivo", label=_("Obiettivo"), empty_label=_("Tutti"))
    fondo = django_filters.ModelChoiceFilter(
        method="by_fondo", queryset=Fondo.objects.all(), label=_("Fondo"), empty_label=_("Tutti")
    )
    leps = django_filters.ModelChoiceFilter(
        field_name="leps", queryset=Leps.objects.all(), label=_("LEPS"), empty_label=_("Tutti")
    )
    coprogrammato = django_filters.ChoiceFilter(
        method="by_flag", choices=SI_NO, label=_("Co-programmato con il Terzo Settore"), empty_label=_("Tutti")
    )
    coprogettato = django_filters.ChoiceFilter(
        method="by_flag", choices=SI_NO, label=_("Co-progettato con il Terzo Settore"), empty_label=_("Tutti")
    )
    stato = django_filters.ChoiceFilter(choices=StatoIntervento.choices, label=_("Stato"), empty_label=_("Tutti"))
    sub_ambito = django_filters.ModelChoiceFilter(
        field_name="obiettivo__sub_ambito", label=_("Sub-ambito"), empty_label=_("Tutti")
    )

    class Meta:
        model = Intervento
        fields = ["q", "area", "obiettivo", "fondo", "leps", "coprogrammato", "coprogettato", "stato", "sub_ambito"]

    def __init__(self, *args, piano, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["area"].queryset = piano.aree.all()
        obiettivi = piano.obiettivi.select_related("area")
        self.filters["obiettivo"].queryset = obiettivi
        sub = piano.ambito.sub_ambiti.all()
        if sub:
            self.filters["sub_ambito"].queryset = sub
        else:
            del self.filters["sub_ambito"]
        if not piano.aree.exists():
            del self.filters["area"]
        self.form.fields["obiettivo"].label_from_instance = lambda o: str(o)[:110]

    def search_q(self, value):
        return super().search_q(value) | Exists(
            Azione.objects.filter(intervento=OuterRef("pk"), titolo__icontains=value)
        )

    def by_obiettivo(self, queryset, name, value):
        return queryset.filter(Q(obiettivo=value) | Q(obiettivo__parent=value))

    def by_fondo(self, queryset, name, value):
        dichiarato = Intervento.fondi.through.objects.filter(intervento=OuterRef("pk"), fondo=value)
        in_bilancio = Risorsa.objects.filter(intervento=OuterRef("pk"), fondo=value)
        return queryset.filter(Exists(dichiarato) | Exists(in_bilancio))

    def by_flag(self, queryset, name, value):
        # `coprogrammato` / `coprogettato` are annotated from the template answer with that key.
        if value == "si":
            return queryset.filter(**{name: True})
        if value == "no":
            return queryset.filter(**{name: False})
        return queryset.filter(**{f"{name}__isnull": True})


class AzioneFilterSet(PortalFilterSet):
    search_lookups = ("titolo__icontains", "intervento__titolo__icontains")
    q = django_filters.CharFilter(method="search", label=_("Cerca (azione o intervento)"))
    stato = django_filters.ChoiceFilter(choices=StatoAzione.choices, label=_("Stato"), empty_label=_("Tutti"))
    responsabile = django_filters.ChoiceFilter(label=_("Responsabile"), empty_label=_("Tutti"))
    area = area_filter("intervento__obiettivo")

    class Meta:
        model = Azione
        fields = ["q", "stato", "responsabile", "area"]

    def __init__(self, *args, piano, **kwargs):
        super().__init__(*args, **kwargs)
        names = sorted(
            set(
                Azione.objects.filter(intervento__piano=piano)
                .exclude(responsabile="")
                .values_list("responsabile", flat=True)
            )
        )
        self.filters["responsabile"].extra["choices"] = [(n, n) for n in names]
        self.filters["area"].queryset = piano.aree.all()


class RisorsaFilterSet(PortalFilterSet):
    fondo = django_filters.ModelChoiceFilter(queryset=Fondo.objects.all(), label=_("Fondo"), empty_label=_("Tutti"))
    anno = django_filters.ChoiceFilter(label=_("Anno"), empty_label=_("Tutti"))
    area = area_filter("intervento__obiettivo")

    class Meta:
        model = Risorsa
        fields = ["fondo", "anno", "area"]

    def __init__(self, *args, piano, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["anno"].extra["choices"] = [(str(a), str(a)) for a in piano.anni]
        self.filters["area"].queryset = piano.aree.all()


# --- The plan's registries: projects of the network, PNRR lines, gestione associata, governance ---------------


class ProgettoFilterSet(PortalFilterSet):
    search_lookups = ("titolo__icontains", "aree_lavoro__icontains", "capofila__icontains", "partenariato__icontains")
    q = django_filters.CharFilter(method="search", label=_("Cerca (progetto, capofila, partner)"))
    area = django_filters.ModelChoiceFilter(label=_("Area"), empty_label=_("Tutte"))
    stato = django_filters.CharFilter(
        field_name="stato_realizzazione", lookup_expr="icontains", label=_("Stato di realizzazione (contiene)")
    )
    fonte = django_filters.CharFilter(
        field_name="fonte_finanziamento", lookup_expr="icontains", label=_("Fonte di finanziamento (contiene)")
    )
    fondo = django_filters.ModelChoiceFilter(
        field_name="fondi", queryset=Fondo.objects.all(), label=_("Fondo"), empty_label=_("Tutti")
    )

    class Meta:
        model = Progetto
        fields = ["q", "area", "stato", "fonte", "fondo"]

    def __init__(self, *args, piano, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["area"].queryset = piano.aree.all()


class LineaPNRRFilterSet(PortalFilterSet):
    search_lookups = ("titolo__icontains", "intervento__icontains", "voci__nome__icontains")
    search_distinct = True
    q = django_filters.CharFilter(method="search", label=_("Cerca (titolo, intervento, voci)"))
    codice = django_filters.ChoiceFilter(label=_("Linea"), empty_label=_("Tutte"))
    fondo = django_filters.ModelChoiceFilter(queryset=Fondo.objects.all(), label=_("Fondo"), empty_label=_("Tutti"))

    class Meta:
        model = LineaPNRR
        fields = ["q", "codice", "fondo"]

    def __init__(self, *args, piano, **kwargs):
        super().__init__(*args, **kwargs)
        codici = piano.linee_pnrr.order_by("codice").values_list("codice", flat=True).distinct()
        self.filters["codice"].extra["choices"] = [(c, c) for c in codici]


class ServizioAssociatoFilterSet(PortalFilterSet):
    search_lookups = (
        "nome__icontains",
        "attivita_target__icontains",
        "canali_finanziamento__icontains",
        "strumenti__icontains",
    )
    q = django_filters.CharFilter(method="search", label=_("Cerca (servizio, attività, finanziamento)"))
    area = django_filters.ModelChoiceFilter(label=_("Area"), empty_label=_("Tutte"))
    fondo = django_filters.ModelChoiceFilter(
        field_name="fondi", queryset=Fondo.objects.all(), label=_("Fondo"), empty_label=_("Tutti")
    )

    class Meta:
        model = ServizioAssociato
        fields = ["q", "area", "fondo"]

    def __init__(self, *args, piano, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["area"].queryset = piano.aree.all()


class OrganismoGovernanceFilterSet(PortalFilterSet):
    search_lookups = ("nome__icontains", "composizione__icontains", "funzioni__icontains")
    q = django_filters.CharFilter(method="search", label=_("Cerca (organismo, composizione, funzioni)"))
    livello = django_filters.ChoiceFilter(
        choices=OrganismoGovernance.Livello.choices, label=_("Livello"), empty_label=_("Tutti")
    )

    class Meta:
        model = OrganismoGovernance
        fields = ["q", "livello"]

    def __init__(self, *args, piano, **kwargs):
        super().__init__(*args, **kwargs)
