"""Data entry of one quadro (values, comments, conflicts with a colleague's save) and the live computation."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views import View

from accounts.scoping import EDIT, can
from core.merge import MINE, THEIRS, FieldConflict
from core.navigation import scheda_trail

from ..layout import quadro_views
from ..services import (
    Conflict,
    SchedaError,
    scheda_compute,
    scheda_save,
)
from ..values import display_value
from .access import scoped_scheda


def _cell_key(name: str) -> tuple[str, str] | None:
    parts = name.split("-")
    return (parts[1], parts[2]) if len(parts) == 3 else None


def posted_values(post, compiled) -> tuple[dict, dict]:
    """Values (v-ROW-COL) and comments (c-ROW-COL) posted for the input cells of the template."""
    values, comments = {}, {}
    for name, value in post.items():
        key = _cell_key(name)
        if key is None or key not in compiled.cells:
            continue
        if name.startswith("v-") and compiled.cells[key].kind == "input":
            # Browsers send textarea line ends as CRLF: count a line break as one character, as typed.
            values[key] = value.strip() if compiled.cells[key].unit != "testo" else value.replace("\r\n", "\n")
        elif name.startswith("c-"):
            comments[key] = value.strip()
    return values, comments


def posted_base(post) -> tuple[dict | None, dict | None]:
    """The quadro's values and comments as they were when the page was loaded (hidden field `base`, JSON).

    (None, None) when the form did not send it: the save then falls back to the strict version check.
    """
    try:
        data = json.loads(post["base"])
    except (KeyError, ValueError):
        return None, None
    if not isinstance(data, dict):
        return None, None

    def keyed(items) -> dict:
        if not isinstance(items, dict):
            return {}
        return {tuple(k.split(".", 1)): str(v) for k, v in items.items() if isinstance(k, str) and "." in k}

    return keyed(data.get("valori")), keyed(data.get("commenti"))


def posted_choices(post) -> tuple[list, dict]:
    """After a conflict: the cells in dispute (`conflitti`) and the user's choice for each (`scelta-…`)."""
    keys = [tuple(k.split(".")) for k in post.getlist("conflitti") if k.count(".") == 2]
    return keys, {key: post.get("scelta-" + ".".join(key), "") for key in keys}


class QuadroEntryView(View):
    """Data entry for one quadro, laid out like the scheda; computed cells update while typing."""

    template_name = "monitoring/quadro_entry.html"

    def render_page(self, request, scheda, number, *, overrides=None, comments=None, conflict=None, status=200):
        compiled = scheda.modello.compiled()
        stored = list(scheda.valori.all())
        stored_values = {(v.riga, v.colonna): v.valore for v in stored}
        stored_comments = {(v.riga, v.colonna): v.commento for v in stored if v.commento}
        prefilled = {(v.riga, v.colonna) for v in stored if v.precompilato}
        result = scheda_compute(scheda=scheda, overrides=overrides)
        raw = dict(stored_values)
        raw.update(overrides or {})
        shown_comments = {**stored_comments, **(comments or {})}
        views = quadro_views(compiled, result, raw=raw, comments=shown_comments, prefilled=prefilled, only=number)
        if not views:
            raise Http404
        cells = [c for b in views[0].blocks for r in b.rows for c in r.cells]
        # What the page shows as "loaded": the stored state now. After a conflict the user's own edits stay in
        # the fields and count as changes against it; everything else is the other user's current value.
        base = {
            "valori": {c.key: stored_values.get((c.row, c.col), "") for c in cells if c.kind == "input"},
            "commenti": {c.key: stored_comments.get((c.row, c.col), "") for c in cells if c.kind != "na"},
        }
        numbers = [q.number for q in compiled.definition.quadri]
        previous = numbers[numbers.index(number) - 1] if numbers.index(number) > 0 else None
        not_applicable_sentences = []
        if not views[0].applies and previous is not None:
            prev_rows = [r.code for r in compiled.definition.quadri[numbers.index(previous)].rows()]
            not_applicable_sentences = [s.text for s in result.sentences if s.after_row in prev_rows[-1:]]
        quadro_messages = [
            m for m in result.errors + result.warnings if m.row in {r.code for b in views[0].blocks for r in b.rows}
        ]
        return render(
            request,
            self.template_name,
            {
                "scheda": scheda,
                "quadro": views[0],
                "active_label": _("Quadro %(n)s") % {"n": number},
                "quadri": compiled.definition.quadri,
                "result": result,
                "quadro_messages": quadro_messages,
                "other_messages": len(result.errors) + len(result.warnings) - len(quadro_messages),
                "editable": scheda.modificabile and can(request.user, EDIT, scheda),
                "conflict": conflict,
                "conflict_cells": conflict_cells(compiled, conflict),
                "base_json": json.dumps(base, ensure_ascii=False),
                "not_applicable_sentences": not_applicable_sentences,
                "loaded_at": scheda.modificata_il.isoformat(),
                "version": scheda.versione,
                "breadcrumbs": scheda_trail(request.user, scheda).then(_("Quadro %(n)s") % {"n": number}),
            },
            status=status,
        )

    def get(self, request, pk, number):
        return self.render_page(request, scoped_scheda(request, pk), number)

    def post(self, request, pk, number):
        scheda = scoped_scheda(request, pk)
        if not can(request.user, EDIT, scheda):
            raise PermissionDenied(_("Non può modificare questa scheda."))
        compiled = scheda.modello.compiled()
        values, comments = posted_values(request.POST, compiled)
        base_values, base_comments = posted_base(request.POST)
        disputed, choices = posted_choices(request.POST)
        undecided = [key for key in disputed if choices[key] not in (MINE, THEIRS)]
        if undecided:
            messages.error(request, _("Per ogni cella in conflitto scegliere quale valore tenere, poi salvare."))
            pending = Conflict(scheda.versione, [], [])
            for kind, row, col in undecided:
                mine, theirs = (values, base_values or {}) if kind == "v" else (comments, base_comments or {})
                pending.cells.append(
                    FieldConflict((kind, row, col), None, mine.get((row, col)), theirs.get((row, col)))
                )
            return self.render_page(
                request, scheda, number, overrides=values, comments=comments, conflict=pending, status=400
            )
        for (kind, row, col), choice in choices.items():
            if choice == THEIRS:  # keep the value the other user saved: it is the page's base after the conflict
                target, source = (values, base_values) if kind == "v" else (comments, base_comments)
                if source and (row, col) in source:
                    target[(row, col)] = source[(row, col)]
        loaded_at = parse_datetime(request.POST.get("loaded_at", "")) or timezone.now()
        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            expected = -1
        try:
            scheda_save(
                scheda=scheda,
                user=request.user,
                values=values,
                comments=comments,
                base_values=base_values,
                base_comments=base_comments,
                expected_version=expected,
                loaded_at=loaded_at,
            )
        except Conflict as conflict:
            messages.error(
                request,
                _(
                    "Un altro utente ha modificato le stesse celle mentre lei lavorava: nulla è stato salvato. "
                    "Per ogni cella in conflitto scelga quale valore tenere e salvi di nuovo; le altre sue "
                    "modifiche sono ancora nella pagina."
                ),
            )
            scheda.refresh_from_db()
            mine = dict(values)
            mine_comments = dict(comments)
            return self.render_page(
                request,
                scheda,
                number,
                overrides=own_changes(mine, base_values),
                comments=own_changes(mine_comments, base_comments),
                conflict=conflict,
                status=409,
            )
        except SchedaError as exc:
            messages.error(request, _("Scheda non salvata: %(e)s") % {"e": exc})
            return self.render_page(request, scheda, number, overrides=values, comments=comments, status=400)
        messages.success(request, _("Quadro %(n)s salvato.") % {"n": number})
        if "avanti" in request.POST:
            numbers = [q.number for q in compiled.definition.quadri]
            if numbers.index(number) + 1 < len(numbers):
                return redirect("monitoring:quadro", pk=scheda.pk, number=numbers[numbers.index(number) + 1])
        return redirect("monitoring:quadro", pk=scheda.pk, number=number)


def own_changes(posted: dict, base: dict | None) -> dict:
    """The posted values that differ from the page's base (all of them when there was no base)."""
    if base is None:
        return dict(posted)
    return {k: v for k, v in posted.items() if k not in base or v != base[k]}


def conflict_cells(compiled, conflict) -> list[dict]:
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


class ComputeView(View):
    """Live computation while typing: the unsaved values in, computed cells and messages out (nothing saved)."""

    def post(self, request, pk):
        scheda = scoped_scheda(request, pk)
        compiled = scheda.modello.compiled()
        values, _comments = posted_values(request.POST, compiled)
        result = scheda_compute(scheda=scheda, overrides=values)
        cell_messages: dict[str, list[dict]] = {}
        for m in result.errors + result.warnings:
            if m.row:
                cell_messages.setdefault(f"{m.row}.{m.col}" if m.col else m.row, []).append(
                    {"severity": m.severity, "text": m.text}
                )
        return JsonResponse(
            {
                "computed": {f"{r}.{c}": compiled.format_value((r, c), v) for (r, c), v in result.computed.items()},
                "messages": cell_messages,
                "errors": len(result.errors),
                "warnings": len(result.warnings),
                "quadri": {str(k): v for k, v in result.quadri.items()},
            }
        )

    def get(self, request, pk):
        return HttpResponseNotAllowed(["POST"])
