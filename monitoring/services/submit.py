"""What «Invia» needs: no errors, every required cell filled, a comment on every warning.

A warning is justified by a comment where it is attached (fixtures/schede/README.md, "Sending"):

- on a cell of the template (any kind, computed included): that cell's comment, c-ROW-COL on the quadro page;
- on a row but on no cell of it: the row's note, stored as the comment of (ROW, "*");
- on no row (scheda-level notices): the scheda's note, stored as the comment of ("*", "*").

The warnings include the values outside the Comune's history (monitoring.outliers): they are on their cell, so
the cell's comment justifies them.

Notes have no value, so the engine ignores them; they are written by ``scheda_justify``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from monitoring.engine import CompiledTemplate, Message, Result

from ..models import Scheda
from ..outlier_checks import add_outlier_warnings
from ..outliers import CellPlace, Justifiable
from .compute import CellKey
from .errors import SchedaError

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
class MissingCell(CellPlace):
    """A required cell (template «required») still empty, in a quadro that applies."""

    def __str__(self) -> str:
        return self.cell


@dataclass(frozen=True)
class WarningNote(Justifiable):
    """A warning with the comment that justifies it (see justification_key)."""

    message: Message
    key: CellKey
    quadro: int | None
    comment: str

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
    """Check a scheda for sending (the stored values, or `result` if already computed from them), the values
    outside the Comune's history included."""
    compiled = scheda.modello.compiled()
    stored = list(scheda.valori.all())
    if result is None:
        result = compiled.compute({(v.riga, v.colonna): v.valore for v in stored})
    add_outlier_warnings(scheda, result)
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
