"""The schede overview of an Ambito (Comune × template) in SQL: one page of rows sliced by the database (by Comune:
a page of Comuni; other orders: a UNION of one LEFT JOIN per template), the states counted by GROUP BY, the indicator
tables with their Ambito totals added up exactly by the database; and the Python rows the tests compare them with.
A constant number of queries, whatever the number of Comuni."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import OrderBy
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from territory.models import Comune

from .indicators import (
    SUMS_KEY,
    IndicatorValue,
    ambito_indicators,
    from_millionths,
    indicators_from_sums,
    scheda_indicators,
)
from .models import WITHOUT_ADDENDS, ModelloScheda, Scheda, Stato
from .rollup import Riepilogo

SENT = (Stato.INVIATA, Stato.VALIDATA)
STATE_BADGE = {
    "non_iniziata": "secondary",
    "bozza": "warning",
    "inviata": "primary",
    "validata": "success",
    "rimandata": "danger",
    "riaperta": "warning",
}  # the Bootstrap colour of each state's badge


def state_labels() -> dict[str, str]:
    """The states' labels in the active language, by value (once per page, not once per row)."""
    return {value: str(label) for value, label in Stato.choices}


@dataclass
class OverviewRow:
    comune_codice: str
    comune_nome: str
    modello: str
    modello_id: int
    scheda_id: int | None
    stato: str
    stato_label: str
    completezza: float | None
    errori: int | None
    avvisi: int | None
    modificata_il: object
    giorni: int  # days to the due date (negative = overdue)

    @property
    def badge(self) -> str:
        return STATE_BADGE.get(self.stato, "secondary")

    @property
    def scadenza_label(self) -> str:
        if self.stato == Stato.VALIDATA or self.stato == Stato.INVIATA:
            return "inviata"
        if self.giorni < 0:
            return f"scaduta da {-self.giorni} giorni"
        return f"{self.giorni} giorni"


def overview_rows(comuni: QuerySet, modelli: list[ModelloScheda], today: date | None = None) -> list[OverviewRow]:
    """One row per Comune × template (a missing scheda is a row "Non iniziata"). Two queries."""
    today = today or timezone.localdate()
    comuni = list(comuni.values_list("codice_istat", "nome"))
    schede = (
        Scheda.objects.filter(comune__in=[c[0] for c in comuni], modello__in=modelli)
        .order_by()
        .values_list("comune_id", "modello_id", "pk", "stato", "completezza", "n_errori", "n_avvisi", "modificata_il")
    )
    by_key = {(s[0], s[1]): s for s in schede}
    labels = state_labels()
    rows = []
    for codice, nome in comuni:
        for modello in modelli:
            row = OverviewRow(codice, nome, modello.codice, modello.pk, None, "non_iniziata", "Non iniziata",
                              None, None, None, None, (modello.scadenza - today).days)  # fmt: skip
            scheda = by_key.get((codice, modello.pk))
            if scheda is not None:
                _c, _m, row.scheda_id, row.stato, completezza, row.errori, row.avvisi, row.modificata_il = scheda
                row.stato_label, row.completezza = labels[row.stato], float(completezza)
            rows.append(row)
    return rows


def filter_overview(
    rows: list[OverviewRow], *, q: str = "", modello: str = "", stato: str = "", scadute: bool = False
) -> list[OverviewRow]:
    """The overview rows of a Comune (name or ISTAT code), a template, a status, or overdue and not sent."""
    if q:
        q = q.lower()
        rows = [r for r in rows if q in r.comune_nome.lower() or r.comune_codice.startswith(q)]
    if modello:
        rows = [r for r in rows if r.modello == modello]
    if stato:
        rows = [r for r in rows if r.stato == stato]
    if scadute:
        rows = [r for r in rows if r.giorni < 0 and r.stato not in SENT]
    return rows


def status_counts(rows: list[OverviewRow]) -> list[tuple[str, int]]:
    """How many rows per status label, by label."""
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.stato_label] = counts.get(r.stato_label, 0) + 1
    return sorted(counts.items())


# --- The overview in SQL (the page: one page of rows, counts by GROUP BY) -------------------------------------

NOT_STARTED = "non_iniziata"
ROW_FIELDS = ("comune_codice", "comune_nome", "modello", "modello_id", "scheda_id", "stato", "completezza",
              "errori", "avvisi", "modificata_il", "giorni")  # fmt: skip
SCHEDA_FIELDS = ("scheda_id", "stato", "completezza", "errori", "avvisi", "modificata_il")


def _filtered_comuni(comuni: QuerySet[Comune], q: str) -> QuerySet[Comune]:
    if q:
        comuni = comuni.filter(Q(nome__icontains=q) | Q(codice_istat__startswith=q.lower()))
    return comuni


def _overview_modelli(modelli: list[ModelloScheda], modello: str, scadute: bool, today: date) -> list[ModelloScheda]:
    """The templates whose rows pass the filters that depend on the template alone."""
    chosen = [m for m in modelli if not modello or m.codice == modello]
    if scadute:
        chosen = [m for m in chosen if (m.scadenza - today).days < 0]
    return chosen


def _states(stato: str, scadute: bool) -> tuple[list[str] | None, bool]:
    """(the Scheda states shown, or None for any; whether rows without a scheda are shown)."""
    states = [value for value, _label in Stato.choices]
    if scadute:
        states = [s for s in states if s not in SENT]
    if stato:
        return [s for s in states if s == stato], stato == NOT_STARTED
    return (states if scadute else None), True


class OverviewQuery:
    """The rows of the overview (Comune × template, a missing scheda is «Non iniziata»), filtered, ordered and
    sliced by the database: one query per page of rows (a UNION of one LEFT JOIN per template), whatever the
    number of Comuni. Quacks like a QuerySet for django-tables2 (count, order_by, slicing)."""

    def __init__(self, comuni, modelli, *, q="", modello="", stato="", scadute=False, today=None, order=(), total=None):
        self.today = today or timezone.localdate()
        self.comuni, self.modelli_all = comuni, modelli
        self.filters = {"q": q, "modello": modello, "stato": stato, "scadute": scadute}
        self.order = tuple(order) or ("comune_nome", "comune_codice", "modello")
        self._total = total
        self.model = Scheda

    def _clone(self, **changes) -> OverviewQuery:
        kwargs = {**self.filters, "today": self.today, "order": self.order, "total": self._total, **changes}
        return OverviewQuery(self.comuni, self.modelli_all, **kwargs)

    def order_by(self, *keys: str) -> OverviewQuery:
        allowed = set(ROW_FIELDS)
        keys = tuple(k for k in keys if k.lstrip("-") in allowed)
        return self._clone(order=(*keys, "comune_codice", "modello"))

    def _part(self, comuni: QuerySet[Comune], m: ModelloScheda, states, not_started: bool) -> QuerySet:
        qs = comuni.order_by().alias(s=FilteredRelation("schede", condition=Q(schede__modello_id=m.pk)))
        if states is not None and not not_started:
            qs = qs.filter(s__stato__in=states)
        elif states is not None:
            qs = qs.filter(Q(s__stato__in=states) | Q(s__id__isnull=True))
        elif not not_started:
            qs = qs.filter(s__id__isnull=False)
        return qs.values(
            comune_codice=F("codice_istat"), comune_nome=F("nome"), modello=Value(m.codice, CharField()),
            modello_id=Value(m.pk, IntegerField()), scheda_id=F("s__id"),
            stato=Coalesce(F("s__stato"), Value(NOT_STARTED, CharField())), completezza=F("s__completezza"),
            errori=F("s__n_errori"), avvisi=F("s__n_avvisi"), modificata_il=F("s__modificata_il"),
            giorni=Value((m.scadenza - self.today).days, IntegerField()),
        )  # fmt: skip

    def _union(self) -> QuerySet | None:
        f = self.filters
        comuni = _filtered_comuni(self.comuni, f["q"])
        states, not_started = _states(f["stato"], f["scadute"])
        if states == [] and not not_started:
            return None
        parts = [self._part(comuni, m, states, not_started) for m in _overview_modelli(
            self.modelli_all, f["modello"], f["scadute"], self.today)]  # fmt: skip
        if not parts:
            return None
        query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        return query

    def count(self) -> int:
        if self._total is None:
            self._total = sum(n for _label, n in overview_counts(self.comuni, self.modelli_all, **self.filters,
                                                                   today=self.today))  # fmt: skip
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key : key + 1][0]
        comune_order = self._comune_order()
        if comune_order is not None:
            return self._comune_page(comune_order, key)
        query = self._union()
        if query is None:
            return []
        rows = list(query.order_by(*self._ordering())[key])
        labels = state_labels()
        return [self._row(r, labels) for r in rows]

    def _comune_order(self) -> list[str] | None:
        """The Comune fields to order by when the rows go Comune by Comune, each with one row per template in
        template order (no state filter, and the order keys name the Comune up to its code, then the template):
        a page of rows is then a page of Comuni. None otherwise."""
        if _states(self.filters["stato"], self.filters["scadute"])[0] is not None:
            return None
        fields = {"comune_nome": "nome", "comune_codice": "codice_istat"}
        order: list[str] = []
        for key in self.order:
            name = key.lstrip("-")
            if name == "comune_codice":
                return [*order, key.replace(name, fields[name])]
            if name != "comune_nome":
                return None
            order.append(key.replace(name, fields[name]))
        return None

    def _comune_page(self, comune_order: list[str], key: slice) -> list[OverviewRow]:
        """Rows `key` (start and stop, no step) Comune by Comune: the page of Comuni sliced by the database
        (an index walk, not a sort of every row), then their schede; two queries, whatever the number of Comuni."""
        modelli = _overview_modelli(self.modelli_all, self.filters["modello"], False, self.today)
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        if not modelli or stop <= start:
            return []
        k = len(modelli)
        comuni = _filtered_comuni(self.comuni, self.filters["q"]).order_by(*comune_order)
        page = list(comuni.values_list("codice_istat", "nome")[start // k : -(-stop // k)])
        schede = Scheda.objects.filter(comune_id__in=[c for c, _n in page], modello__in=modelli).values_list(
            "comune_id", "modello_id", "pk", "stato", "completezza", "n_errori", "n_avvisi", "modificata_il"
        )
        found = {(s[0], s[1]): s[2:] for s in schede.order_by()}
        missing = (None, NOT_STARTED, None, None, None, None)
        rows = []
        labels = state_labels()
        for codice, nome in page:
            for m in modelli:
                fields = {"comune_codice": codice, "comune_nome": nome, "modello": m.codice, "modello_id": m.pk,
                          "giorni": (m.scadenza - self.today).days}  # fmt: skip
                fields.update(zip(SCHEDA_FIELDS, found.get((codice, m.pk), missing), strict=True))
                rows.append(self._row(fields, labels))
        first = start // k * k
        return rows[start - first : stop - first]

    def _ordering(self) -> list[OrderBy]:
        """The order keys as expressions with the same place for empty values on every database (PostgreSQL puts
        NULL last going up, SQLite first): a «Non iniziata» row, without counts, comes first going up, last going
        down."""
        return [F(k[1:]).desc(nulls_last=True) if k.startswith("-") else F(k).asc(nulls_first=True) for k in self.order]

    def __iter__(self):
        return iter(self[0 : self.count()])

    @staticmethod
    def _row(r: dict, labels: dict[str, str]) -> OverviewRow:
        """An OverviewRow from the fields of a row; `labels`: the states' labels (`state_labels()`)."""
        completezza = r["completezza"]
        return OverviewRow(
            r["comune_codice"], r["comune_nome"], r["modello"], r["modello_id"], r["scheda_id"], r["stato"],
            labels.get(r["stato"], "Non iniziata"), None if completezza is None else float(completezza),
            r["errori"], r["avvisi"], r["modificata_il"], r["giorni"],
        )  # fmt: skip


def overview_counts(
    comuni: QuerySet[Comune], modelli: list[ModelloScheda], *, q: str = "", modello: str = "", stato: str = "",
    scadute: bool = False, today: date | None = None, n_comuni: int | None = None,
    grouped: dict[tuple[int, str], int] | None = None,
) -> list[tuple[str, int]]:  # fmt: skip
    """How many overview rows per status label, by label (as `status_counts` of the filtered rows): two queries,
    a count of the Comuni (unless given: `n_comuni`, the Comuni after the filter `q`) and a GROUP BY template and
    state of their schede (unless given: `grouped`, the schede per (template id, state) of every Comune, from the
    Ambito's rollup, monitoring.rollup; only without `q`)."""
    today = today or timezone.localdate()
    comuni = _filtered_comuni(comuni, q)
    chosen = _overview_modelli(modelli, modello, scadute, today)
    if not chosen:
        return []
    states, not_started = _states(stato, scadute)
    n_comuni = comuni.order_by().count() if n_comuni is None else n_comuni
    if grouped is None or q:
        rows = Scheda.objects.filter(comune__in=comuni.order_by().values("pk"), modello__in=chosen).order_by()
        grouped = {(m, s): n for m, s, n in rows.values_list("modello_id", "stato").annotate(n=Count("pk"))}
    labels = state_labels()
    counts: dict[str, int] = {}
    existing = dict.fromkeys((m.pk for m in chosen), 0)
    for (modello_id, state), n in grouped.items():
        if modello_id not in existing:
            continue  # a template not chosen (the rollup counts every template)
        existing[modello_id] += n
        if states is None or state in states:
            counts[labels[state]] = counts.get(labels[state], 0) + n
    if not_started:
        missing = sum(n_comuni - n for n in existing.values())
        if missing:
            counts["Non iniziata"] = counts.get("Non iniziata", 0) + missing
    return sorted(counts.items())


@dataclass
class IndicatorTable:
    modello: ModelloScheda
    rows: list[tuple[str, str, int, list[IndicatorValue]]] = field(default_factory=list)  # comune, code, scheda
    totals: list[IndicatorValue] = field(default_factory=list)
    count: int = 0  # schede in the Ambito
    body: str | None = None  # the rows as HTML, for a page of Comuni (monitoring.indicator_page); else `rows`

    @property
    def headers(self) -> list[IndicatorValue]:
        return self.totals


def indicator_totals(
    comuni: QuerySet, modelli: list[ModelloScheda], riepilogo: Riepilogo | None = None
) -> dict[int, tuple[list[IndicatorValue], int]]:
    """Per template (by pk): the Ambito totals of its indicators over the schede of `comuni` and how many schede
    (`ambito_totals`); one query per template with indicators, none with the rollup of the Ambito whose Comuni
    are `comuni` (`riepilogo`, monitoring.rollup) unless some scheda has no exact addends."""
    totals = {}
    for modello in modelli:
        definition = modello.indicator_definition()
        rolled = riepilogo.totals(modello) if riepilogo is not None and definition["indicatori"] else None
        if rolled is not None:
            totals[modello.pk] = rolled
        elif definition["indicatori"]:
            schede = Scheda.objects.filter(modello=modello, comune__in=comuni.order_by().values("pk"))
            totals[modello.pk] = ambito_totals(definition, schede)
    return totals


def indicator_tables(comuni: QuerySet, modelli: list[ModelloScheda]) -> list[IndicatorTable]:
    """Per template: every Comune's indicators (by Comune name) and the Ambito totals over all schede, from sums of
    numerators and denominators added up exactly by the database (`ambito_totals`): two queries per template.
    The overview's page of Comuni: monitoring.indicator_page."""
    with_indicators = [m for m in modelli if m.indicator_definition()["indicatori"]]
    totals = indicator_totals(comuni, with_indicators)
    tables = []
    for modello in with_indicators:
        definition = modello.indicator_definition()
        table = IndicatorTable(modello)
        table.totals, table.count = totals[modello.pk]
        schede = Scheda.objects.filter(modello=modello, comune__in=comuni.order_by().values("pk"))
        fields = ("pk", "indicatori", "comune__nome", "comune_id")
        for pk, facts, nome, codice in schede.order_by("comune__nome", "comune_id").values_list(*fields):
            table.rows.append((nome, codice, pk, scheda_indicators(definition, facts)))
        tables.append(table)
    return tables


def ambito_totals(definition: dict, schede: QuerySet[Scheda]) -> tuple[list[IndicatorValue], int]:
    """(the Ambito totals of the indicators over `schede`, how many schede): integer sums of the addends stored
    with the facts (monitoring.indicators.SUMS_KEY), exact on every database; in Python from the facts when a
    scheda has no addends (saved before they existed, or not whole millionths)."""
    sums: dict[str, Any] = {
        "_count": Count("pk"),
        "_legacy": Count("pk", filter=WITHOUT_ADDENDS),
    }
    for i, spec in enumerate(definition["indicatori"]):
        path = f"indicatori__{SUMS_KEY}__{spec['code']}"
        sums[f"n{i}"] = Sum(Cast(KT(f"{path}__n"), BigIntegerField()))
        sums[f"d{i}"] = Sum(Cast(KT(f"{path}__d"), BigIntegerField()))
        for j, target in enumerate(spec.get("targets", [])):
            if "value" not in target:  # a fixed target needs no weighted sum
                sums[f"tw{i}_{j}"] = Sum(Cast(KT(f"{path}__t__{j}__0"), BigIntegerField()))
                sums[f"w{i}_{j}"] = Sum(Cast(KT(f"{path}__t__{j}__1"), BigIntegerField()))
    totals = schede.order_by().aggregate(**sums)
    if totals["_legacy"]:
        facts = list(schede.order_by().values_list("indicatori", flat=True))
        return ambito_indicators(definition, facts), totals["_count"]

    def dec(value):
        return None if value is None else from_millionths(value)

    by_code = {}
    for i, spec in enumerate(definition["indicatori"]):
        n_targets = len(spec.get("targets", []))
        by_code[spec["code"]] = {
            "n": dec(totals[f"n{i}"]),
            "d": dec(totals[f"d{i}"]),
            "tw": [dec(totals.get(f"tw{i}_{j}")) for j in range(n_targets)],
            "w": [dec(totals.get(f"w{i}_{j}")) for j in range(n_targets)],
        }
    return indicators_from_sums(definition, by_code), totals["_count"]
