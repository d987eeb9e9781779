"""Read side of the campaigns: the campaign a scheda belongs to, its milestones, an Ambito's campaigns and
calendar. No writes here (monitoring.campaigns.services)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.scoping import scope
from core.numbers import percent
from territory.models import Ambito, Comune

from ..models import Scheda, Stato
from .models import LOCKED_STATES, Campagna, Scadenza, StatoCampagna, TipoScadenza


def campagna_of(modello_id: int, comune_id: str) -> Campagna | None:
    """The campaign that expects this Comune's scheda of this template (one query), with its milestones."""
    return (
        Campagna.objects.filter(modello_id=modello_id, comuni=comune_id)
        .select_related("ambito", "modello")
        .prefetch_related("scadenze")
        .first()
    )


def locking_campagna(modello_id: int, comune_id: str) -> Campagna | None:
    """The campaign that makes this scheda read-only (the Ambito's set is at the Regione or approved), if any."""
    return (
        Campagna.objects.filter(modello_id=modello_id, comuni=comune_id, stato__in=LOCKED_STATES)
        .select_related("ambito", "modello")
        .first()
    )


def deadline(campagna: Campagna, tipo: str = TipoScadenza.INVIO) -> datetime.date | None:
    """The date of the campaign's milestone of `tipo` (from the prefetched milestones when there are)."""
    for scadenza in campagna.scadenze.all():
        if scadenza.tipo == tipo:
            return scadenza.data
    return None


@dataclass(frozen=True)
class Milestone:
    """A milestone as the pages show it: name, date, days left (negative: past) and the campaign."""

    scadenza: Scadenza
    campagna: Campagna
    oggi: datetime.date

    @property
    def giorni(self) -> int:
        return (self.scadenza.data - self.oggi).days

    @property
    def passata(self) -> bool:
        return self.giorni < 0

    @property
    def giorni_passati(self) -> int:
        return max(0, -self.giorni)

    @property
    def imminente(self) -> bool:
        return 0 <= self.giorni <= 30


def milestones(campagna: Campagna | None, oggi: datetime.date | None = None) -> list[Milestone]:
    if campagna is None:
        return []
    oggi = oggi or timezone.localdate()
    return [Milestone(s, campagna, oggi) for s in campagna.scadenze.all()]


def ambito_campagne(ambito: Ambito, user) -> QuerySet[Campagna]:
    """The campaigns of the Ambito and of its sub-ambiti the user may see, latest year first, with milestones."""
    return (
        scope(Campagna.objects.filter(Q(ambito_id=ambito.pk) | Q(ambito__parent_id=ambito.pk)), user)
        .select_related("ambito", "modello")
        .prefetch_related(Prefetch("scadenze", queryset=Scadenza.objects.order_by("data")))
        .order_by("-modello__anno_riferimento", "modello__codice", "ambito__nome")
    )


def open_campagne(ambito: Ambito, user, oggi: datetime.date | None = None) -> list[Campagna]:
    """The Ambito's campaigns not yet approved, each with its `milestones` (for the schede overview)."""
    campagne = [c for c in ambito_campagne(ambito, user) if c.stato != StatoCampagna.APPROVATA]
    for campagna in campagne:
        campagna.milestones = milestones(campagna, oggi)  # type: ignore[attr-defined]
    return campagne


def calendar(ambito: Ambito, user, oggi: datetime.date | None = None) -> list[Milestone]:
    """Every milestone of the Ambito's campaigns (and its sub-ambiti's), by date."""
    oggi = oggi or timezone.localdate()
    items = [Milestone(s, c, oggi) for c in ambito_campagne(ambito, user) for s in c.scadenze.all()]
    return sorted(items, key=lambda m: (m.scadenza.data, m.campagna.ambito.nome, m.campagna.modello.codice))


@dataclass(frozen=True)
class CampagnaRow:
    """An expected Comune of a campaign with its scheda (None: not created) and whether it was sent on time."""

    comune: Comune
    scheda: Scheda | None
    scadenza_invio: datetime.date | None

    @property
    def inviata(self) -> bool:
        return self.scheda is not None and self.scheda.stato in SENT_STATES

    @property
    def validata(self) -> bool:
        return self.scheda is not None and self.scheda.stato == Stato.VALIDATA

    @property
    def data_invio(self) -> datetime.date | None:
        if not self.inviata or self.scheda is None or self.scheda.inviata_il is None:
            return None
        return timezone.localdate(self.scheda.inviata_il)

    @property
    def in_tempo(self) -> bool:
        """Sent by the sending deadline (DHIS2's «on time»); a sent scheda without a sending date is not."""
        sent = self.data_invio
        return sent is not None and (self.scadenza_invio is None or sent <= self.scadenza_invio)

    def in_ritardo(self, oggi: datetime.date) -> bool:
        """Not sent on time and the deadline has passed (sent late, or still not sent)."""
        return self.scadenza_invio is not None and oggi > self.scadenza_invio and not self.in_tempo


SENT_STATES = (Stato.INVIATA, Stato.VALIDATA)
SCHEDA_FIELDS = ("id", "comune_id", "modello_id", "stato", "inviata_il", "validata_il", "completezza", "n_errori")


def campagna_rows(campagna: Campagna) -> list[CampagnaRow]:
    """The expected Comuni by name with their scheda: two queries whatever the number of Comuni."""
    comuni = list(campagna.comuni.order_by("nome"))
    schede = {
        s.comune_id: s
        for s in Scheda.objects.filter(modello_id=campagna.modello_id, comune__in=[c.pk for c in comuni]).only(
            *SCHEDA_FIELDS
        )
    }
    invio = deadline(campagna)
    return [CampagnaRow(c, schede.get(c.pk), invio) for c in comuni]


@dataclass(frozen=True)
class Completeness:
    """DHIS2's figures of a campaign: expected, sent (reporting rate), sent on time (on-time rate), validated."""

    attese: int
    inviate: int
    in_tempo: int
    validate: int
    in_ritardo: list[CampagnaRow]
    ritardi: int | None = None  # counted in SQL (from_counts): the late rows themselves are not loaded

    @classmethod
    def from_counts(cls, attese: int, inviate: int, in_tempo: int, validate: int, ritardi: int = 0) -> Completeness:
        """The figures counted in SQL (monitoring.campaigns.regione): the same rates, without the late rows."""
        return cls(attese, inviate, in_tempo, validate, in_ritardo=[], ritardi=ritardi)

    @property
    def n_in_ritardo(self) -> int:
        """How many expected schede are late (not sent on time and past the deadline)."""
        return len(self.in_ritardo) if self.ritardi is None else self.ritardi

    @staticmethod
    def rate(part: int, whole: int) -> Decimal | None:
        """part / whole × 100 with one decimal, half up (as printed: 69,2); None without expected schede."""
        return percent(part, whole, decimals=1)

    @property
    def tasso_invio(self) -> Decimal | None:
        """Reporting rate: schede sent / schede expected × 100."""
        return self.rate(self.inviate, self.attese)

    @property
    def tasso_puntualita(self) -> Decimal | None:
        """On-time reporting rate: schede sent by the deadline / schede expected × 100."""
        return self.rate(self.in_tempo, self.attese)


def completeness(rows: list[CampagnaRow], oggi: datetime.date | None = None) -> Completeness:
    oggi = oggi or timezone.localdate()
    return Completeness(
        attese=len(rows),
        inviate=sum(r.inviata for r in rows),
        in_tempo=sum(r.in_tempo for r in rows),
        validate=sum(r.validata for r in rows),
        in_ritardo=[r for r in rows if r.in_ritardo(oggi)],
    )
