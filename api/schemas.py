"""The shapes of the API's answers (OpenAPI components): field names in Italian, as on the pages.

A field read from another attribute of the model names it as its alias (`Field(alias="modello.codice")`: a path
as in a template); the answers use the field's name (django-ninja serialises by name, not by alias). A related
manager gives its rows (prefetched by the routers)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from monitoring.campaigns.selectors import campagna_rows

from .piano_data import campi_scheda

NO_NUL = r"^[^\x00]*$"  # texts that PostgreSQL can store
Codice = Annotated[str, Field(max_length=20, pattern=NO_NUL)]
Valore = Annotated[str, Field(max_length=100_000, pattern=NO_NUL)]


class Errore(Schema):
    """An error with an Italian message."""

    detail: str


class InCella(Schema):
    """The cell of a scheda a message is about: row and column codes (none for a message about the whole scheda
    or about a request field)."""

    riga: str | None = None
    colonna: str | None = None


class ErroreCampo(InCella):
    """What is wrong where: a request field (`campo`), or a cell of a scheda (`riga`, `colonna`)."""

    campo: str
    messaggio: str


class ErroreRichiesta(Schema):
    """A refused request (422): the message and each field or cell at fault."""

    detail: str
    errori: list[ErroreCampo] = []


class Modifica(Schema):
    """A cell changed by somebody else since the version the client read: values as the quadro page shows them."""

    cella: str
    prima: str
    dopo: str
    utente: str
    quando: datetime


class Conflitto(Schema):
    """A refused write (409): a stale version (with the current one and the changes made since the version the
    client sent) or a scheda locked by the workflow."""

    detail: str
    versione_corrente: int | None = None
    modifiche: list[Modifica] = []


# Every operation may answer these (authentication, scope, validation of the parameters, rate limit).
ERRORS: dict[int, Any] = {401: Errore, 404: Errore, 422: ErroreRichiesta, 429: Errore}


# --- Territory -------------------------------------------------------------------------------------------------


class AmbitoOut(Schema):
    slug: str
    nome: str
    ente_capofila: str
    regione: str | None
    ambito_padre: str | None
    n_comuni: int

    @staticmethod
    def resolve_regione(obj) -> str | None:
        return obj.regione.nome if obj.regione_id else None

    @staticmethod
    def resolve_ambito_padre(obj) -> str | None:
        return obj.parent.slug if obj.parent_id else None


class ComuneOut(Schema):
    codice_istat: str
    nome: str
    sigla_provincia: str
    regione: str
    ambito: str | None

    @staticmethod
    def resolve_ambito(obj) -> str | None:
        return obj.ambito.slug if obj.ambito_id else None


class PopolazioneOut(Schema):
    codice_istat: str = Field(alias="comune_id")
    anno: int
    data_riferimento: date | None
    totale: int | None
    maschi: int | None
    femmine: int | None
    stranieri: int | None
    eta_0_14: int | None
    eta_0_17: int | None
    eta_65_oltre: int | None
    eta_0: int | None
    eta_1: int | None
    eta_2: int | None
    fonte: str


class ComuneDettaglio(ComuneOut):
    popolazione: list[PopolazioneOut] = Field(alias="popolazioni")


# --- Schede ----------------------------------------------------------------------------------------------------


class ModelloOut(Schema):
    codice: str
    titolo: str
    servizio: str
    anno: int = Field(alias="anno_riferimento")
    scadenza: date
    attivo: bool


class SchedaBase(Schema):
    modello: str
    anno: int
    codice_istat: str
    comune: str
    stato: str
    versione: int
    completezza: Decimal
    n_errori: int
    n_avvisi: int
    modificata_il: datetime


class SchedaOut(SchedaBase):
    """A scheda in the lists (from the model: its template's code and year, its Comune)."""

    modello: str = Field(alias="modello.codice")
    anno: int = Field(alias="modello.anno_riferimento")
    codice_istat: str = Field(alias="comune_id")
    comune: str = Field(alias="comune.nome")


class Cella(Schema):
    """One cell: its value in the canonical stored text ("1800", "51,80", "SI"; "" empty) and its kind."""

    valore: str
    tipo: str  # input, computed, precompiled
    calcolata: bool
    unita: str


class Messaggio(InCella):
    """An error or warning of a scheda (`gravita`), on a cell or on the whole scheda."""

    gravita: str
    testo: str


class Verifica(Schema):
    obiettivo: str
    valore_obiettivo: Decimal | None
    raggiunto: bool | None


class IndicatoreScheda(Schema):
    codice: str
    nome: str
    unita: str
    valore: Decimal | None
    numeratore: Decimal | None
    denominatore: Decimal | None
    verifiche: list[Verifica]


class SchedaDettaglio(SchedaBase):
    valori: dict[str, dict[str, Cella]]
    quadri: dict[str, bool]
    indicatori: list[IndicatoreScheda]
    errori: list[Messaggio]
    avvisi: list[Messaggio]


class SchedaScrittura(Schema):
    """The input values to write, by row and column code, with the version that was read."""

    versione: int
    valori: dict[Codice, dict[Codice, Valore]]


class SchedaScritta(SchedaDettaglio):
    celle_ricalcolate: dict[str, dict[str, str]]


# --- Campaigns -------------------------------------------------------------------------------------------------


class CampagnaOut(Schema):
    id: int
    ambito: str = Field(alias="ambito.slug")
    modello: str = Field(alias="modello.codice")
    anno: int = Field(alias="modello.anno_riferimento")
    stato: str
    scadenza_invio: date | None
    n_comuni: int
    presentata_il: datetime | None
    approvata_il: datetime | None

    @staticmethod
    def resolve_scadenza_invio(obj) -> date | None:
        return next((s.data for s in obj.scadenze.all() if s.tipo == "invio"), None)


class StatoComune(Schema):
    codice_istat: str
    comune: str
    stato: str | None  # None: the scheda is not created yet
    completezza: Decimal | None


class CampagnaDettaglio(CampagnaOut):
    comuni: list[StatoComune]

    @staticmethod
    def resolve_comuni(obj) -> list[dict]:
        return [
            {
                "codice_istat": row.comune.codice_istat,
                "comune": row.comune.nome,
                "stato": row.scheda.stato if row.scheda else None,
                "completezza": row.scheda.completezza if row.scheda else None,
            }
            for row in campagna_rows(obj)
        ]


# --- Piano di Zona ---------------------------------------------------------------------------------------------


class PianoOut(Schema):
    slug: str
    titolo: str
    ambito: str = Field(alias="ambito.slug")
    anno_inizio: int
    anno_fine: int
    stato: str
    data_approvazione: date | None
    n_interventi: int


class AreaOut(Schema):
    id: int
    codice: str
    titolo: str
    descrizione: str


class ObiettivoOut(Schema):
    id: int
    codice: str
    titolo: str
    livello: str
    area: str | None
    obiettivo_strategico: int | None

    @staticmethod
    def resolve_area(obj) -> str | None:
        return obj.area.codice if obj.area_id else None

    @staticmethod
    def resolve_obiettivo_strategico(obj) -> int | None:
        return obj.parent_id


class InterventoOut(Schema):
    id: int
    codice: str
    titolo: str
    stato: str
    obiettivo: int | None
    area: str | None
    target: str
    fondi: list[str]
    leps: list[str]
    n_azioni: int
    previsto: Decimal

    @staticmethod
    def resolve_obiettivo(obj) -> int | None:
        return obj.obiettivo_id

    @staticmethod
    def resolve_area(obj) -> str | None:
        area = obj.obiettivo and obj.obiettivo.area_effettiva
        return area.codice if area else None

    @staticmethod
    def resolve_fondi(obj) -> list[str]:
        return [f.codice for f in obj.fondi.all()]

    @staticmethod
    def resolve_leps(obj) -> list[str]:
        return [x.codice for x in obj.leps.all()]

    @staticmethod
    def resolve_n_azioni(obj) -> int:
        n = getattr(obj, "n_azioni", None)
        return len(obj.azioni.all()) if n is None else n

    @staticmethod
    def resolve_previsto(obj) -> Decimal:
        total = getattr(obj, "previsto", None)
        return sum((r.previsto for r in obj.risorse.all()), Decimal(0)) if total is None else total


class CampoScheda(Schema):
    """One field of the intervention card, in the template's order: its question and the answer as plain text."""

    ordine: int
    chiave: str
    etichetta: str
    tipo: str
    testo: str
    si_no: bool | None = None
    scelte: list[str] = []
    importo: Decimal | None = None


class AzioneOut(Schema):
    id: int
    intervento: int = Field(alias="intervento_id")
    titolo: str
    stato: str
    responsabile: str
    data_inizio: date | None
    data_fine: date | None


class TargetOut(Schema):
    anno: int
    valore: Decimal


class IndicatoreOut(Schema):
    id: int
    intervento: int = Field(alias="intervento_id")
    tipo: str
    descrizione: str
    unita: str
    baseline: Decimal | None
    anno_baseline: int | None
    fonte: str
    target: list[TargetOut]  # a related manager: its rows (prefetched)


class RisorsaOut(Schema):
    id: int
    intervento: int = Field(alias="intervento_id")
    fondo: str = Field(alias="fondo.codice")
    anno: int
    previsto: Decimal
    impegnato: Decimal
    liquidato: Decimal
    note: str


class InterventoDettaglio(InterventoOut):
    descrizione: str
    modello: str = Field(alias="modello.codice")
    campi: list[CampoScheda]
    # related managers: their rows (prefetched)
    azioni: list[AzioneOut]
    indicatori: list[IndicatoreOut]
    risorse: list[RisorsaOut]

    @staticmethod
    def resolve_campi(obj) -> list[dict]:
        return campi_scheda(obj)
