"""Import of commitments and payments from the Ambito's accounting export (issue 14, point 4).

The file is a CSV (``;`` or ``,`` separated, UTF-8 with or without BOM) or an .xlsx (first sheet) with a header
row naming, case-insensitive, the columns ``fondo`` (fund code), ``annualità`` (year of the allocation),
``intervento`` (the intervention's code, or its title as written in the plan), ``anno`` (year of the plan),
``tipo`` (impegno/liquidazione), ``natura`` (nuovo/correzione/disimpegno), ``data`` (dd/mm/yyyy), ``atto``,
``importo`` (1.234,56 or 1234,56; negative for a correction or a de-commitment). Each row names a budget line
(fund + annualità + intervention + year).

The shape is checked before any value, and a file that does not fit is refused as a whole: an unknown column in
the header, a value in a column without heading (a row with more cells than the header: in a comma-separated CSV,
typically an unquoted 1.234,56), a formula in the .xlsx (never evaluated, its cached result never trusted), a
second sheet with anything in it.

Two steps, all or nothing: :func:`check_file` reads the file and runs every row through
``services.movimento_add`` inside a transaction that is always rolled back (the same checks as the real write,
in the file's order), giving the preview (the line, what impegnato and liquidato become) and every error with its
place («riga N, colonna «importo»: …» for a CSV, «foglio X, riga N, …» for an .xlsx); :func:`apply_rows` writes
the checked rows in one transaction and, if any row is refused at that moment, saves nothing and names the row.
Nothing is silently corrected: an amount with more than two decimals, an unknown value, an ambiguous title are
errors.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from core.numbers import NumberParseError, parse_decimal

from ..models import Intervento, Movimento, NaturaMovimento, PianoDiZona, RigaBilancio, TipoMovimento
from . import services
from .movimenti_file import RawRow, cell_text

ZERO = Decimal(0)
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# the field a service's ValidationError names -> the column of the file
_FIELD_COLUMN = {"importo": "importo", "natura": "natura", "tipo": "tipo", "data": "data", "atto": "atto"}


class _AsDecimal:
    """A read-only attribute: the row's text field `name` as a Decimal (the row keeps texts: it is stored in the
    session between the preview and the apply)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, row: Any, owner: type | None = None) -> Decimal:
        return Decimal(getattr(row, self.name))


@dataclass
class CheckedRow:
    """One row of the file as it will be written, with the figures of its line after it."""

    where: str
    riga_id: int
    riga_label: str
    area: str
    tipo: str
    natura: str
    data: str  # ISO
    atto: str
    importo: str
    programmato: str = "0"
    impegnato: str = "0"
    liquidato: str = "0"

    def movimento_kwargs(self) -> dict[str, Any]:
        return {
            "tipo": self.tipo,
            "natura": self.natura,
            "data": self.data_date,
            "atto": self.atto,
            "importo": self.importo_decimal,
        }

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def data_date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.data)

    importo_decimal = _AsDecimal("importo")
    programmato_decimal = _AsDecimal("programmato")
    impegnato_decimal = _AsDecimal("impegnato")
    liquidato_decimal = _AsDecimal("liquidato")


@dataclass
class CheckResult:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# --- Checking values -------------------------------------------------------------------------------------------


class _CellError(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column = column
        self.message = message


def _year(value: Any, column: str) -> int:
    text = cell_text(value)
    if not re.fullmatch(r"\d{4}", text):
        raise _CellError(column, f"«{text}» non è un anno (es. 2025).")
    return int(text)


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0, 0):
            raise _CellError("data", f"«{value}» contiene un orario: indicare solo la data (gg/mm/aaaa).")
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    match = _DATE.fullmatch(text)
    if not match:
        raise _CellError("data", f"«{text}» non è una data nel formato gg/mm/aaaa.")
    day, month, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise _CellError("data", f"«{text}» non è una data esistente.") from exc


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise _CellError("importo", f"«{value}» non è un importo.")
    if isinstance(value, int | float | Decimal):
        try:
            amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation as exc:
            raise _CellError("importo", f"«{value}» non è un importo.") from exc
        shown = str(value)
    else:
        shown = cell_text(value)
        if not shown:
            raise _CellError("importo", "importo mancante.")
        try:
            amount = parse_decimal(shown)
        except NumberParseError as exc:
            raise _CellError("importo", f"«{shown}» non è un importo (formato 1.234,56 o 1234,56).") from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise _CellError("importo", f"«{shown}» ha più di due decimali: correggere il file (nessun arrotondamento).")
    return amount.quantize(Decimal("0.01"))


def _choice(value: Any, column: str, choices: type[TipoMovimento] | type[NaturaMovimento]) -> str:
    text = cell_text(value).lower()
    allowed = [c.value for c in choices]
    if text not in allowed:
        raise _CellError(column, f"«{cell_text(value)}» non ammesso (valori: {', '.join(allowed)}).")
    return text


class _Lookup:
    """The plan's budget lines by fund code, annualità, intervention and year; interventions by code or title."""

    def __init__(self, piano: PianoDiZona) -> None:
        lines = RigaBilancio.objects.filter(piano=piano).select_related(
            "assegnazione__fondo", "intervento__obiettivo__area", "intervento__obiettivo__parent__area"
        )
        self.lines = {
            (r.assegnazione.fondo.codice.lower(), r.assegnazione.anno, r.intervento_id, r.anno): r for r in lines
        }
        self.fund_codes = set(piano.assegnazioni.values_list("fondo__codice", flat=True))
        self.fund_years = set(piano.assegnazioni.values_list("fondo__codice", "anno"))
        self.by_code: dict[str, list[Intervento]] = {}
        self.by_title: dict[str, list[Intervento]] = {}
        for i in Intervento.objects.filter(piano=piano).only("pk", "codice", "titolo"):
            if i.codice.strip():
                self.by_code.setdefault(i.codice.strip().lower(), []).append(i)
            self.by_title.setdefault(" ".join(i.titolo.split()).lower(), []).append(i)

    def intervento(self, value: Any) -> Intervento:
        text = " ".join(cell_text(value).split())
        if not text:
            raise _CellError("intervento", "intervento mancante (codice o titolo come nel piano).")
        found = self.by_code.get(text.lower()) or self.by_title.get(text.lower()) or []
        if len(found) > 1:
            raise _CellError("intervento", f"«{text}» indica più interventi del piano: usare il codice.")
        if not found:
            raise _CellError("intervento", f"«{text}»: nessun intervento del piano ha questo codice o titolo.")
        return found[0]

    def line(self, fondo: str, annualita: int, intervento: Intervento, anno: int) -> RigaBilancio:
        codes = {c.lower(): c for c in self.fund_codes}
        if fondo.lower() not in codes:
            raise _CellError("fondo", f"il fondo «{fondo}» non è assegnato a questo piano.")
        code = codes[fondo.lower()]
        if (code, annualita) not in self.fund_years:
            raise _CellError("annualità", f"il fondo {code} non ha un'assegnazione dell'annualità {annualita}.")
        riga = self.lines.get((fondo.lower(), annualita, intervento.pk, anno))
        if riga is None:
            raise _CellError(
                "anno",
                f"nessuna riga del bilancio per {code} {annualita}, intervento «{intervento.titolo}», anno {anno}.",
            )
        return riga


def _parse_row(raw: RawRow, lookup: _Lookup) -> tuple[RigaBilancio, dict[str, Any]]:
    v = raw.values
    fondo = cell_text(v["fondo"])
    if not fondo:
        raise _CellError("fondo", "codice del fondo mancante.")
    annualita = _year(v["annualità"], "annualità")
    anno = _year(v["anno"], "anno")
    intervento = lookup.intervento(v["intervento"])
    riga = lookup.line(fondo, annualita, intervento, anno)
    atto = cell_text(v["atto"])
    if not atto:
        raise _CellError("atto", "indicare l'atto (es. «Determina n. 123/2025»).")
    return riga, {
        "tipo": _choice(v["tipo"], "tipo", TipoMovimento),
        "natura": _choice(v["natura"], "natura", NaturaMovimento),
        "data": _date(v["data"]),
        "atto": atto,
        "importo": _amount(v["importo"]),
    }


def _service_errors(where: str, error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{where}, colonna «{_FIELD_COLUMN.get(name, name)}»: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [f"{where}: {message}" for message in error.messages]


def _sums(riga_ids: set[int]) -> dict[int, dict[str, Decimal]]:
    values = (
        Movimento.objects.filter(riga__in=riga_ids)
        .values("riga")
        .annotate(
            impegnato=Sum("importo", filter=Q(tipo=TipoMovimento.IMPEGNO)),
            liquidato=Sum("importo", filter=Q(tipo=TipoMovimento.LIQUIDAZIONE)),
        )
        .order_by()
    )
    return {v["riga"]: {"impegnato": v["impegnato"] or ZERO, "liquidato": v["liquidato"] or ZERO} for v in values}


PROGRESS_UPDATES = 100  # at most this many progress reports while checking (a job's row update each)


def check_rows(piano: PianoDiZona, raw_rows: list[RawRow], user=None, progress=None) -> CheckResult:
    """Every row parsed and tried with ``services.movimento_add`` in the file's order, then all rolled back;
    `progress(n)` is called after the n-th row now and then (the job's step n of m)."""
    result = CheckResult()
    every = max(1, len(raw_rows) // PROGRESS_UPDATES)
    lookup = _Lookup(piano)
    parsed: list[tuple[RawRow, RigaBilancio, dict[str, Any]]] = []
    for raw in raw_rows:
        try:
            riga, kwargs = _parse_row(raw, lookup)
        except _CellError as exc:
            result.errors.append(f"{raw.where}, colonna «{exc.column}»: {exc.message}")
            continue
        parsed.append((raw, riga, kwargs))
    running = _sums({r.pk for _raw, r, _k in parsed})
    with transaction.atomic():
        for n, (raw, riga, kwargs) in enumerate(parsed, start=1):
            if progress is not None and (n % every == 0 or n == len(parsed)):
                progress(n)
            try:
                services.movimento_add(riga=riga, user=user, **kwargs)
            except ValidationError as exc:
                result.errors.extend(_service_errors(raw.where, exc))
                continue
            sums = running.setdefault(riga.pk, {"impegnato": ZERO, "liquidato": ZERO})
            sums["impegnato" if kwargs["tipo"] == TipoMovimento.IMPEGNO else "liquidato"] += kwargs["importo"]
            result.rows.append(
                CheckedRow(
                    where=raw.where,
                    riga_id=riga.pk,
                    riga_label=f"{riga.assegnazione} → {riga.intervento.titolo} ({riga.anno})",
                    area=getattr(riga.intervento.obiettivo.area_effettiva, "codice", ""),
                    tipo=kwargs["tipo"],
                    natura=kwargs["natura"],
                    data=kwargs["data"].isoformat(),
                    atto=kwargs["atto"],
                    importo=str(kwargs["importo"]),
                    programmato=str(riga.importo),
                    impegnato=str(sums["impegnato"]),
                    liquidato=str(sums["liquidato"]),
                )
            )
        transaction.set_rollback(True)
    return result


class ApplyError(Exception):
    pass


def apply_rows(piano: PianoDiZona, rows: list[CheckedRow], user=None) -> int:
    """Write the checked rows in one transaction; the first refusal rolls everything back (ApplyError)."""
    lines = {r.pk: r for r in RigaBilancio.objects.filter(piano=piano, pk__in={row.riga_id for row in rows})}
    with transaction.atomic():
        for row in rows:
            riga = lines.get(row.riga_id)
            if riga is None:
                raise ApplyError(f"{row.where}: la riga del bilancio non esiste più. Nessun movimento salvato.")
            try:
                services.movimento_add(riga=riga, user=user, **row.movimento_kwargs())
            except ValidationError as exc:
                detail = " ".join(_service_errors(row.where, exc))
                raise ApplyError(f"{detail} Nessun movimento salvato.") from exc
    return len(rows)
