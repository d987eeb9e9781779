"""Scheda services: load templates, create (copying last year), save values with locking, workflow, recompute.

Each service is a keyword-only function wrapped in a transaction; permission checks use accounts.scoping.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import EDIT, MANAGE, can
from core.merge import FieldConflict, three_way
from monitoring.engine import CompiledTemplate, Message, Result, compile_template

from .indicators import indicator_facts
from .models import ModelloScheda, Scheda, Stato, ValoreCella
from .values import display_value, same_value

SCHEDE_DIR = Path(settings.BASE_DIR) / "fixtures" / "schede"
CellKey = tuple[str, str]


class SchedaError(Exception):
    """A refused operation, with an Italian message for the user."""


@dataclass
class Conflict(Exception):
    """The scheda changed since the user loaded it and the save cannot be merged (optimistic lock).

    `changes` lists what others saved meanwhile; `cells` the cells (and comments) that both this user and
    somebody else changed to different values: the user must choose, nothing was saved.
    """

    current_version: int
    changes: list[dict] = field(default_factory=list)  # {"cella", "prima", "dopo", "utente", "quando"}
    cells: list[FieldConflict] = field(default_factory=list)  # keys: ("v"|"c", row, col)


# --- Templates --------------------------------------------------------------------------------------


@transaction.atomic
def modello_load(*, definition: dict) -> tuple[ModelloScheda, bool]:
    """Create or update a template from its JSON definition (checked by the engine first)."""
    compiled = compile_template(definition)  # raises TemplateError / FormulaError naming the cell
    d = compiled.definition
    fields = {
        "titolo": d.title,
        "servizio": d.service,
        "anno_riferimento": d.reference_year,
        "scadenza": d.due_date,
        "definizione": definition,
    }
    modello = ModelloScheda.objects.filter(codice=d.code).first()
    if modello is None:
        return ModelloScheda.objects.create(codice=d.code, versione=d.version, **fields), True
    if modello.definizione != definition:
        for name, value in fields.items():
            setattr(modello, name, value)
        modello.versione = max(modello.versione + 1, d.version)
        modello.save()
    return modello, False


def template_files() -> list[Path]:
    return sorted(p for p in SCHEDE_DIR.glob("*.json") if "quadri" in json.loads(p.read_text(encoding="utf-8")))


# --- Values -------------------------------------------------------------------------------------------


def normalise(value) -> str:
    """Canonical stored text: numbers with a decimal comma and no grouping (never ambiguous), SI/NO, text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return str(value)


def scheda_raw_values(scheda: Scheda) -> dict[CellKey, str]:
    return {(v.riga, v.colonna): v.valore for v in scheda.valori.all()}


def input_errors(result: Result, compiled: CompiledTemplate) -> list:
    """Errors about what was typed in a cell (format, sign, length): these block saving."""
    return [
        m
        for m in result.errors
        if m.rule is None
        and m.row
        and (m.row, m.col) in compiled.cells
        and compiled.cells[(m.row, m.col)].kind != "computed"
    ]


def completeness(compiled: CompiledTemplate, result: Result) -> Decimal:
    """Share of input cells filled, in the quadri that apply."""
    keys = [k for k, c in compiled.cells.items() if c.kind == "input" and result.quadri.get(c.quadro, True)]
    if not keys:
        return Decimal(100)
    filled = sum(1 for k in keys if result.values.get(k) is not None)
    return (Decimal(filled) * 100 / Decimal(len(keys))).quantize(Decimal("0.1"))


def apply_result(scheda: Scheda, compiled: CompiledTemplate, result: Result) -> None:
    scheda.risultati = {f"{r}.{c}": normalise(v) for (r, c), v in result.values.items() if v is not None}
    scheda.indicatori = indicator_facts(scheda.modello.definizione, scheda.risultati)
    scheda.n_errori = len(result.errors)
    scheda.n_avvisi = len(result.warnings)
    scheda.completezza = completeness(compiled, result)


def scheda_compute(*, scheda: Scheda, overrides: dict[CellKey, str] | None = None) -> Result:
    """The engine's result for the stored values, optionally with unsaved values on top (live preview)."""
    values = scheda_raw_values(scheda)
    if overrides:
        values.update(overrides)
    return scheda.modello.compiled().compute(values)


@transaction.atomic
def scheda_recompute(*, scheda: Scheda) -> Result:
    """Recompute and store the cached results of one scheda (after a template change, or in bulk)."""
    compiled = scheda.modello.compiled()
    result = compiled.compute(scheda_raw_values(scheda))
    apply_result(scheda, compiled, result)
    Scheda.objects.filter(pk=scheda.pk).update(
        risultati=scheda.risultati,
        indicatori=scheda.indicatori,
        n_errori=scheda.n_errori,
        n_avvisi=scheda.n_avvisi,
        completezza=scheda.completezza,
    )
    return result


def changes_since(scheda: Scheda, since) -> list[dict]:
    """Cell changes made after `since` (for the conflict message)."""
    out = []
    compiled = scheda.modello.compiled()
    history = ValoreCella.history.filter(scheda_id=scheda.pk, history_date__gt=since).select_related("history_user")
    for record in history.order_by("history_date"):
        prev = record.prev_record
        key = (record.riga, record.colonna)
        out.append(
            {  # shown to the user: values formatted as on the quadro page
                "cella": f"{record.riga}/{record.colonna}",
                "prima": display_value(compiled, key, prev.valore if prev else ""),
                "dopo": display_value(compiled, key, record.valore if record.history_type != "-" else ""),
                "utente": str(record.history_user or "—"),
                "quando": record.history_date,
            }
        )
    return out


@transaction.atomic
def scheda_save(
    *,
    scheda: Scheda,
    user,
    values: dict[CellKey, str],
    comments: dict[CellKey, str] | None = None,
    expected_version: int | None = None,
    loaded_at=None,
    allow_precompiled: bool = False,
    base_values: dict[CellKey, str] | None = None,
    base_comments: dict[CellKey, str] | None = None,
) -> Result:
    """Save typed values (all-or-nothing). Refused when the scheda is locked, changed meanwhile, or a cell is invalid.

    Only input cells are written (precompiled cells too when `allow_precompiled`, for imports by the Ufficio
    di Piano); values are stored normalised. Raises Conflict, SchedaError or PermissionDenied.

    Two ways to guard against a colleague's concurrent save:
    - `base_values` / `base_comments` (the page's values as loaded): only what this user changed is written,
      merged with what others saved meanwhile (core.merge); a cell both changed differently is a Conflict;
    - otherwise `expected_version` (previews of uploads and imports): any change since then is a Conflict.
    """
    locked = Scheda.objects.select_for_update().select_related("modello", "comune").get(pk=scheda.pk)
    if not can(user, EDIT, locked):
        raise PermissionDenied(_("Non può modificare questa scheda."))
    if not locked.modificabile:
        raise SchedaError(_("La scheda è «%(stato)s»: non è modificabile.") % {"stato": locked.get_stato_display()})
    comments = comments or {}
    if base_values is not None:
        compiled_for_merge = locked.modello.compiled()
        stored_rows = list(locked.valori.all())
        merge_values = three_way(
            base_values,
            values,
            {(v.riga, v.colonna): v.valore for v in stored_rows},
            same=lambda key, a, b: same_value(compiled_for_merge.cells.get(key), a, b),
        )
        merge_comments = three_way(
            base_comments or {},
            comments,
            {(v.riga, v.colonna): v.commento for v in stored_rows},
            same=lambda _key, a, b: (a or "").strip() == (b or "").strip(),
        )
        conflicts = [FieldConflict(("v", *c.key), c.base, c.mine, c.theirs) for c in merge_values.conflicts] + [
            FieldConflict(("c", *c.key), c.base, c.mine, c.theirs) for c in merge_comments.conflicts
        ]
        if conflicts:
            raise Conflict(locked.versione, changes_since(locked, loaded_at or locked.creata_il), conflicts)
        values, comments = merge_values.changes, merge_comments.changes
    elif locked.versione != expected_version:
        raise Conflict(locked.versione, changes_since(locked, loaded_at or locked.creata_il))
    compiled = locked.modello.compiled()
    writable = {"input", "precompiled"} if allow_precompiled else {"input"}
    for key in values:
        cell = compiled.cells.get(key)
        if cell is None or cell.kind not in writable:
            raise SchedaError(_("La cella %(r)s/%(c)s non è modificabile.") % {"r": key[0], "c": key[1]})
    stored = {(v.riga, v.colonna): v for v in locked.valori.all()}
    merged = {k: v.valore for k, v in stored.items()}
    merged.update(values)
    result = compiled.compute(merged)
    bad = input_errors(result, compiled)
    if bad:
        raise SchedaError("\n".join(m.text for m in bad))

    now = timezone.now()
    for key in set(values) | set(comments):
        normalised = normalise(result.values.get(key)) if key in values else None
        current = stored.get(key)
        comment = comments.get(key, current.commento if current else "")
        if current is None:
            if (normalised or "") == "" and not comment:
                continue
            obj = ValoreCella(scheda=locked, riga=key[0], colonna=key[1], valore=normalised or "", commento=comment)
            obj.modificato_il = now
            obj._history_user = user
            obj.save()
            continue
        new_value = current.valore if normalised is None else normalised
        if new_value == current.valore and comment == current.commento:
            continue
        if new_value != current.valore:
            current.precompilato = False
        current.valore, current.commento, current.modificato_il = new_value, comment, now
        current._history_user = user
        current.save()
    apply_result(locked, compiled, result)
    locked.versione += 1
    locked.modificata_il, locked.modificata_da = now, user
    locked._history_user = user
    locked.save()
    scheda.refresh_from_db()
    return result


# --- Creation and copy from the previous year ------------------------------------------------------------


def previous_scheda(*, modello: ModelloScheda, comune) -> Scheda | None:
    """The same Comune's most recent scheda of the same family (NID26 for NID27) and an earlier year."""
    return (
        Scheda.objects.filter(
            comune=comune,
            modello__codice__startswith=modello.famiglia,
            modello__anno_riferimento__lt=modello.anno_riferimento,
        )
        .select_related("modello")
        .order_by("-modello__anno_riferimento")
        .first()
    )


@transaction.atomic
def scheda_create(*, modello: ModelloScheda, comune, user, copy_previous: bool = True) -> Scheda:
    """Create a Comune's scheda; with `copy_previous`, prefill inputs whose row and column codes match."""
    if Scheda.objects.filter(modello=modello, comune=comune).exists():
        raise SchedaError(_("La scheda %(m)s di %(c)s esiste già.") % {"m": modello.codice, "c": comune.nome})
    scheda = Scheda(modello=modello, comune=comune, modificata_da=user)
    scheda._history_user = user
    source = previous_scheda(modello=modello, comune=comune) if copy_previous else None
    scheda.copiata_da = source
    scheda.save()
    if source is not None:
        compiled = modello.compiled()
        copies = [
            ValoreCella(scheda=scheda, riga=v.riga, colonna=v.colonna, valore=v.valore, precompilato=True)
            for v in source.valori.all()
            if v.valore and (cell := compiled.cells.get((v.riga, v.colonna))) and cell.kind == "input"
        ]
        for obj in copies:
            obj._history_user = user
            obj.save()
    scheda_recompute(scheda=scheda)
    scheda.refresh_from_db()
    return scheda


# --- Workflow -----------------------------------------------------------------------------------------------

TRANSITIONS = {
    "invia": ({Stato.BOZZA, Stato.RIMANDATA, Stato.RIAPERTA}, Stato.INVIATA, EDIT),
    "valida": ({Stato.INVIATA}, Stato.VALIDATA, MANAGE),
    "rimanda": ({Stato.INVIATA}, Stato.RIMANDATA, MANAGE),
    "riapri": ({Stato.VALIDATA, Stato.INVIATA}, Stato.RIAPERTA, MANAGE),
}
LABELS = {"invia": _("Invia"), "valida": _("Valida"), "rimanda": _("Rimanda"), "riapri": _("Riapri")}


def allowed_transitions(scheda: Scheda, user) -> list[str]:
    return [
        name
        for name, (sources, _target, action) in TRANSITIONS.items()
        if scheda.stato in sources and can(user, action, scheda)
    ]


# --- Sending: required cells and justified warnings -------------------------------------------------------
#
# A warning is justified by a comment where it is attached (fixtures/schede/README.md, "Sending"):
# - on a cell of the template (any kind, computed included): that cell's comment, c-ROW-COL on the quadro page;
# - on a row but on no cell of it: the row's note, stored as the comment of (ROW, "*");
# - on no row (scheda-level notices): the scheda's note, stored as the comment of ("*", "*").
# Notes have no value, so the engine ignores them; they are written by scheda_justify.

WHOLE = "*"
SCHEDA_NOTE: CellKey = (WHOLE, WHOLE)


def justification_key(compiled: CompiledTemplate, message: Message) -> CellKey:
    """Where the comment justifying `message` is stored: its cell, its row's note or the scheda's note."""
    if message.row and message.col and (message.row, message.col) in compiled.cells:
        return (message.row, message.col)
    if message.row and message.row in compiled.rows:
        return (message.row, WHOLE)
    return SCHEDA_NOTE


@dataclass(frozen=True)
class MissingCell:
    """A required cell (template «required») still empty, in a quadro that applies."""

    quadro: int
    row: str
    display_code: str
    row_label: str
    col: str
    col_label: str

    @property
    def name(self) -> str:
        """Suffix of the field on the quadro page (v-ROW-COL)."""
        return f"{self.row}-{self.col}"

    def __str__(self) -> str:
        return f"{self.display_code}/{self.col}"


@dataclass(frozen=True)
class WarningNote:
    """A warning with the comment that justifies it (see justification_key)."""

    message: Message
    key: CellKey
    quadro: int | None
    comment: str

    @property
    def justified(self) -> bool:
        return bool(self.comment.strip())

    @property
    def on_cell(self) -> bool:
        return self.key[1] != WHOLE

    @property
    def name(self) -> str:
        """Suffix of the comment field: c-ROW-COL on the quadro page, g-ROW-* / g-*-* for the notes."""
        return f"{self.key[0]}-{self.key[1]}"

    @property
    def where(self) -> str:
        if self.on_cell:
            return _("cella %(c)s (Quadro %(q)s)") % {"c": f"{self.key[0]}/{self.key[1]}", "q": self.quadro}
        if self.key != SCHEDA_NOTE:
            return _("riga %(r)s (Quadro %(q)s)") % {"r": self.key[0], "q": self.quadro}
        return _("scheda")


@dataclass
class SubmitCheck:
    """What stands between a scheda and «Invia»: errors, empty required cells, warnings without a comment."""

    result: Result
    missing: list[MissingCell]
    warnings: list[WarningNote]

    @property
    def errors(self) -> list[Message]:
        return self.result.errors

    @property
    def unjustified(self) -> list[WarningNote]:
        return [w for w in self.warnings if not w.justified]

    @property
    def notes(self) -> list[dict]:
        """The warnings not on a cell, one entry per note (row or scheda) with its comment and messages."""
        grouped: dict[CellKey, dict] = {}
        for w in self.warnings:
            if not w.on_cell:
                entry = grouped.setdefault(
                    w.key, {"name": w.name, "where": w.where, "comment": w.comment, "messages": []}
                )
                entry["messages"].append(w.message)
        return list(grouped.values())

    @property
    def ok(self) -> bool:
        return not self.errors and not self.missing and not self.unjustified


def submit_check(*, scheda: Scheda, result: Result | None = None) -> SubmitCheck:
    """Check a scheda for sending (the stored values, or `result` if already computed from them)."""
    compiled = scheda.modello.compiled()
    stored = list(scheda.valori.all())
    if result is None:
        result = compiled.compute({(v.riga, v.colonna): v.valore for v in stored})
    comments = {(v.riga, v.colonna): v.commento for v in stored}
    labels = {c.code: c.label for c in compiled.definition.columns}
    missing = []
    for row_code, col in result.missing:
        row = compiled.rows[row_code]
        missing.append(MissingCell(row.quadro, row.code, row.display_code, row.label, col, labels.get(col) or col))
    warnings = []
    for m in result.warnings:
        key = justification_key(compiled, m)
        quadro = compiled.rows[key[0]].quadro if key != SCHEDA_NOTE else None
        warnings.append(WarningNote(m, key, quadro, comments.get(key, "")))
    return SubmitCheck(result, missing, warnings)


MAX_LISTED = 10


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        shown += " " + _("e altri %(n)s") % {"n": len(items) - MAX_LISTED}
    return shown


def refusal_text(check: SubmitCheck) -> str:
    """Why «Invia» is refused, and where to act (plain text; the pages show the same lists with links)."""
    parts = []
    if check.errors:
        parts.append(_("La scheda contiene %(n)s errori: correggerli prima dell'invio.") % {"n": len(check.errors)})
    if check.missing:
        cells = _listed([f"{m} (Quadro {m.quadro})" for m in check.missing])
        parts.append(_("Mancano %(n)s campi obbligatori: %(c)s.") % {"n": len(check.missing), "c": cells})
    on_cells = sorted({w.where for w in check.unjustified if w.on_cell})
    if on_cells:
        parts.append(
            _(
                "Per inviare con avvisi serve un commento: lo scriva nel riquadro «Commento» della cella, "
                "nella pagina del quadro: %(c)s."
            )
            % {"c": _listed(on_cells)}
        )
    notes = sorted({w.where for w in check.unjustified if not w.on_cell})
    if notes:
        parts.append(
            _("Gli avvisi della riga o della scheda si giustificano sotto l'avviso, nel riepilogo della scheda: %(c)s.")
            % {"c": _listed(notes)}
        )
    return " ".join(parts)


class SubmitRefused(SchedaError):
    """«Invia» refused: `check` lists the errors, the missing required cells and the unjustified warnings."""

    def __init__(self, check: SubmitCheck) -> None:
        self.check = check
        super().__init__(refusal_text(check))


@transaction.atomic
def scheda_justify(*, scheda: Scheda, user, notes: dict[CellKey, str]) -> int:
    """Save the notes justifying warnings not attached to a cell: (ROW, "*") for a row, ("*", "*") the scheda.

    Warnings on a cell are justified by the cell's comment (scheda_save). Returns how many notes changed.
    """
    locked = Scheda.objects.select_for_update().select_related("modello", "comune").get(pk=scheda.pk)
    if not can(user, EDIT, locked):
        raise PermissionDenied(_("Non può modificare questa scheda."))
    if not locked.modificabile:
        raise SchedaError(_("La scheda è «%(stato)s»: non è modificabile.") % {"stato": locked.get_stato_display()})
    compiled = locked.modello.compiled()
    for key in notes:
        if key[1] != WHOLE or (key[0] != WHOLE and key[0] not in compiled.rows):
            raise SchedaError(_("La giustificazione %(k)s non è di una riga del modello.") % {"k": "/".join(key)})
    stored = {(v.riga, v.colonna): v for v in locked.valori.filter(colonna=WHOLE)}
    now, changed = timezone.now(), 0
    for key, text in notes.items():
        text = text.strip()
        note = stored.get(key)
        if text == (note.commento if note else ""):
            continue
        if note is None:
            note = ValoreCella(scheda=locked, riga=key[0], colonna=key[1])
        note.commento, note.modificato_il = text, now
        note._history_user = user
        note.save()
        changed += 1
    if changed:
        locked.versione += 1
        locked.modificata_il, locked.modificata_da = now, user
        locked._history_user = user
        locked.save()
        scheda.refresh_from_db()
    return changed


@transaction.atomic
def scheda_transition(
    *, scheda: Scheda, user, action: str, reason: str = "", expected_version: int | None = None
) -> Scheda:
    """Move a scheda through Bozza → Inviata → Validata / Rimandata → Riaperta, checking role and content.

    «invia» needs no errors, every required cell filled and a comment on every warning (SubmitRefused
    otherwise); with `expected_version` (the confirmation page) it is also refused if the scheda changed.
    """
    if action not in TRANSITIONS:
        raise SchedaError(_("Operazione sconosciuta."))
    sources, target, permission = TRANSITIONS[action]
    locked = Scheda.objects.select_for_update().select_related("modello", "comune").get(pk=scheda.pk)
    if not can(user, permission, locked):
        raise PermissionDenied(_("Il suo ruolo non consente questa operazione sulla scheda."))
    if locked.stato not in sources:
        raise SchedaError(
            _("Dallo stato «%(s)s» non si può eseguire «%(a)s».") % {"s": locked.get_stato_display(), "a": action}
        )
    if action in ("rimanda", "riapri") and not reason.strip():
        raise SchedaError(_("Indicare la motivazione."))
    if action == "invia":
        if expected_version is not None and locked.versione != expected_version:
            raise SchedaError(_("La scheda è cambiata dopo il controllo: verifichi di nuovo e confermi l'invio."))
        check = submit_check(scheda=locked)
        if not check.ok:
            raise SubmitRefused(check)
    locked.stato = target
    locked.motivo = reason.strip()
    locked.versione += 1
    locked.modificata_il, locked.modificata_da = timezone.now(), user
    locked._history_user = user
    locked.save()
    return locked
