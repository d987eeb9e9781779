"""Read-side queries of the schede: the user's schede, the Ambito overview (Comune × template) with its filters,
indicator tables, a scheda's history, and what the data entry page of a quadro shows."""

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
from django.utils.translation import gettext as _

from accounts.scoping import EDIT, scope
from monitoring.engine import CompiledTemplate, Message, Result
from monitoring.engine.template import QuadroDef
from territory.models import Ambito, Comune
from territory.selectors import ambito_comuni

from .indicators import (
    SUMS_KEY,
    IndicatorValue,
    ambito_indicators,
    from_millionths,
    indicators_from_sums,
    scheda_indicators,
)
from .layout import QuadroView, quadro_views
from .models import ModelloScheda, Scheda, Stato, ValoreCella
from .services import Conflict, scheda_compute
from .values import display_value

SENT = (Stato.INVIATA, Stato.VALIDATA)
STATE_BADGE = {
    "non_iniziata": "secondary",
    "bozza": "warning",
    "inviata": "primary",
    "validata": "success",
    "rimandata": "danger",
    "riaperta": "warning",
}  # the Bootstrap colour of each state's badge


def user_schede(user, limit: int = 200) -> QuerySet[Scheda]:
    """The schede the user may see, the latest year first (at most `limit`)."""
    qs = scope(Scheda.objects.select_related("modello", "comune"), user)
    return qs.order_by("-modello__anno_riferimento", "comune__nome", "modello__codice")[:limit]


def user_ambiti(user) -> QuerySet[Ambito]:
    return scope(Ambito.objects.all(), user)


def editable_comuni(user) -> QuerySet[Comune]:
    """The Comuni (of an Ambito) whose schede the user may fill, by name."""
    return scope(Comune.objects.filter(ambito__isnull=False), user, EDIT).order_by("nome")


def active_modelli() -> list[ModelloScheda]:
    """The active templates, without their JSON definition (see `ModelloScheda.compiled`)."""
    return list(ModelloScheda.objects.filter(attivo=True).defer("definizione").order_by("codice"))


def overview_comuni(ambito: Ambito, user) -> QuerySet[Comune]:
    """The Comuni of the Ambito (and of its sub-Ambiti) the user may see, by name."""
    return scope(ambito_comuni(ambito), user).order_by("nome")


def ambito_schede(comuni: QuerySet[Comune], modelli: list[ModelloScheda]) -> QuerySet[Scheda]:
    return Scheda.objects.filter(comune__in=comuni.values("pk"), modello__in=modelli)


def prefilled_count(scheda: Scheda) -> int:
    """How many values still hold what was copied from the previous year's scheda."""
    return scheda.valori.filter(precompilato=True).count()


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
    def giorni_scaduta(self) -> int:
        return -self.giorni

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
    labels = {value: str(label) for value, label in Stato.choices}
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
        return [self._row(r) for r in rows]

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
        for codice, nome in page:
            for m in modelli:
                fields = {"comune_codice": codice, "comune_nome": nome, "modello": m.codice, "modello_id": m.pk,
                          "giorni": (m.scadenza - self.today).days}  # fmt: skip
                fields.update(zip(SCHEDA_FIELDS, found.get((codice, m.pk), missing), strict=True))
                rows.append(self._row(fields))
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
    def _row(r: dict) -> OverviewRow:
        labels = {value: str(label) for value, label in Stato.choices}
        completezza = r["completezza"]
        return OverviewRow(
            r["comune_codice"], r["comune_nome"], r["modello"], r["modello_id"], r["scheda_id"], r["stato"],
            labels.get(r["stato"], "Non iniziata"), None if completezza is None else float(completezza),
            r["errori"], r["avvisi"], r["modificata_il"], r["giorni"],
        )  # fmt: skip


def overview_counts(
    comuni: QuerySet[Comune], modelli: list[ModelloScheda], *, q: str = "", modello: str = "", stato: str = "",
    scadute: bool = False, today: date | None = None,
) -> list[tuple[str, int]]:  # fmt: skip
    """How many overview rows per status label, by label (as `status_counts` of the filtered rows): two queries,
    a count of the Comuni and a GROUP BY template and state of their schede."""
    today = today or timezone.localdate()
    comuni = _filtered_comuni(comuni, q)
    chosen = _overview_modelli(modelli, modello, scadute, today)
    if not chosen:
        return []
    states, not_started = _states(stato, scadute)
    n_comuni = comuni.order_by().count()
    grouped = (
        Scheda.objects.filter(comune__in=comuni.order_by().values("pk"), modello__in=chosen)
        .order_by()
        .values_list("modello_id", "stato")
        .annotate(n=Count("pk"))
    )
    labels = {value: str(label) for value, label in Stato.choices}
    counts: dict[str, int] = {}
    existing = dict.fromkeys((m.pk for m in chosen), 0)
    for modello_id, state, n in grouped:
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
    count: int = 0  # schede in the Ambito (rows holds one page of them)

    @property
    def headers(self) -> list[IndicatorValue]:
        return self.totals


def indicator_totals(comuni: QuerySet, modelli: list[ModelloScheda]) -> dict[int, tuple[list[IndicatorValue], int]]:
    """Per template (by pk): the Ambito totals of its indicators over the schede of `comuni` and how many schede
    (`ambito_totals`); one query per template with indicators."""
    totals = {}
    for modello in modelli:
        definition = modello.indicator_definition()
        if definition["indicatori"]:
            schede = Scheda.objects.filter(modello=modello, comune__in=comuni.order_by().values("pk"))
            totals[modello.pk] = ambito_totals(definition, schede)
    return totals


def indicator_tables(
    comuni: QuerySet, modelli: list[ModelloScheda], *, offset: int = 0, limit: int | None = None, totals=None
) -> list[IndicatorTable]:
    """Per template: the Comuni's indicators and the Ambito totals over all schede, from sums of numerators and
    denominators added up exactly by the database (`ambito_totals`). With a `limit`, the rows are those of the
    Comuni offset..offset+limit by name (the page of Comuni sliced by the database once, then their schede);
    without, every scheda by Comune name. Two queries per template (and the page), whatever the number of Comuni;
    one when the `totals` are given (`indicator_totals`, e.g. cached once for every page)."""
    totals = indicator_totals(comuni, modelli) if totals is None else totals
    page = None
    if limit is not None:
        page = list(
            comuni.order_by("nome", "codice_istat").values_list("codice_istat", "nome")[offset : offset + limit]
        )
    tables = []
    for modello in modelli:
        definition = modello.indicator_definition()
        if not definition["indicatori"]:
            continue
        table = IndicatorTable(modello)
        schede = Scheda.objects.filter(modello=modello, comune__in=comuni.order_by().values("pk"))
        table.totals, table.count = totals[modello.pk]
        for pk, facts, nome, codice in _indicator_rows(modello, schede, page):
            table.rows.append((nome, codice, pk, scheda_indicators(definition, facts)))
        tables.append(table)
    return tables


def _indicator_rows(modello: ModelloScheda, schede: QuerySet[Scheda], page: list[tuple[str, str]] | None) -> list:
    """(pk, facts, Comune name, code) of the schede of `modello` of the Comuni of `page` in its order, or of
    every scheda of `schede` by Comune name (`page` None)."""
    if page is None:
        fields = ("pk", "indicatori", "comune__nome", "comune_id")
        return list(schede.order_by("comune__nome", "comune_id").values_list(*fields))
    found = Scheda.objects.filter(modello=modello, comune_id__in=[codice for codice, _nome in page])
    facts = {codice: (pk, data) for pk, data, codice in found.order_by().values_list("pk", "indicatori", "comune_id")}
    return [(*facts[codice], nome, codice) for codice, nome in page if codice in facts]


def ambito_totals(definition: dict, schede: QuerySet[Scheda]) -> tuple[list[IndicatorValue], int]:
    """(the Ambito totals of the indicators over `schede`, how many schede): integer sums of the addends stored
    with the facts (monitoring.indicators.SUMS_KEY), exact on every database; in Python from the facts when a
    scheda has no addends (saved before they existed, or not whole millionths)."""
    sums: dict[str, Any] = {
        "_count": Count("pk"),
        "_legacy": Count("pk", filter=~Q(indicatori__has_key=SUMS_KEY) & ~Q(indicatori={})),
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


# --- History ------------------------------------------------------------------------------------------------


def scheda_history(scheda: Scheda) -> list[dict[str, Any]]:
    """Every change to a value or to the status, the latest first: who, when, what, old → new."""
    events = _value_events(scheda) + _state_events(scheda)
    events.sort(key=lambda e: e["quando"], reverse=True)
    return events


def _value_events(scheda: Scheda) -> list[dict[str, Any]]:
    compiled = scheda.modello.compiled()
    records = (
        ValoreCella.history.filter(scheda_id=scheda.pk)
        .select_related("history_user")
        .order_by("riga", "colonna", "history_date")
    )
    events = []
    previous: dict[tuple[str, str], str] = {}
    for h in records:
        key = (h.riga, h.colonna)
        old = previous.get(key, "")
        new = "" if h.history_type == "-" else h.valore
        if old != new or h.history_type == "+":
            events.append(
                {
                    "quando": h.history_date,
                    "utente": h.history_user,
                    "cosa": f"Cella {h.riga}/{h.colonna}",
                    "prima": display_value(compiled, key, old),
                    "dopo": display_value(compiled, key, new),
                }
            )
        previous[key] = new
    return events


def _state_events(scheda: Scheda) -> list[dict[str, Any]]:
    records = Scheda.history.filter(id=scheda.pk).select_related("history_user").order_by("history_date")
    labels = dict(Scheda._meta.get_field("stato").choices)
    events = []
    last_state = None
    for h in records:
        if h.stato != last_state:
            events.append(
                {
                    "quando": h.history_date,
                    "utente": h.history_user,
                    "cosa": _("Stato") + (f" — {h.motivo}" if h.motivo else ""),
                    "prima": labels.get(last_state, "") if last_state else "",
                    "dopo": labels.get(h.stato, h.stato),
                }
            )
            last_state = h.stato
    return events


# --- Data entry of a quadro -------------------------------------------------------------------------------


@dataclass
class QuadroPage:
    """What the data entry page of one quadro shows."""

    quadro: QuadroView
    quadri: tuple[QuadroDef, ...]
    result: Result
    messages: list[Message]  # the errors and warnings on the quadro's rows
    other_messages: int  # those on the other quadri
    base: dict[str, dict[str, str]]  # the values and comments as loaded (the form's hidden field «base»)
    not_applicable_sentences: list[str]


def quadro_page(
    scheda: Scheda,
    number: int,
    *,
    overrides: dict[tuple[str, str], str] | None = None,
    comments: dict[tuple[str, str], str] | None = None,
) -> QuadroPage | None:
    """Quadro `number` of the scheda with the stored values, and the user's unsaved ones on top; None if no such
    quadro."""
    compiled = scheda.modello.compiled()
    stored = list(scheda.valori.all())
    stored_values = {(v.riga, v.colonna): v.valore for v in stored}
    stored_comments = {(v.riga, v.colonna): v.commento for v in stored if v.commento}
    prefilled = {(v.riga, v.colonna) for v in stored if v.precompilato}
    result = scheda_compute(scheda=scheda, overrides=overrides)
    raw = {**stored_values, **(overrides or {})}
    shown_comments = {**stored_comments, **(comments or {})}
    views = quadro_views(compiled, result, raw=raw, comments=shown_comments, prefilled=prefilled, only=number)
    if not views:
        return None
    view = views[0]
    rows = {r.code for b in view.blocks for r in b.rows}
    own = [m for m in result.errors + result.warnings if m.row in rows]
    return QuadroPage(
        quadro=view,
        quadri=compiled.definition.quadri,
        result=result,
        messages=own,
        other_messages=len(result.errors) + len(result.warnings) - len(own),
        base=_loaded_state(view, stored_values, stored_comments),
        not_applicable_sentences=_not_applicable_sentences(compiled, view, result),
    )


def _loaded_state(
    view: QuadroView, stored_values: dict[tuple[str, str], str], stored_comments: dict[tuple[str, str], str]
) -> dict[str, dict[str, str]]:
    """What the page shows as "loaded": the stored state now. After a conflict the user's own edits stay in
    the fields and count as changes against it; everything else is the other user's current value."""
    cells = [c for b in view.blocks for r in b.rows for c in r.cells]
    return {
        "valori": {c.key: stored_values.get((c.row, c.col), "") for c in cells if c.kind == "input"},
        "commenti": {c.key: stored_comments.get((c.row, c.col), "") for c in cells if c.kind != "na"},
    }


def _not_applicable_sentences(compiled: CompiledTemplate, view: QuadroView, result: Result) -> list[str]:
    """For a quadro that does not apply: the sentences printed after the last row of the quadro before it."""
    numbers = [q.number for q in compiled.definition.quadri]
    previous = numbers[numbers.index(view.number) - 1] if numbers.index(view.number) > 0 else None
    if view.applies or previous is None:
        return []
    prev_rows = [r.code for r in compiled.definition.quadri[numbers.index(previous)].rows()]
    return [s.text for s in result.sentences if s.after_row in prev_rows[-1:]]


def next_quadro(compiled: CompiledTemplate, number: int) -> int | None:
    """The number of the quadro after quadro `number`, None for the last one."""
    numbers = [q.number for q in compiled.definition.quadri]
    position = numbers.index(number) + 1
    return numbers[position] if position < len(numbers) else None


def conflict_cells(compiled: CompiledTemplate, conflict: Conflict | None) -> list[dict[str, Any]]:
    """The cells in dispute, with both values, for the choice the user must make."""
    if conflict is None:
        return []
    labels = {r.code: r.display_code for r in compiled.definition.rows()}
    last_change = {change["cella"]: change for change in conflict.changes}
    out = []
    for c in conflict.cells:
        kind, row, col = c.key
        change = last_change.get(f"{row}/{col}", {}) if kind == "v" else {}
        name = f"{kind}.{row}.{col}"
        what = _("Cella %(c)s") if kind == "v" else _("Commento alla cella %(c)s")
        out.append(
            {  # the items of templates/core/_conflitti.html, shared with the plan's forms
                "name": name,
                "label": what % {"c": f"{labels.get(row, row)}/{col}"},
                "anchor": f"{kind}-{row}-{col}",
                "mine": display_value(compiled, (row, col), c.mine) if kind == "v" else c.mine,
                "theirs": display_value(compiled, (row, col), c.theirs) if kind == "v" else c.theirs,
                "who": change.get("utente", ""),
                "when": change.get("quando"),
                "choice_name": f"scelta-{name}",
                "disputed_name": "conflitti",
            }
        )
    return out


def live_computation(scheda: Scheda, values: dict[tuple[str, str], str]) -> dict[str, Any]:
    """The computed cells and the messages for unsaved values (the JSON of the live computation)."""
    compiled = scheda.modello.compiled()
    result = scheda_compute(scheda=scheda, overrides=values)
    cell_messages: dict[str, list[dict]] = {}
    for m in result.errors + result.warnings:
        if m.row:
            cell_messages.setdefault(f"{m.row}.{m.col}" if m.col else m.row, []).append(
                {"severity": m.severity, "text": m.text}
            )
    return {
        "computed": {f"{r}.{c}": compiled.format_value((r, c), v) for (r, c), v in result.computed.items()},
        "messages": cell_messages,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "quadri": {str(k): v for k, v in result.quadri.items()},
    }
