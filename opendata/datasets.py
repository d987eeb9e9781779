"""The datasets an Ambito can publish, built from the facts of the other apps: only aggregates that are public by
nature (population of the Comuni, indicators of the Validata schede, spending tables, the approved plan's objectives
and interventions), never a single person, never a scheda that is not validated or a plan not approved.

Each `DatasetSpec` has its columns (name, Italian label, type) and two reads over a set of Ambito ids (an Ambito and
its sub-ambiti): `rows(ids)` (a bounded number of queries, whatever the rows) and `ambiti_with_data(ids)` (one
query: which of those Ambiti have at least one row; a dataset without rows is not published).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

from monitoring.indicators import scheda_indicators
from monitoring.models import Scheda, Stato
from planning.models import Dimensione, Intervento, Obiettivo, SpesaSociale
from planning.models.piano import STATI_BLOCCATI
from territory.models import Popolazione

from .choices import Dataset

Row = dict[str, Any]
# A plan whose objectives are public: approved, in force or concluded (an approved plan, never a draft).
STATI_PIANO_PUBBLICI = sorted(STATI_BLOCCATI)
# Spending tables published: by user area, intervention, management type and funding source (seed 001 Tab. 10-14);
# the spending by entity (Tab. 8) is their total.
DIMENSIONI_SPESA = [Dimensione.AREA, Dimensione.INTERVENTO, Dimensione.GESTIONE, Dimensione.FONTE]


@dataclass(frozen=True)
class Colonna:
    nome: str
    etichetta: str
    tipo: str = "string"  # string, integer, number (JSON Schema / Frictionless types)


@dataclass(frozen=True)
class Source:
    """Where the rows of a dataset come from, the same way for every dataset."""

    published: Callable[[list[int]], QuerySet]  # the objects of those Ambiti that may be published
    ambito: str  # the path from such an object to its Ambito's id
    listed: Callable[[QuerySet], QuerySet]  # the related objects each row reads, and the order of the rows
    rows_of: Callable[[Any], Iterable[Row]]  # the rows of one object (none, one or more)


@dataclass(frozen=True)
class DatasetSpec:
    codice: str
    titolo: str
    descrizione: str
    temi: tuple[str, ...]  # EU data themes
    parole_chiave: tuple[str, ...]
    colonne: tuple[Colonna, ...]
    source: Source

    def rows(self, ids: Iterable[int]) -> list[Row]:
        """The rows of the Ambiti `ids` (a bounded number of queries, whatever the rows)."""
        src = self.source
        return [row for obj in src.listed(src.published(list(ids))) for row in src.rows_of(obj)]

    def ambiti_with_data(self, ids: Iterable[int]) -> set[int]:
        """Which of the Ambiti `ids` have at least one object to publish (one query)."""
        queryset = self.source.published(list(ids))
        return set(queryset.order_by().values_list(self.source.ambito, flat=True).distinct())


# --- Population ------------------------------------------------------------------------------------------------

POPOLAZIONE_CAMPI = ("totale", "maschi", "femmine", "stranieri", "eta_0_14", "eta_0_17", "eta_65_oltre")


def _popolazione_rows(p: Popolazione) -> list[Row]:
    campi = {name: getattr(p, name) for name in POPOLAZIONE_CAMPI}
    return [{"anno": p.anno, "codice_istat": p.comune_id, "comune": p.comune.nome, **campi, "fonte": p.fonte}]


POPOLAZIONE = Source(
    published=lambda ids: Popolazione.objects.filter(comune__ambito_id__in=ids),
    ambito="comune__ambito_id",
    listed=lambda qs: qs.select_related("comune").order_by("comune__nome", "anno"),
    rows_of=_popolazione_rows,
)


# --- Indicators of the Validata schede -------------------------------------------------------------------------


def _rounded(value: Decimal | None, decimals: int) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored figure without trailing zeros («65.00» → 65), never in exponent form."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _indicatori_rows(scheda: Scheda) -> Iterator[Row]:
    for ind in scheda_indicators(scheda.modello.indicator_definition(), scheda.indicatori):
        if ind.value is None:
            continue  # not computable from what the scheda holds: nothing to publish
        yield {
            "anno": scheda.modello.anno_riferimento,
            "scheda": scheda.modello.codice,
            "codice_istat": scheda.comune_id,
            "comune": scheda.comune.nome,
            "indicatore": ind.code,
            "descrizione": ind.label,
            "unita": ind.unit,
            "valore": _rounded(ind.value, ind.decimals),
            "numeratore": _plain(ind.numerator),
            "denominatore": _plain(ind.denominator),
        }


INDICATORI = Source(
    published=lambda ids: Scheda.objects.filter(stato=Stato.VALIDATA, comune__ambito_id__in=ids),
    ambito="comune__ambito_id",
    listed=lambda qs: (
        qs.select_related("modello", "comune")
        .only("indicatori", "validata_il", "modello", "comune__nome")
        .order_by("comune__nome", "-modello__anno_riferimento", "modello__codice")
    ),
    rows_of=_indicatori_rows,
)


# --- Spending --------------------------------------------------------------------------------------------------


def _spesa_rows(f: SpesaSociale) -> list[Row]:
    return [
        {
            "tabella": f.tabella.codice,
            "titolo": f.tabella.titolo,
            "dimensione": f.tabella.get_dimensione_display(),
            "spesa_di": f.tabella.get_ente_display(),
            "misura": "percentuale" if f.tabella.percentuale else "euro",
            "anno": f.anno,
            "voce_codice": f.voce.codice,
            "voce": f.voce.nome,
            "area_di_utenza": f.voce.area.nome if f.voce.area_id else "",
            "codice_istat": f.comune_id or "",
            "valore": f.valore,
        }
    ]


SPESA = Source(
    published=lambda ids: SpesaSociale.objects.filter(
        tabella__ambito_id__in=ids, tabella__dimensione__in=DIMENSIONI_SPESA
    ),
    ambito="tabella__ambito_id",
    listed=lambda qs: qs.select_related("tabella", "voce", "voce__area").order_by(
        "tabella__ordine", "tabella__pk", "voce__ordine", "voce__nome", "anno", "comune_id"
    ),
    rows_of=_spesa_rows,
)


# --- The approved plan -----------------------------------------------------------------------------------------


def _piano_columns(piano) -> Row:
    return {"piano": piano.titolo, "periodo": piano.periodo, "stato_piano": piano.get_stato_display()}


def _obiettivi_rows(o: Obiettivo) -> list[Row]:
    area = o.area_effettiva  # selected with the objective: no query
    return [
        {
            **_piano_columns(o.piano),
            "area_codice": area.codice if area else "",
            "area": area.titolo if area else "",
            "livello": o.get_livello_display(),
            "codice": o.codice,
            "obiettivo": o.titolo,
            "obiettivo_strategico": str(o.parent) if o.parent_id else "",
            "descrizione": o.descrizione,
        }
    ]


OBIETTIVI = Source(
    published=lambda ids: Obiettivo.objects.filter(piano__ambito_id__in=ids, piano__stato__in=STATI_PIANO_PUBBLICI),
    ambito="piano__ambito_id",
    listed=lambda qs: qs.select_related("piano", "area", "parent__area").order_by(
        "piano__anno_inizio", *Obiettivo.ordine_per_area(""), "pk"
    ),
    rows_of=_obiettivi_rows,
)


def _interventi_rows(i: Intervento) -> list[Row]:
    return [
        {
            **_piano_columns(i.piano),
            "area": str(i.obiettivo.area_effettiva or ""),
            "obiettivo": str(i.obiettivo),
            "codice": i.codice,
            "intervento": i.titolo,
            "descrizione": i.descrizione,
            "destinatari": i.target,
            "stato": i.get_stato_display(),
            "fondi": "; ".join(f.nome for f in i.fondi.all()),
        }
    ]


INTERVENTI = Source(
    published=lambda ids: Intervento.objects.filter(piano__ambito_id__in=ids, piano__stato__in=STATI_PIANO_PUBBLICI),
    ambito="piano__ambito_id",
    listed=lambda qs: (
        qs.select_related("piano", "obiettivo__area", "obiettivo__parent__area")
        .prefetch_related("fondi")
        .order_by("piano__anno_inizio", *Obiettivo.ordine_per_area("obiettivo"), "ordine", "pk")
    ),
    rows_of=_interventi_rows,
)


# --- The catalogue of datasets ---------------------------------------------------------------------------------

C = Colonna
ANNO, ISTAT = C("anno", "Anno", "integer"), C("codice_istat", "Codice ISTAT del Comune")
PIANO = (C("piano", "Piano di Zona"), C("periodo", "Periodo"), C("stato_piano", "Stato del piano"))

SPECS: dict[str, DatasetSpec] = {
    s.codice: s
    for s in (
        DatasetSpec(
            Dataset.POPOLAZIONE,
            "Popolazione residente per Comune e anno",
            "Residenti dei Comuni dell'Ambito per anno: totale, per sesso, stranieri e per fasce d'età (0-14, 0-17, "
            "65 anni e oltre), come registrati nel portale con la loro fonte. Un dato non disponibile è vuoto.",
            ("SOCI", "REGI"),
            ("popolazione", "residenti", "comuni"),
            (
                ANNO,
                ISTAT,
                C("comune", "Comune"),
                C("totale", "Totale residenti", "integer"),
                C("maschi", "Maschi", "integer"),
                C("femmine", "Femmine", "integer"),
                C("stranieri", "Residenti stranieri", "integer"),
                C("eta_0_14", "0-14 anni", "integer"),
                C("eta_0_17", "0-17 anni", "integer"),
                C("eta_65_oltre", "65 anni e oltre", "integer"),
                C("fonte", "Fonte"),
            ),
            POPOLAZIONE,
        ),
        DatasetSpec(
            Dataset.INDICATORI,
            "Indicatori delle schede di monitoraggio SOSE validate",
            "Indicatori degli obiettivi di servizio (asili nido: copertura R21 e R22; sociale: abitanti per "
            "assistente sociale R01B, livello di servizio R04) delle schede SOSE dei Comuni validate dall'Ufficio "
            "di Piano, con numeratore e denominatore. Le schede non validate non sono pubblicate.",
            ("SOCI",),
            ("asili nido", "servizi sociali", "obiettivi di servizio", "SOSE", "LEP"),
            (
                ANNO,
                C("scheda", "Scheda SOSE"),
                ISTAT,
                C("comune", "Comune"),
                C("indicatore", "Codice indicatore"),
                C("descrizione", "Indicatore"),
                C("unita", "Unità di misura"),
                C("valore", "Valore", "number"),
                C("numeratore", "Numeratore", "number"),
                C("denominatore", "Denominatore", "number"),
            ),
            INDICATORI,
        ),
        DatasetSpec(
            Dataset.SPESA,
            "Spesa sociale per area, intervento, gestione e fonte di finanziamento",
            "Spesa sociale dell'Ambito per anno dalle tabelle di contesto del Piano di Zona: per area di utenza, per "
            "intervento, per tipologia di gestione e per fonte di finanziamento (importi in euro o quote percentuali, "
            "colonna «misura»). Un valore vuoto è un dato non riportato dal documento.",
            ("GOVE", "ECON", "SOCI"),
            ("spesa sociale", "fondi", "finanziamento", "welfare"),
            (
                C("tabella", "Tabella"),
                C("titolo", "Titolo della tabella"),
                C("dimensione", "Dimensione"),
                C("spesa_di", "Spesa di"),
                C("misura", "Misura (euro o percentuale)"),
                ANNO,
                C("voce_codice", "Codice della voce"),
                C("voce", "Voce"),
                C("area_di_utenza", "Area di utenza"),
                C("codice_istat", "Codice ISTAT del Comune (spesa di un solo Comune)"),
                C("valore", "Valore", "number"),
            ),
            SPESA,
        ),
        DatasetSpec(
            Dataset.OBIETTIVI,
            "Obiettivi del Piano di Zona approvato",
            "Aree e obiettivi dei Piani di Zona dell'Ambito approvati dall'Assemblea dei Sindaci (approvati, vigenti "
            "o conclusi). I piani in bozza o in approvazione non sono pubblicati.",
            ("GOVE", "SOCI"),
            ("piano di zona", "programmazione sociale", "obiettivi"),
            (
                *PIANO,
                C("area_codice", "Codice dell'area"),
                C("area", "Area"),
                C("livello", "Livello"),
                C("codice", "Codice"),
                C("obiettivo", "Obiettivo"),
                C("obiettivo_strategico", "Obiettivo strategico"),
                C("descrizione", "Descrizione"),
            ),
            OBIETTIVI,
        ),
        DatasetSpec(
            Dataset.INTERVENTI,
            "Interventi del Piano di Zona approvato",
            "Interventi (schede intervento) dei Piani di Zona approvati dell'Ambito: obiettivo, titolo, descrizione, "
            "destinatari, stato di attuazione e fondi. I piani in bozza o in approvazione non sono pubblicati.",
            ("GOVE", "SOCI"),
            ("piano di zona", "interventi sociali", "programmazione sociale"),
            (
                *PIANO,
                C("area", "Area"),
                C("obiettivo", "Obiettivo"),
                C("codice", "Codice"),
                C("intervento", "Intervento"),
                C("descrizione", "Descrizione"),
                C("destinatari", "Destinatari"),
                C("stato", "Stato di attuazione"),
                C("fondi", "Fondi"),
            ),
            INTERVENTI,
        ),
    )
}
