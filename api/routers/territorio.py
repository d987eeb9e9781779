"""Territory: Ambiti, Comuni with their ISTAT code, population by year."""

from django.db.models import Count, Prefetch, Q
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from territory.models import Ambito, Comune, Popolazione

from ..pagination import Pagine
from ..schemas import ERRORS, AmbitoOut, ComuneDettaglio, ComuneOut, PopolazioneOut
from .common import Anno, Lookup, Testo, filtered, in_ambito, scoped, scoped_or_404

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


COMUNI_LOOKUPS: dict[str, Lookup] = {
    "q": lambda q: Q(nome__icontains=q) | Q(codice_istat=q),
    "ambito": in_ambito("ambito"),
    "provincia": "sigla_provincia__iexact",
}
POPOLAZIONE_LOOKUPS: dict[str, Lookup] = {"comune": "comune_id", "ambito": in_ambito("comune__ambito"), "anno": "anno"}


def _ambiti():
    return Ambito.objects.select_related("regione", "parent").annotate(n_comuni=Count("comuni")).order_by("nome")


@router.get("/ambiti", response={200: list[AmbitoOut], **ERRORS}, summary="Ambiti dell'utente")
@paginate(Pagine)
def ambiti(request, filtri: Query[FiltroAmbiti]):
    return filtered(scoped(_ambiti(), request), filtri, {"q": lambda q: Q(nome__icontains=q) | Q(slug__icontains=q)})


@router.get("/ambiti/{slug}", response={200: AmbitoOut, **ERRORS}, summary="Un Ambito")
def ambito(request, slug: str):
    return scoped_or_404(_ambiti(), request, slug=slug)


def _comuni():
    return Comune.objects.select_related("ambito").order_by("nome", "codice_istat")


@router.get("/comuni", response={200: list[ComuneOut], **ERRORS}, summary="Comuni dell'utente")
@paginate(Pagine)
def comuni(request, filtri: Query[FiltroComuni]):
    return filtered(scoped(_comuni(), request), filtri, COMUNI_LOOKUPS)


@router.get("/comuni/{codice_istat}", response={200: ComuneDettaglio, **ERRORS}, summary="Un Comune (codice ISTAT)")
def comune(request, codice_istat: str):
    queryset = _comuni().prefetch_related(Prefetch("popolazioni", queryset=Popolazione.objects.order_by("anno")))
    return scoped_or_404(queryset, request, codice_istat=codice_istat)


@router.get("/popolazione", response={200: list[PopolazioneOut], **ERRORS}, summary="Popolazione per Comune e anno")
@paginate(Pagine)
def popolazione(request, filtri: Query[FiltroPopolazione]):
    queryset = scoped(Popolazione.objects.all(), request).order_by("comune_id", "anno")
    return filtered(queryset, filtri, POPOLAZIONE_LOOKUPS)
