"""Reading the movements file of planning.bilancio.movimenti_import: a CSV (``;`` or ``,``) or the first sheet
of an .xlsx, as raw rows keyed by the expected columns. The file's shape is checked here, before any value: an
unknown heading, a value beyond the headings, a formula, a second sheet with data refuse the whole file."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.errors import FileImportError

EXTENSIONS = (".csv", ".xlsx")
COLUMNS = ("fondo", "annualità", "intervento", "anno", "tipo", "natura", "data", "atto", "importo")
_ALIASES = {"annualita": "annualità", "annualita'": "annualità"}


class ImportFileError(FileImportError):
    """The file cannot be read at all (format, header): ``errors`` say why."""


@dataclass
class RawRow:
    where: str  # «riga 3» or «foglio Movimenti, riga 3»
    values: dict[str, Any]


def cell_text(value: Any) -> str:
    """A cell as text: None is empty, a whole float (an .xlsx number) has no «.0», spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(cells: list[Any]) -> tuple[dict[str, int], list[str]]:
    texts = [cell_text(c) for c in cells]
    names = [_ALIASES.get(t.lower(), t.lower()) for t in texts]
    positions: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in COLUMNS and name not in positions:
            positions[name] = i
    missing = [c for c in COLUMNS if c not in positions]
    errors = []
    if missing:
        errors.append(
            "Intestazione: mancano le colonne "
            + ", ".join(f"«{m}»" for m in missing)
            + " (attese: "
            + ", ".join(COLUMNS)
            + ")."
        )
    duplicated = sorted({n for n in names if n in COLUMNS and names.count(n) > 1})
    if duplicated:
        errors.append("Intestazione: colonne ripetute " + ", ".join(f"«{d}»" for d in duplicated) + ".")
    unknown = [t for t, n in zip(texts, names, strict=True) if n and n not in COLUMNS]
    if unknown:
        errors.append(
            (
                "Intestazione: colonna non riconosciuta "
                if len(unknown) == 1
                else "Intestazione: colonne non riconosciute "
            )
            + ", ".join(f"«{u}»" for u in unknown)
            + " (ammesse solo: "
            + ", ".join(COLUMNS)
            + "): togliere dal file le colonne in più o correggerne il nome."
        )
    return positions, errors


def _blank(cells: list[Any]) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


def _width(cells: list[Any]) -> int:
    """The number of cells up to the last non-blank one (trailing empty cells do not count)."""
    n = len(cells)
    while n and _blank([cells[n - 1]]):
        n -= 1
    return n


_COMMA_HINT = (
    "Il file è separato da virgole: un valore che contiene una virgola va racchiuso tra virgolette, "
    "oppure salvare il file con «;» come separatore."
)
_DECIMAL_COMMA_HINT = (
    "Il file è separato da virgole: un importo con la virgola decimale (es. 1.234,56) va racchiuso tra "
    'virgolette ("1.234,56"), oppure salvare il file con «;» come separatore.'
)


def _split_decimal(cells: list[Any]) -> bool:
    """Whether two adjacent cells look like an Italian amount split at its decimal comma («1.234» and «56»)."""
    texts = [cell_text(c) for c in cells]
    return any(re.fullmatch(r"[-+]?\d[\d.]*", a) and re.fullmatch(r"\d+", b) for a, b in itertools.pairwise(texts))


def _stray(
    where: str, number: int, cells: list[Any], named: set[int], width: int, cell: Callable[[int, int], str] | None
) -> str | None:
    """The error of row `number` if it has a value in a column without heading, or None."""
    stray = next((i for i, c in enumerate(cells) if i not in named and not _blank([c])), None)
    if stray is None:
        return None
    value = cell_text(cells[stray])
    if cell is not None:  # .xlsx: name the cell
        return f"{where}, cella {cell(number, stray)}: valore «{value}» in una colonna senza intestazione."
    if _width(cells) > width:
        return f"{where}: {_width(cells)} valori invece dei {width} delle intestazioni."
    return f"{where}: valore «{value}» nella colonna {stray + 1}, che non ha intestazione."


def _rows(
    table: list[list[Any]], place: str, *, comma: bool = False, cell: Callable[[int, int], str] | None = None
) -> list[RawRow]:
    """The data rows of a table whose first non-empty row is the header; `place` prefixes the row number.

    A row with a value under no heading refuses the file (`comma`: the CSV is comma-separated, the errors end
    with a hint on quoting; `cell(row, index)` names an .xlsx cell)."""
    start = next((i for i, cells in enumerate(table) if not _blank(cells)), None)
    if start is None:
        raise ImportFileError([f"{place}il file non contiene righe.".capitalize()])
    positions, errors = _header(table[start])
    if errors:
        raise ImportFileError([f"{place}{e}" if place else e for e in errors])
    named, width = set(positions.values()), _width(table[start])
    rows, shape_errors, split_decimal = [], [], False
    for number, cells in enumerate(table[start + 1 :], start=start + 2):
        if _blank(cells):
            continue
        where = f"{place}riga {number}"
        error = _stray(where, number, cells, named, width, cell)
        if error:
            shape_errors.append(error)
            split_decimal = split_decimal or _split_decimal(cells)
            continue
        values = {name: (cells[i] if i < len(cells) else None) for name, i in positions.items()}
        rows.append(RawRow(where, values))
    if shape_errors:
        if comma:
            shape_errors.append(_DECIMAL_COMMA_HINT if split_decimal else _COMMA_HINT)
        raise ImportFileError(shape_errors)
    if not rows:
        raise ImportFileError([f"{place}nessuna riga di dati dopo l'intestazione.".capitalize()])
    return rows


def read_csv(data: bytes) -> list[RawRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError([f"Il file CSV non è in UTF-8 (byte {exc.start}): salvarlo come «CSV UTF-8»."]) from exc
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    table = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return _rows(table, "", comma=delimiter == ",")


def _other_sheets(workbook: Any) -> list[str]:
    """An error naming the sheets after the first that hold anything (they would be ignored), or none."""
    first, *others = workbook.worksheets
    full = [
        f"«{ws.title}»" + (" (nascosto)" if ws.sheet_state != "visible" else "")
        for ws in others
        if any(not _blank(list(line)) for line in ws.iter_rows(values_only=True))
    ]
    if not full:
        return []
    return [
        f"Il file contiene altri fogli con dati oltre al primo («{first.title}»): {', '.join(full)}. "
        "Si importa un solo foglio: spostare le righe nel primo foglio o eliminare gli altri fogli."
    ]


def _sheet_table(sheet: Any) -> tuple[list[list[Any]], list[str]]:
    """The sheet's values row by row, and an error for every formula (never evaluated, cached result ignored)."""
    table, errors = [], []
    for line in sheet.iter_rows():
        for ref in line:
            if ref.data_type == "f":
                errors.append(
                    f"foglio «{sheet.title}», cella {ref.coordinate}: contiene una formula; inserire il valore."
                )
        table.append([ref.value for ref in line])
    return table, errors


def read_xlsx(data: bytes) -> list[RawRow]:
    try:
        # formulas as typed (data_only=False): a formula is refused, its cached result never read
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of errors on a broken file
        raise ImportFileError(["Il file .xlsx non si può leggere: è un file Excel valido?"]) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(["Il file .xlsx non contiene fogli di lavoro."])
        sheet = workbook.worksheets[0]
        table, errors = _sheet_table(sheet)
        errors = _other_sheets(workbook) + errors
        if errors:
            raise ImportFileError(errors)
        return _rows(table, f"foglio «{sheet.title}», ", cell=lambda row, i: f"{get_column_letter(i + 1)}{row}")
    finally:
        workbook.close()


def read_file(name: str, data: bytes) -> list[RawRow]:
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        return read_xlsx(data)
    return read_csv(data)
