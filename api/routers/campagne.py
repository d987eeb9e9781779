"""SOSE campaigns of the user's Ambiti and, for one campaign, the state of each expected Comune's scheda."""

from django.db.models import Count
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from monitoring.models import Campagna, StatoCampagna

from ..pagination import Pagine
from ..schemas import ERRORS, CampagnaDettaglio, CampagnaOut
from .common import Anno, Id, Lookup, Testo, filtered, in_ambito, scoped, scoped_or_404

router = Router(tags=["Campagne SOSE"])


class FiltroCampagne(Schema):
    ambito: Testo | None = None
    modello: Testo | None = None
    anno: Anno | None = None
    stato: StatoCampagna | None = None


LOOKUPS: dict[str, Lookup] = {
    "ambito": in_ambito("ambito"),
    "modello": "modello__codice",
    "anno": "modello__anno_riferimento",
    "stato": "stato",
}


def _campagne():
    return (
        Campagna.objects.select_related("ambito", "modello")
        .prefetch_related("scadenze")
        .annotate(n_comuni=Count("comuni"))
        .order_by("-modello__anno_riferimento", "modello__codice", "ambito__nome")
    )


@router.get("", response={200: list[CampagnaOut], **ERRORS}, summary="Campagne degli Ambiti dell'utente")
@paginate(Pagine)
def campagne(request, filtri: Query[FiltroCampagne]):
    return filtered(scoped(_campagne(), request), filtri, LOOKUPS)


@router.get("/{campagna_id}", response={200: CampagnaDettaglio, **ERRORS}, summary="Una campagna e gli stati")
def campagna(request, campagna_id: Id):
    return scoped_or_404(_campagne(), request, pk=campagna_id)
