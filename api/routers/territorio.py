"""Territory: Ambiti, Comuni with their ISTAT code, population by year."""

from typing import Annotated

from django.db.models import Count, Prefetch, Q
from ninja import Query, Router
from ninja.pagination import paginate

from territory.models import Ambito, Comune, Popolazione

from ..pagination import Pagine
from ..schemas import ERRORS, AmbitoOut, ComuneDettaglio, ComuneOut, PopolazioneOut
from .common import Anno, By, Filtri, Testo, in_ambito, scoped, scoped_or_404

router = Router(tags=["Territorio"])


class FiltroAmbiti(Filtri):
    q: Annotated[Testo | None, By(lambda q: Q(nome__icontains=q) | Q(slug__icontains=q))] = None


class FiltroComuni(Filtri):
    q: Annotated[Testo | None, By(lambda q: Q(nome__icontains=q) | Q(codice_istat=q))] = None
    ambito: Annotated[Testo | None, in_ambito("ambito")] = None
    provincia: Annotated[Testo | None, By("sigla_provincia__iexact")] = None


class FiltroPopolazione(Filtri):
    comune: Annotated[Testo | None, By("comune_id")] = None
    ambito: Annotated[Testo | None, in_ambito("comune__ambito")] = None
    anno: Anno | None = None


def _ambiti():
    return Ambito.objects.select_related("regione", "parent").annotate(n_comuni=Count("comuni")).order_by("nome")


@router.get("/ambiti", response={200: list[AmbitoOut], **ERRORS}, summary="Ambiti dell'utente")
@paginate(Pagine)
def ambiti(request, filtri: Query[FiltroAmbiti]):
    return filtri.filter(scoped(_ambiti(), request))


@router.get("/ambiti/{slug}", response={200: AmbitoOut, **ERRORS}, summary="Un Ambito")
def ambito(request, slug: str):
    return scoped_or_404(_ambiti(), request, slug=slug)


def _comuni():
    return Comune.objects.select_related("ambito").order_by("nome", "codice_istat")


@router.get("/comuni", response={200: list[ComuneOut], **ERRORS}, summary="Comuni dell'utente")
@paginate(Pagine)
def comuni(request, filtri: Query[FiltroComuni]):
    return filtri.filter(scoped(_comuni(), request))


@router.get("/comuni/{codice_istat}", response={200: ComuneDettaglio, **ERRORS}, summary="Un Comune (codice ISTAT)")
def comune(request, codice_istat: str):
    queryset = _comuni().prefetch_related(Prefetch("popolazioni", queryset=Popolazione.objects.order_by("anno")))
    return scoped_or_404(queryset, request, codice_istat=codice_istat)


@router.get("/popolazione", response={200: list[PopolazioneOut], **ERRORS}, summary="Popolazione per Comune e anno")
@paginate(Pagine)
def popolazione(request, filtri: Query[FiltroPopolazione]):
    queryset = scoped(Popolazione.objects.all(), request).order_by("comune_id", "anno")
    return filtri.filter(queryset)
