"""Exchange of schede by codes (JSON, or the .xlsx of :mod:`monitoring.excel`): export and all-or-nothing import.

JSON shape of one scheda (a file holds one object or a list of them)::

    {"template": "NID26", "comune": "035033", "anno": 2025, "stato": "validata",
     "valori": {"R05": {"N25": "748", ...}, "R21": {"PCT25": "51,80", ...}, "R61": {"TXT": "..."}}}

Values are texts in the canonical stored form: numbers with a decimal comma and no thousands separator,
exactly as stored (inputs) or rounded to the cell's decimals (computed: ``"51,80"``, ``"4935260,53"``,
``"1800"``); ``"SI"``/``"NO"``; free text as typed; ``""`` for an empty cell. The export lists every cell of
the template (inputs, precompiled and computed) in template order.

On import: a cell missing from ``valori`` is left as it is, ``""`` empties it; numbers may also be JSON
numbers or Italian texts (``"1.234,56"``); computed cells may be omitted, and when present must equal the
recomputed value; precompiled cells are written (the import is the ministry/administrator channel);
``anno`` must match the template's year; ``stato`` is informative (the import never changes the workflow).
A scheda whose values do not change is left untouched, even when Validata; changing a scheda that is not
editable (Inviata, Validata) is refused. A scheda that does not exist yet is created (JSON only). A key repeated
in a JSON object (which ``json.loads`` would silently resolve to its last value) refuses the file.
"""

from __future__ import annotations

import codecs
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.errors import FileImportError
from core.uploads import check_upload_path
from monitoring.engine import CompiledTemplate, parse_decimal, round_half_up
from territory.models import Comune

from .changes import CellKey, changed_values, preview_changes
from .excel import ExcelImportError, parse_scheda_xlsx, read_xlsx_marker
from .models import ModelloScheda, Scheda
from .services import Conflict, SchedaError, input_errors, normalise, scheda_create, scheda_raw_values, scheda_save

__all__ = [
    "ImportItem",
    "ImportOutcome",
    "ImportSchedeError",
    "check_import",
    "read_import_file",
    "scheda_to_dict",
    "schede_import",
]

IMPORT_EXTENSIONS = (".json", ".xlsx")


class ImportSchedeError(FileImportError):
    """The import was refused as a whole (nothing saved); ``errors`` name template, Comune and cell."""


@dataclass
class ImportItem:
    """One scheda to import: its codes and its values (``source`` names it in messages)."""

    template: str
    comune: str
    values: dict[CellKey, Any]
    source: str
    anno: Any = None
    xlsx: bytes | None = None

    @property
    def from_xlsx(self) -> bool:
        return self.xlsx is not None


@dataclass
class ImportOutcome:
    scheda: Scheda
    created: bool
    changes: list[dict] = field(default_factory=list)


# --- Export ---------------------------------------------------------------------------------------------


def scheda_to_dict(scheda: Scheda) -> dict:
    """Every cell of the scheda keyed by row code then column code (see the module docstring)."""
    compiled = scheda.modello.compiled()
    result = compiled.compute(scheda_raw_values(scheda))
    valori: dict[str, dict[str, str]] = {}
    for row in compiled.definition.rows():
        for cell in row.cells:
            if cell.key in compiled.cells:
                valori.setdefault(row.code, {})[cell.col] = normalise(result.values.get(cell.key))
    return {
        "template": scheda.modello.codice,
        "comune": scheda.comune.codice_istat,
        "anno": scheda.modello.anno_riferimento,
        "stato": scheda.stato,
        "valori": valori,
    }


# --- Reading files ----------------------------------------------------------------------------------------


def read_import_file(path: Path) -> list[ImportItem]:
    """The schede in a JSON file (one object or a list) or in an .xlsx written by the portal.

    The extension and the size are checked first, with the web upload's rules (:mod:`core.uploads`).
    """
    refused = check_upload_path(path, IMPORT_EXTENSIONS)
    if refused:
        raise ImportSchedeError([refused])
    data = path.read_bytes()
    if path.suffix.lower() == ".xlsx" or data[:2] == b"PK":
        try:
            template, comune = read_xlsx_marker(data)
        except ExcelImportError as exc:
            raise ImportSchedeError([f"{path.name}: {e}" for e in exc.errors]) from exc
        return [ImportItem(template, comune, {}, path.name, xlsx=data)]
    document = _load_json(data, path.name)
    documents = document if isinstance(document, list) else [document]
    items, errors = [], []
    for i, doc in enumerate(documents, start=1):
        where = f"{path.name}, scheda {i}" if isinstance(document, list) else path.name
        errors += [f"{where}: {e}" for e in _duplicate_keys(doc, ())]
    if errors:
        raise ImportSchedeError(errors)
    for i, doc in enumerate(documents, start=1):
        where = f"{path.name}, scheda {i}" if isinstance(document, list) else path.name
        try:
            items.append(_item_from_json(doc, where))
        except ImportSchedeError as exc:
            errors += exc.errors
    if errors:
        raise ImportSchedeError(errors)
    return items


_JSON_REASONS = {
    "Expecting ',' delimiter": "manca una virgola o una parentesi di chiusura",
    "Expecting ':' delimiter": "mancano i due punti dopo il nome",
    "Expecting value": "manca un valore o il valore non è valido",
    "Expecting property name": "atteso un nome tra virgolette doppie (o c'è una virgola di troppo)",
    "Unterminated string starting at": "testo tra virgolette non chiuso",
    "Extra data": "altro testo dopo la fine del JSON",
    "Invalid control character at": "carattere di controllo in un testo (un a capo si scrive \\n)",
    "Invalid \\escape": "sequenza con la barra rovesciata non valida",
}


class _JsonObject(dict):
    """A JSON object that remembers the keys written more than once (``json.loads`` would keep the last value)."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.repeated = [key for key, n in Counter(key for key, _ in pairs).items() if n > 1]


def _load_json(data: bytes, name: str) -> Any:
    """The JSON document in ``data`` (UTF-8, with or without BOM); ImportSchedeError in Italian if unreadable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        body = data[bom:]  # exc.start counts from after the BOM
        line = body.count(b"\n", 0, exc.start) + 1
        column = len(body[body.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8")) + 1
        raise ImportSchedeError(
            [
                f"{name}: il file non è in UTF-8 (byte non valido alla posizione {bom + exc.start + 1}, riga {line}, "
                f"colonna {column}): salvarlo con la codifica UTF-8."
            ]
        ) from exc
    try:
        return json.loads(text, object_pairs_hook=_JsonObject)
    except json.JSONDecodeError as exc:
        reason = next((r for msg, r in _JSON_REASONS.items() if exc.msg.startswith(msg)), None)
        where = f"{name}: JSON non valido alla riga {exc.lineno}, colonna {exc.colno}"
        raise ImportSchedeError([f"{where}: {reason}." if reason else f"{where}."]) from exc


def _duplicate_keys(value: Any, path: tuple[str, ...]) -> list[str]:
    """A message for every key repeated in an object of the document (``path``: the keys leading to it)."""
    errors = []
    if isinstance(value, _JsonObject):
        where = " → ".join(f"«{p}»" for p in path)
        where = f"nell'oggetto {where}" if path else "nell'oggetto della scheda"
        errors += [
            f"la chiave «{key}» compare più volte {where}: ogni chiave va scritta una sola volta."
            for key in value.repeated
        ]
        for key, item in value.items():
            errors += _duplicate_keys(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value, start=1):
            errors += _duplicate_keys(item, (*path, f"elemento {n}"))
    return errors


def _item_from_json(doc: Any, where: str) -> ImportItem:
    if not isinstance(doc, dict):
        raise ImportSchedeError([f"{where}: ogni scheda deve essere un oggetto JSON."])
    missing = [k for k in ("template", "comune", "valori") if k not in doc]
    if missing:
        raise ImportSchedeError([f"{where}: mancano i campi {', '.join(missing)}."])
    valori = doc["valori"]
    if not isinstance(valori, dict) or not all(isinstance(v, dict) for v in valori.values()):
        raise ImportSchedeError([f"{where}: «valori» deve essere {{codice riga: {{codice colonna: valore}}}}."])
    values = {(str(r), str(c)): v for r, cols in valori.items() for c, v in cols.items()}
    return ImportItem(str(doc["template"]), _istat(doc["comune"]), values, where, anno=doc.get("anno"))


def _istat(value: Any) -> str:
    text = str(value).strip()
    return text.zfill(6) if text.isdigit() else text


def _as_text(value: Any) -> str | None:
    """A JSON value as cell text; ``None`` when its type is not allowed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SI" if value else "NO"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return normalise(Decimal(repr(value)))
    if isinstance(value, str):
        return value
    return None


# --- Import ----------------------------------------------------------------------------------------------


def schede_import(
    *,
    items: Iterable[ImportItem],
    user,
    dry_run: bool = False,
    allowed_comuni: set[str] | None = None,
    expected_versions: dict[tuple[str, str], int] | None = None,
) -> list[ImportOutcome]:
    """Import every item in one transaction: if any scheda has an error nothing is saved.

    Precompiled cells are written (``allow_precompiled=True``); values go through
    ``monitoring.services.scheda_save``, which checks them again. Raises :class:`ImportSchedeError`.
    ``dry_run`` checks and reports the changes, then rolls everything back. ``allowed_comuni`` (ISTAT codes):
    a scheda of any other Comune is an error (the web import of an Ambito). ``expected_versions`` (by template
    and Comune, from :func:`check_import`): a scheda changed since it was checked is an error (optimistic lock).
    """
    outcomes: list[ImportOutcome] = []
    errors: list[str] = []
    seen: set[tuple[str, str]] = set()
    with transaction.atomic():
        for item in items:
            label = f"{item.source} ({item.template} {item.comune})"
            if (item.template, item.comune) in seen:
                errors.append(f"{label}: la scheda compare più di una volta.")
                continue
            seen.add((item.template, item.comune))
            if allowed_comuni is not None and item.comune not in allowed_comuni:
                errors.append(f"{label}: {_outside_scope(item)}")
                continue
            expected = (expected_versions or {}).get((item.template, item.comune))
            item_errors, outcome = _import_one(item, user, expected)
            errors += [f"{label}: {e}" for e in item_errors]
            if outcome is not None:
                outcomes.append(outcome)
        if errors:
            transaction.set_rollback(True)
            raise ImportSchedeError(errors)
        if dry_run:
            transaction.set_rollback(True)
    return outcomes


def _outside_scope(item: ImportItem) -> str:
    return f"il Comune con codice ISTAT «{item.comune}» non è tra i Comuni del Suo Ambito: scheda rifiutata."


def check_import(
    items: list[ImportItem],
    *,
    allowed_comuni: set[str] | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> tuple[list[str], dict[tuple[str, str], int]]:
    """Check every item without writing anything (the first pass of the web import, outside any transaction, so
    that its progress can be shown): (the errors, the version of each existing scheda as checked).

    The same checks as :func:`schede_import` (codes, year, Comune in scope, values, editable state), which runs
    them again inside its transaction with the versions returned here. ``progress(n, label)`` after item n.
    """
    errors: list[str] = []
    versions: dict[tuple[str, str], int] = {}
    seen: set[tuple[str, str]] = set()
    for n, item in enumerate(items, start=1):
        label = f"{item.source} ({item.template} {item.comune})"
        key = (item.template, item.comune)
        if key in seen:
            errors.append(f"{label}: la scheda compare più di una volta.")
        elif allowed_comuni is not None and item.comune not in allowed_comuni:
            errors.append(f"{label}: {_outside_scope(item)}")
        else:
            item_errors, version = _check_one(item)
            errors += [f"{label}: {e}" for e in item_errors]
            if version is not None:
                versions[key] = version
        seen.add(key)
        if progress is not None:
            progress(n, f"{item.template} {item.comune}")
    return errors, versions


def _check_one(item: ImportItem) -> tuple[list[str], int | None]:
    """The errors of one item, read-only; the version of its scheda when it exists."""
    errors, modello, comune = _find_target(item)
    if errors:
        return errors, None
    scheda = Scheda.objects.select_related("modello", "comune").filter(modello=modello, comune=comune).first()
    compiled = modello.compiled()
    if scheda is None:
        if item.from_xlsx:
            return [f"la scheda {modello.codice} di {comune.nome} non esiste: crearla prima di caricare il file."], None
        return _split_json_values(item.values, compiled)[0], None  # the values are checked again when created
    try:
        errors, writable, supplied = _item_values(item, scheda, compiled)
    except ExcelImportError as exc:
        return exc.errors, scheda.versione
    changes = changed_values(scheda, writable)
    errors += _check_values(scheda, compiled, changes, supplied)
    if not errors and changes and not scheda.modificabile:
        state = scheda.get_stato_display()
        errors.append(f"la scheda è «{state}» e non è modificabile: riaprirla prima di importare modifiche.")
    return errors, scheda.versione


def _import_one(item: ImportItem, user, expected_version: int | None = None) -> tuple[list[str], ImportOutcome | None]:
    errors, modello, comune = _find_target(item)
    if errors:
        return errors, None
    errors, scheda, created = _find_or_create(item, modello, comune, user)
    if errors:
        return errors, None
    compiled = modello.compiled()
    try:
        errors, writable, supplied = _item_values(item, scheda, compiled)
    except ExcelImportError as exc:
        return exc.errors, None
    changes = changed_values(scheda, writable)
    errors += _check_values(scheda, compiled, changes, supplied)
    if errors:
        return errors, None
    outcome = ImportOutcome(scheda, created, preview_changes(scheda, changes))
    if not changes:
        return [], outcome
    expected = scheda.versione if expected_version is None or created else expected_version
    errors = _save_changes(scheda, changes, user, expected)
    return (errors, None) if errors else ([], outcome)


def _find_target(item: ImportItem) -> tuple[list[str], ModelloScheda | None, Comune | None]:
    """The template and the Comune of the item, checked for the reference year."""
    modello = ModelloScheda.objects.filter(codice=item.template).first()
    comune = Comune.objects.filter(codice_istat=item.comune).first()
    errors = []
    if modello is None:
        errors.append(f"modello di scheda «{item.template}» inesistente.")
    if comune is None:
        errors.append(f"Comune con codice ISTAT «{item.comune}» inesistente.")
    if errors:
        return errors, None, None
    if item.anno is not None and str(item.anno) != str(modello.anno_riferimento):
        return (
            [f"anno {item.anno} diverso dall'anno di riferimento del modello ({modello.anno_riferimento})."],
            None,
            None,
        )
    return [], modello, comune


def _find_or_create(item: ImportItem, modello, comune, user) -> tuple[list[str], Scheda | None, bool]:
    """The Comune's scheda; a JSON item creates it when missing (an .xlsx is the download of an existing one)."""
    scheda = Scheda.objects.select_related("modello", "comune").filter(modello=modello, comune=comune).first()
    if scheda is not None:
        return [], scheda, False
    if item.from_xlsx:
        return (
            [f"la scheda {modello.codice} di {comune.nome} non esiste: crearla prima di caricare il file."],
            None,
            False,
        )
    return [], scheda_create(modello=modello, comune=comune, user=user, copy_previous=False), True


def _item_values(
    item: ImportItem, scheda: Scheda, compiled: CompiledTemplate
) -> tuple[list[str], dict[CellKey, str], dict[CellKey, str]]:
    """(errors, writable values, computed values supplied); an .xlsx raises ExcelImportError for any problem."""
    if item.from_xlsx:
        return [], parse_scheda_xlsx(item.xlsx, scheda), {}
    return _split_json_values(item.values, compiled)


def _save_changes(scheda: Scheda, changes: dict[CellKey, str], user, expected_version: int) -> list[str]:
    """Write the changed values (precompiled cells included); the errors if refused."""
    if not scheda.modificabile:
        state = scheda.get_stato_display()
        return [f"la scheda è «{state}» e non è modificabile: riaprirla prima di importare modifiche."]
    try:
        scheda_save(scheda=scheda, user=user, values=changes, expected_version=expected_version, allow_precompiled=True)
    except (SchedaError, PermissionDenied) as exc:
        return str(exc).splitlines()
    except Conflict:
        return ["la scheda è stata modificata da un altro utente durante l'importazione: riprovare."]
    return []


def _split_json_values(
    values: dict[CellKey, Any], compiled: CompiledTemplate
) -> tuple[list[str], dict[CellKey, str], dict[CellKey, str]]:
    """Check the codes and types; split into writable cells (input, precompiled) and computed ones."""
    errors: list[str] = []
    writable: dict[CellKey, str] = {}
    supplied: dict[CellKey, str] = {}
    for key, raw in values.items():
        row, col = key
        cell = compiled.cells.get(key)
        text = _as_text(raw)
        if row not in compiled.rows:
            errors.append(f"riga «{row}» sconosciuta nel modello {compiled.code}.")
        elif cell is None:
            errors.append(f"cella {row}/{col}: colonna «{col}» non prevista per la riga {row}.")
        elif text is None:
            errors.append(f"cella {row}/{col}: valore di tipo non ammesso ({type(raw).__name__}).")
        elif cell.kind == "computed":
            supplied[key] = text
        else:
            writable[key] = text
    return errors, writable, supplied


def _check_values(
    scheda: Scheda, compiled: CompiledTemplate, changes: dict[CellKey, str], supplied: dict[CellKey, str]
) -> list[str]:
    """Errors on the values typed (format, sign, length); then on the computed values supplied.

    A computed value is accepted when it equals the value before the import (the exported snapshot, left
    as it was) or the recomputed one; any other value is a typed total that does not add up.
    """
    stored = scheda_raw_values(scheda)
    before = compiled.compute(stored)
    result = compiled.compute({**stored, **changes})
    errors = [m.text for m in input_errors(result, compiled) if (m.row, m.col) in changes]
    if errors:
        return errors  # computed values would only repeat the same problem
    for key, text in supplied.items():
        if text.strip() == "":
            continue
        try:
            given = round_half_up(parse_decimal(text), compiled.cells[key].decimals or 0)
        except ValueError:  # NumberParseError included
            given = None
        if given is not None and given in (result.values.get(key), before.values.get(key)):
            continue
        shown = compiled.format_value(key, result.values.get(key), grouping=False) or "vuoto"
        errors.append(
            f"cella {key[0]}/{key[1]}: è una cella calcolata, il valore «{text}» non corrisponde al calcolo «{shown}» "
            "(ometterla o lasciarla come esportata)."
        )
    return errors
