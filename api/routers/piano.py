"""Piano di Zona: plans, areas, objectives, interventions (with their card), actions, indicators, resources.

The lists take the filters of the plan's pages (planning.piano.filtersets), with the same names and values.
"""

from typing import Annotated, Any

from django.db.models import Q
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate

from planning.models import Indicatore, Obiettivo, PianoDiZona, StatoAzione, StatoIntervento, StatoPiano, TipoIndicatore
from planning.piano.cards import intervento_scheda_queryset
from planning.piano.filtersets import AzioneFilterSet, InterventoFilterSet, RisorsaFilterSet
from planning.piano.selectors import azioni_ordinate, interventi_lista, piani_lista, risorse_ordinate

from ..pagination import Pagine
from ..schemas import (
    ERRORS,
    AreaOut,
    AzioneOut,
    IndicatoreOut,
    InterventoDettaglio,
    InterventoOut,
    ObiettivoOut,
    PianoOut,
    RisorsaOut,
)
from .common import Anno, By, Filtri, Id, Testo, in_ambito, scoped_or_404

router = Router(tags=["Piano di Zona"])

SiNo = Testo  # "si", "no", "nd" (not answered), as on the page


class FiltroPiani(Filtri):
    ambito: Annotated[Testo | None, in_ambito("ambito")] = None
    stato: StatoPiano | None = None
    # the plans in force that year
    anno: Annotated[Anno | None, By(lambda anno: Q(anno_inizio__lte=anno, anno_fine__gte=anno))] = None


class FiltroObiettivi(Schema):
    area: Testo | None = None
    livello: Obiettivo.Livello | None = None


class FiltroInterventi(Schema):
    q: Testo | None = None
    area: Id | None = None
    obiettivo: Id | None = None
    fondo: Id | None = None
    leps: Id | None = None
    coprogrammato: SiNo | None = None
    coprogettato: SiNo | None = None
    stato: StatoIntervento | None = None
    sub_ambito: Id | None = None


class FiltroAzioni(Schema):
    q: Testo | None = None
    stato: StatoAzione | None = None
    responsabile: Testo | None = None
    area: Id | None = None


class FiltroIndicatori(Schema):
    tipo: TipoIndicatore | None = None
    intervento: Id | None = None


class FiltroRisorse(Schema):
    fondo: Id | None = None
    anno: Anno | None = None
    area: Id | None = None


def _filtered(filterset_class, filtri: Schema, queryset, piano: PianoDiZona):
    """The page's filterset on `queryset`; 422 naming the parameter when a value is not one of its choices."""
    data = {k: v for k, v in filtri.model_dump().items() if v not in (None, "")}
    filterset = filterset_class(data, queryset=queryset, piano=piano)
    if not filterset.is_valid():
        errors: list[dict[str, Any]] = [
            {"loc": ["query", name], "msg": " ".join(messages)} for name, messages in filterset.errors.items()
        ]
        raise ValidationError(errors)
    return filterset.qs


def _piano(request, slug: str) -> PianoDiZona:
    return scoped_or_404(PianoDiZona.objects.select_related("ambito"), request, slug=slug)


@router.get("", response={200: list[PianoOut], **ERRORS}, summary="Piani di Zona dell'utente")
@paginate(Pagine)
def piani(request, filtri: Query[FiltroPiani]):
    return filtri.filter(piani_lista(request.user).order_by("ambito__nome", "-anno_inizio"))


@router.get("/{slug}", response={200: PianoOut, **ERRORS}, summary="Un Piano di Zona")
def piano(request, slug: Testo):
    return scoped_or_404(piani_lista(request.user), request, slug=slug)


@router.get("/{slug}/aree", response={200: list[AreaOut], **ERRORS}, summary="Aree del piano")
@paginate(Pagine)
def aree(request, slug: Testo):
    return _piano(request, slug).aree.order_by("ordine", "codice")


@router.get("/{slug}/obiettivi", response={200: list[ObiettivoOut], **ERRORS}, summary="Obiettivi del piano")
@paginate(Pagine)
def obiettivi(request, slug: Testo, filtri: Query[FiltroObiettivi]):
    queryset = _piano(request, slug).obiettivi.select_related("area").order_by("ordine", "pk")
    if filtri.area:
        queryset = queryset.filter(Obiettivo.in_area("", filtri.area, "__codice"))
    if filtri.livello:
        queryset = queryset.filter(livello=filtri.livello)
    return queryset


@router.get("/{slug}/interventi", response={200: list[InterventoOut], **ERRORS}, summary="Interventi del piano")
@paginate(Pagine)
def interventi(request, slug: Testo, filtri: Query[FiltroInterventi]):
    found = _piano(request, slug)
    return _filtered(InterventoFilterSet, filtri, interventi_lista(found).order_by("ordine", "pk"), found)


@router.get(
    "/{slug}/interventi/{intervento_id}",
    response={200: InterventoDettaglio, **ERRORS},
    summary="Un intervento con la sua scheda, le azioni, gli indicatori e le risorse",
)
def intervento(request, slug: Testo, intervento_id: Id):
    found = _piano(request, slug)
    return scoped_or_404(intervento_scheda_queryset().filter(piano=found), request, pk=intervento_id)


@router.get("/{slug}/azioni", response={200: list[AzioneOut], **ERRORS}, summary="Azioni del piano")
@paginate(Pagine)
def azioni(request, slug: Testo, filtri: Query[FiltroAzioni]):
    found = _piano(request, slug)
    return _filtered(AzioneFilterSet, filtri, azioni_ordinate(found), found)


@router.get("/{slug}/indicatori", response={200: list[IndicatoreOut], **ERRORS}, summary="Indicatori del piano")
@paginate(Pagine)
def indicatori(request, slug: Testo, filtri: Query[FiltroIndicatori]):
    queryset = Indicatore.objects.filter(intervento__piano=_piano(request, slug)).prefetch_related("target")
    if filtri.tipo:
        queryset = queryset.filter(tipo=filtri.tipo)
    if filtri.intervento:
        queryset = queryset.filter(intervento_id=filtri.intervento)
    return queryset.order_by("intervento__ordine", "intervento_id", "ordine", "pk")


@router.get("/{slug}/risorse", response={200: list[RisorsaOut], **ERRORS}, summary="Risorse del piano")
@paginate(Pagine)
def risorse(request, slug: Testo, filtri: Query[FiltroRisorse]):
    found = _piano(request, slug)
    return _filtered(RisorsaFilterSet, filtri, risorse_ordinate(found), found)
