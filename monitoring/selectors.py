"""Read-side queries of the schede: the user's schede, a scheda's history, and what the data entry page of a quadro
shows (the overview of an Ambito is monitoring.overview)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.scoping import EDIT, scope
from monitoring.engine import CompiledTemplate, Message, Result
from monitoring.engine.template import QuadroDef
from territory.models import Ambito, Comune
from territory.selectors import ambito_comuni

from .layout import QuadroView, quadro_views
from .models import ModelloScheda, Scheda, ValoreCella
from .services import Conflict, scheda_compute
from .values import display_value


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
