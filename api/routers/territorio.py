"""Territory: Ambiti, Comuni with their ISTAT code, population by year."""

from django.db.models import Count, Prefetch, Q
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from territory.models import Ambito, Comune, Popolazione

from ..pagination import Pagine
from ..schemas import ERRORS, AmbitoOut, ComuneDettaglio, ComuneOut, PopolazioneOut
from .common import Anno, Testo, scoped, scoped_or_404

router = Router(tags=["Territorio"])


class FiltroAmbiti(Schema):
    q: Testo | None = None


class FiltroComuni(Schema):
    q: Testo | None = None
    ambito: Testo | None = None
    provincia: Testo | None = None


class FiltroPopolazione(Schema):
    comune: Testo | None = None
    ambito: Testo | None = None
    anno: Anno | None = None


def _ambiti():
    return Ambito.objects.select_related("regione", "parent").annotate(n_comuni=Count("comuni")).order_by("nome")


@router.get("/ambiti", response={200: list[AmbitoOut], **ERRORS}, summary="Ambiti dell'utente")
@paginate(Pagine)
def ambiti(request, filtri: Query[FiltroAmbiti]):
    queryset = scoped(_ambiti(), request)
    if filtri.q:
        queryset = queryset.filter(Q(nome__icontains=filtri.q) | Q(slug__icontains=filtri.q))
    return queryset


@router.get("/ambiti/{slug}", response={200: AmbitoOut, **ERRORS}, summary="Un Ambito")
def ambito(request, slug: str):
    return scoped_or_404(_ambiti(), request, slug=slug)


def _comuni():
    return Comune.objects.select_related("ambito").order_by("nome", "codice_istat")


@router.get("/comuni", response={200: list[ComuneOut], **ERRORS}, summary="Comuni dell'utente")
@paginate(Pagine)
def comuni(request, filtri: Query[FiltroComuni]):
    queryset = scoped(_comuni(), request)
    if filtri.q:
        queryset = queryset.filter(Q(nome__icontains=filtri.q) | Q(codice_istat=filtri.q))
    if filtri.ambito:
        queryset = queryset.filter(Q(ambito__slug=filtri.ambito) | Q(ambito__parent__slug=filtri.ambito))
    if filtri.provincia:
        queryset = queryset.filter(sigla_provincia__iexact=filtri.provincia)
    return queryset


@router.get("/comuni/{codice_istat}", response={200: ComuneDettaglio, **ERRORS}, summary="Un Comune (codice ISTAT)")
def comune(request, codice_istat: str):
    queryset = _comuni().prefetch_related(Prefetch("popolazioni", queryset=Popolazione.objects.order_by("anno")))
    return scoped_or_404(queryset, request, codice_istat=codice_istat)


@router.get("/popolazione", response={200: list[PopolazioneOut], **ERRORS}, summary="Popolazione per Comune e anno")
@paginate(Pagine)
def popolazione(request, filtri: Query[FiltroPopolazione]):
    queryset = scoped(Popolazione.objects.all(), request).order_by("comune_id", "anno")
    if filtri.comune:
        queryset = queryset.filter(comune_id=filtri.comune)
    if filtri.ambito:
        queryset = queryset.filter(
            Q(comune__ambito__slug=filtri.ambito) | Q(comune__ambito__parent__slug=filtri.ambito)
        )
    if filtri.anno:
        queryset = queryset.filter(anno=filtri.anno)
    return queryset
