"""Schede di monitoraggio: templates, the user's schede (filtered as on the pages), one scheda by codes, writes."""

from typing import Annotated

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Status
from ninja.pagination import paginate

from accounts.scoping import VIEW
from monitoring.models import ModelloScheda, Scheda, Stato
from monitoring.services import Conflict, InvalidValues, SchedaLocked

from ..pagination import Pagine
from ..schede_data import scheda_detail, scheda_write
from ..schemas import (
    ERRORS,
    Conflitto,
    Errore,
    ErroreRichiesta,
    ModelloOut,
    SchedaDettaglio,
    SchedaOut,
    SchedaScritta,
    SchedaScrittura,
)
from .common import Anno, By, Filtri, Testo, in_ambito, scoped, scoped_or_404

router = Router(tags=["Schede di monitoraggio"])


class FiltroSchede(Filtri):
    modello: Annotated[Testo | None, By("modello__codice")] = None
    anno: Annotated[Anno | None, By("modello__anno_riferimento")] = None
    comune: Annotated[Testo | None, By("comune_id")] = None
    ambito: Annotated[Testo | None, in_ambito("comune__ambito")] = None
    stato: Stato | None = None


def _schede():
    return Scheda.objects.select_related("modello", "comune").defer("risultati")


@router.get("/modelli", response={200: list[ModelloOut], **ERRORS}, summary="Modelli di scheda (NID26, SOC26…)")
@paginate(Pagine)
def modelli(request):
    return ModelloScheda.objects.defer("definizione").order_by("-anno_riferimento", "codice")


@router.get("", response={200: list[SchedaOut], **ERRORS}, summary="Schede dell'utente")
@paginate(Pagine)
def schede(request, filtri: Query[FiltroSchede]):
    queryset = scoped(_schede().defer("indicatori"), request).order_by("comune__nome", "modello__codice")
    return filtri.filter(queryset)


def _scheda(request, modello: str, anno: int, codice_istat: str) -> Scheda:
    lookups = {"modello__codice": modello, "modello__anno_riferimento": anno, "comune_id": codice_istat}
    return scoped_or_404(_schede(), request, VIEW, **lookups)


PATH = "/{modello}/{anno}/{codice_istat}"


@router.get(PATH, response={200: SchedaDettaglio, **ERRORS}, summary="Una scheda: ogni valore per riga e colonna")
def scheda(request, modello: Testo, anno: Anno, codice_istat: Testo):
    return scheda_detail(_scheda(request, modello, anno, codice_istat))


WRITE_RESPONSES = {200: SchedaScritta, **ERRORS, 403: Errore, 409: Conflitto, 422: ErroreRichiesta}
WRITE_DOC = (
    'Scrive i valori di input indicati (le altre celle restano come sono; `""` svuota una cella) con la stessa '
    "validazione, gli stessi messaggi e le stesse regole del modulo: 422 per una cella non valida, 403 senza il "
    "permesso di modifica, 409 se la scheda non è modificabile nel suo stato o se `versione` non è quella attuale "
    "(la risposta riporta la versione corrente e, in `modifiche`, le celle cambiate da altri dopo la versione "
    "inviata). La risposta contiene le celle ricalcolate."
)


def _write(request, modello: str, anno: int, codice_istat: str, dati: SchedaScrittura):
    found = _scheda(request, modello, anno, codice_istat)
    try:
        return Status(200, scheda_write(scheda=found, user=request.user, versione=dati.versione, valori=dati.valori))
    except Conflict as conflict:
        detail = f"La scheda è stata modificata nel frattempo: la versione attuale è {conflict.current_version}."
        return Status(
            409, {"detail": detail, "versione_corrente": conflict.current_version, "modifiche": conflict.changes}
        )
    except SchedaLocked as exc:
        return Status(409, {"detail": str(exc)})
    except InvalidValues as exc:
        errori = [
            {"campo": f"valori.{m.row}.{m.col}", "riga": m.row, "colonna": m.col, "messaggio": m.text}
            for m in exc.messages
        ]
        return Status(422, {"detail": f"Scheda non salvata: {exc}", "errori": errori})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})


@router.put(PATH, response=WRITE_RESPONSES, summary="Scrive valori di input", description=WRITE_DOC)
def scrivi(request, modello: Testo, anno: Anno, codice_istat: Testo, dati: SchedaScrittura):
    return _write(request, modello, anno, codice_istat, dati)


@router.patch(PATH, response=WRITE_RESPONSES, summary="Scrive valori di input (parziale)", description=WRITE_DOC)
def modifica(request, modello: Testo, anno: Anno, codice_istat: Testo, dati: SchedaScrittura):
    return _write(request, modello, anno, codice_istat, dati)
