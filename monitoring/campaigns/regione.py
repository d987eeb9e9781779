"""The regional side of the campaigns (read only): completeness and timeliness counted in SQL for a set of
campaigns, the regional table (one row per Ambito of a Regione for one template and year) and its exports.

The counts are those of `selectors.completeness` (the per-row computation of one campaign's page), done by the
database in one query whatever the number of campaigns and Comuni:
- attese: the campaign's expected Comuni (its M2M `comuni`);
- inviate: their schede of the campaign's template in state inviata or validata;
- in tempo: of those, the ones sent before the start of the day after the «invio» milestone, in the local zone (a
  scheda sent at 23:30 on the deadline day is on time, one sent at 00:30 the day after is late), every sent one
  when the campaign has no «invio» milestone; a sent scheda without a sending date is never on time;
- validate: their schede in state validata;
- in ritardo: expected schede not sent on time, once the deadline has passed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, DateTimeField, Exists, OuterRef, Prefetch, Q, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import regioni_ids, scope
from territory.models import Ambito, Regione

from ..models import ModelloScheda, Scheda, Stato
from .models import Campagna, Scadenza, StatoCampagna
from .selectors import SENT_STATES, CampagnaRow, Completeness, campagna_rows, completeness, deadline

# Far after any sending date: the limit of a campaign without an «invio» milestone (every sent scheda is on time).
NO_DEADLINE = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)


def on_time_limit(day: datetime.date | None) -> datetime.datetime:
    """The first instant that is late for a deadline `day`: midnight at the start of the next day, local time."""
    if day is None:
        return NO_DEADLINE
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def completeness_counts(campagne: Sequence[Campagna], oggi: datetime.date | None = None) -> dict[int, Completeness]:
    """Completeness of each campaign by id, counted by the database: one query (none without campaigns).

    The campaigns come with their milestones prefetched (the deadline is read from them: no query per campaign).
    """
    if not campagne:
        return {}
    oggi = oggi or timezone.localdate()
    deadlines = {c.pk: deadline(c) for c in campagne}
    through = Campagna.comuni.through
    # one branch per distinct deadline (most campaigns of a year share SOSE's date), not one per campaign
    by_day: dict[datetime.date | None, list[int]] = {}
    for pk, day in deadlines.items():
        by_day.setdefault(day, []).append(pk)
    limit = Case(
        *(When(campagna_id__in=pks, then=Value(on_time_limit(day))) for day, pks in by_day.items()),
        output_field=DateTimeField(),
    )
    # The scheda of the expected Comune for the campaign's template (at most one: unique by template and Comune).
    scheda = Scheda.objects.filter(comune_id=OuterRef("comune_id"), modello_id=OuterRef("campagna__modello_id"))
    sent = scheda.filter(stato__in=SENT_STATES)
    rows = (
        through.objects.filter(campagna_id__in=deadlines)
        .annotate(limite=limit)
        .values("campagna_id")
        .annotate(
            attese=Count("pk"),
            inviate=Count("pk", filter=Q(Exists(sent))),
            in_tempo=Count("pk", filter=Q(Exists(sent.filter(inviata_il__lt=OuterRef("limite"))))),
            validate=Count("pk", filter=Q(Exists(scheda.filter(stato=Stato.VALIDATA)))),
        )
        .order_by()
    )
    counts = {pk: Completeness.from_counts(0, 0, 0, 0) for pk in deadlines}
    for row in rows:
        day = deadlines[row["campagna_id"]]
        late = row["attese"] - row["in_tempo"] if day is not None and oggi > day else 0
        counts[row["campagna_id"]] = Completeness.from_counts(
            row["attese"], row["inviate"], row["in_tempo"], row["validate"], ritardi=late
        )
    return counts


def total(figures: Sequence[Completeness]) -> Completeness:
    """The sums of the figures; its rates are the rates of the sums (not the mean of the rates)."""
    return Completeness.from_counts(
        sum(c.attese for c in figures),
        sum(c.inviate for c in figures),
        sum(c.in_tempo for c in figures),
        sum(c.validate for c in figures),
        ritardi=sum(c.n_in_ritardo for c in figures),
    )


# --- The Regioni and templates a user may choose --------------------------------------------------------------


def user_regioni(user) -> list[Regione]:
    """The Regioni the user follows (every Regione for the Amministratore) in ISTAT order, each with `n_ambiti`."""
    ids = regioni_ids(user)
    regioni = Regione.objects.annotate(n_ambiti=Count("ambiti")).order_by("codice")
    if ids is not None:
        regioni = regioni.filter(pk__in=ids)
    return list(regioni)


def chosen_regione(regioni: list[Regione], codice: str | None) -> Regione:
    """The Regione of ?regione=<codice> among the user's (404 for another one); by default the first with Ambiti."""
    if codice:
        for regione in regioni:
            if regione.codice == codice:
                return regione
        raise Http404(_("Regione non trovata tra quelle assegnate al suo utente."))
    if not regioni:
        raise Http404(_("Nessuna Regione assegnata al suo utente."))
    return next((r for r in regioni if r.n_ambiti), regioni[0])


def modelli_options() -> list[ModelloScheda]:
    """Every template (code and year), latest year first: the filter of the regional page."""
    return list(
        ModelloScheda.objects.only("id", "codice", "anno_riferimento", "servizio").order_by(
            "-anno_riferimento", "codice"
        )
    )


def chosen_modello(regione: Regione, modelli: list[ModelloScheda], codice: str | None) -> ModelloScheda | None:
    """The template of ?modello=<codice>; by default the latest year's first template with a campaign in the
    Regione (one query), else the latest template."""
    if codice:
        for modello in modelli:
            if modello.codice == codice:
                return modello
        raise Http404(_("Modello di scheda non trovato."))
    used = set(
        Campagna.objects.filter(ambito__regione=regione).order_by().values_list("modello_id", flat=True).distinct()
    )
    return next((m for m in modelli if m.pk in used), modelli[0] if modelli else None)


# --- The regional table ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmbitoRow:
    """An Ambito of the Regione with its campaign of the template (None: not opened) and the campaign's figures."""

    ambito: Ambito
    campagna: Campagna | None
    completezza: Completeness | None

    @property
    def da_approvare(self) -> bool:
        return self.campagna is not None and self.campagna.stato == StatoCampagna.PRESENTATA

    @property
    def stato(self) -> str:
        return str(self.campagna.get_stato_display()) if self.campagna else _("Campagna non aperta")

    @property
    def order(self) -> tuple[int, str]:
        """«Da approvare» first, then the other campaigns, then the Ambiti without a campaign; by name."""
        rank = 0 if self.da_approvare else 1 if self.campagna else 2
        return rank, self.ambito.nome


def regione_rows(
    regione: Regione, modello: ModelloScheda | None, user, oggi: datetime.date | None = None
) -> list[AmbitoRow]:
    """One row per Ambito of the Regione (sub-ambiti included): four queries whatever the number of Ambiti."""
    ambiti = list(scope(Ambito.objects.filter(regione=regione), user).select_related("parent").order_by("nome"))
    campagne: dict[int, Campagna] = {}
    if modello is not None:
        campagne = {
            c.ambito_id: c
            for c in scope(Campagna.objects.filter(ambito__regione=regione, modello=modello), user)
            .select_related("modello")
            .prefetch_related(Prefetch("scadenze", queryset=Scadenza.objects.order_by("data")))
        }
    counts = completeness_counts(list(campagne.values()), oggi)
    rows = []
    for ambito in ambiti:
        campagna = campagne.get(ambito.pk)
        rows.append(AmbitoRow(ambito, campagna, counts.get(campagna.pk) if campagna else None))
    return sorted(rows, key=lambda r: r.order)


def regione_summary(user) -> list[tuple[Regione, int, int]]:
    """For the home page: each Regione the user follows by assignment with its Ambiti and the campaigns waiting
    for its approval (two queries; nothing for the Amministratore, who follows every Regione)."""
    ids = regioni_ids(user)
    if not ids:
        return []
    waiting = dict(
        Campagna.objects.filter(ambito__regione__in=ids, stato=StatoCampagna.PRESENTATA)
        .values_list("ambito__regione")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(r, r.n_ambiti, waiting.get(r.pk, 0)) for r in user_regioni(user)]


# --- Exports --------------------------------------------------------------------------------------------------

REGIONE_HEADER = [
    "Ambito",
    "Ambito superiore",
    "Campagna",
    "Stato",
    "Schede attese",
    "Inviate",
    "Inviate in tempo",
    "Validate",
    "In ritardo",
    "Tasso di invio (%)",
    "Tasso di puntualità (%)",
]


def _figures(c: Completeness | None) -> list[Any]:
    if c is None:
        return [None] * 7
    return [c.attese, c.inviate, c.in_tempo, c.validate, c.n_in_ritardo, c.tasso_invio, c.tasso_puntualita]


def regione_export_rows(rows: list[AmbitoRow], totale: Completeness) -> Iterator[list[Any]]:
    """The regional table as rows for core.exports: header, one row per Ambito, the totals."""
    yield REGIONE_HEADER
    for r in rows:
        parent = r.ambito.parent.nome if r.ambito.parent else ""
        sigla = r.campagna.sigla if r.campagna else ""
        yield [r.ambito.nome, parent, sigla, r.stato, *_figures(r.completezza)]
    yield ["Totale", "", "", "", *_figures(totale)]


COMUNI_HEADER = [
    "Codice ISTAT",
    "Comune",
    "Stato della scheda",
    "Inviata il",
    "Validata il",
    "Scadenza di invio",
    "In tempo",
    "In ritardo",
]


def _date(value: datetime.datetime | datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.strftime("%d/%m/%Y")


def comuni_export_rows(campagna: Campagna, oggi: datetime.date | None = None) -> Iterator[list[Any]]:
    """A campaign's expected Comuni with their sending dates and late flags (two queries: campagna_rows)."""
    oggi = oggi or timezone.localdate()
    rows: list[CampagnaRow] = campagna_rows(campagna)
    late = {id(r) for r in completeness(rows, oggi).in_ritardo}
    yield COMUNI_HEADER
    for r in rows:
        scheda = r.scheda
        yield [
            r.comune.codice_istat,
            r.comune.nome,
            str(scheda.get_stato_display()) if scheda else _("Non creata"),
            _date(r.data_invio),
            _date(scheda.validata_il) if scheda and r.validata else "",
            _date(r.scadenza_invio),
            _("sì") if r.in_tempo else _("no"),
            _("sì") if id(r) in late else _("no"),
        ]
