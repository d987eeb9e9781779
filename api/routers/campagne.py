"""SOSE campaigns of the user's Ambiti and, for one campaign, the state of each expected Comune's scheda."""

from typing import Annotated

from django.db.models import Count
from ninja import Query, Router
from ninja.pagination import paginate

from monitoring.models import Campagna, StatoCampagna

from ..pagination import Pagine
from ..schemas import ERRORS, CampagnaDettaglio, CampagnaOut
from .common import Anno, By, Filtri, Id, Testo, in_ambito, scoped, scoped_or_404

router = Router(tags=["Campagne SOSE"])


class FiltroCampagne(Filtri):
    ambito: Annotated[Testo | None, in_ambito("ambito")] = None
    modello: Annotated[Testo | None, By("modello__codice")] = None
    anno: Annotated[Anno | None, By("modello__anno_riferimento")] = None
    stato: StatoCampagna | None = None


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
    return filtri.filter(scoped(_campagne(), request))


@router.get("/{campagna_id}", response={200: CampagnaDettaglio, **ERRORS}, summary="Una campagna e gli stati")
def campagna(request, campagna_id: Id):
    return scoped_or_404(_campagne(), request, pk=campagna_id)
