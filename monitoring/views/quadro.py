"""Data entry of one quadro (values, comments, conflicts with a colleague's save) and the live computation."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from accounts.scoping import EDIT, VIEW, can, can_loaded, sees_ids
from accounts.user_cache import reader_key
from core.fragments import cached_data
from core.page_cache import KeyRows, cached_page
from core.page_cache import enabled as page_cache_enabled
from monitoring.navigation import scheda_trail
from territory.versions import ambito_versions

from ..models import EDITABLE_STATES, Scheda
from ..selectors import conflict_cells, live_computation, next_quadro, quadro_page
from ..services import CellEdit, Conflict, SchedaError, scheda_save
from .common import SchedaObjectMixin, posted_version


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


def posted_edit(post, compiled) -> CellEdit:
    """The values and comments posted for the input cells, and the same as the page loaded them."""
    values, comments = posted_values(post, compiled)
    base_values, base_comments = posted_base(post)
    return CellEdit(values, comments, base_values, base_comments)


def quadro_grid(scheda: Scheda, number: int, *, editable: bool, overrides=None, comments=None) -> dict:
    """The data-only part of a quadro page: the quadro's title and whether it applies, the grid with its summary
    (HTML), the loaded state (JSON) and the sentences of a quadro that does not apply. Made of the scheda's data
    (its values, template, history and campaign: all in its Ambito's data version) and of `editable` alone."""
    page = quadro_page(scheda, number, overrides=overrides, comments=comments)
    if page is None:
        raise Http404
    quadro = page.quadro
    context = {
        "scheda": scheda,
        "quadro": quadro,
        "editable": editable,
        "result": page.result,
        "quadro_messages": page.messages,
        "other_messages": page.other_messages,
    }
    # the template's file ends with a line break; the page's own line break follows {{ griglia }}
    grid = render_to_string("monitoring/_quadro_griglia.html", context).rstrip("\n") if quadro.applies else ""
    return {
        "quadro": {"number": quadro.number, "title": quadro.title, "help": quadro.help, "applies": quadro.applies},
        "griglia": grid,
        "base_json": json.dumps(page.base, ensure_ascii=False),
        "not_applicable_sentences": page.not_applicable_sentences,
    }


# What the key of the stored page is read from: one row of small columns (no JSON results, no template), so a page
# served again costs one light query, compiled once (core.page_cache.KeyRows); the page itself is built from the
# whole scheda (SchedaObjectMixin).
QUADRO_KEY_FIELDS = (
    "versione",
    "stato",
    "motivo",
    "modificata_il",
    "modificata_da_id",
    "modello_id",
    "comune_id",
    "comune__ambito_id",
    "comune__ambito__versione_dati",
    "comune__ambito__parent__versione_dati",
)
QUADRO_KEY_ROWS = KeyRows(Scheda, "pk", QUADRO_KEY_FIELDS, marker=-1)
KEY_COMUNE, KEY_AMBITO = QUADRO_KEY_FIELDS.index("comune_id"), QUADRO_KEY_FIELDS.index("comune__ambito_id")


class QuadroEntryView(SchedaObjectMixin, View):
    """Data entry for one quadro, laid out like the scheda; computed cells update while typing.

    The quadro as stored (a GET, or a POST answered with a redirect) is cached by its scheda's version, its Ambito's
    data versions (values, template, the Comune's past schede, campaign), the user's right to change it and the
    language; a page with the user's unsaved values (an error, a conflict) is built afresh."""

    template_name = "monitoring/quadro_entry.html"

    def render_page(self, request, scheda, number, *, overrides=None, comments=None, conflict=None, status=200):
        editable = scheda.modificabile and can_loaded(request.user, EDIT, scheda)
        if overrides is None and comments is None and conflict is None:
            parts = [scheda.pk, scheda.versione, ambito_versions(scheda.comune.ambito), number, editable]
            parts.append(get_language())
            grid = cached_data("quadro", parts, lambda: quadro_grid(scheda, number, editable=editable))
        else:
            grid = quadro_grid(scheda, number, editable=editable, overrides=overrides, comments=comments)
        return render(
            request,
            self.template_name,
            {
                "scheda": scheda,
                "quadro": grid["quadro"],
                "griglia": mark_safe(grid["griglia"]),  # rendered by our own template, autoescaped
                "active_label": _("Quadro %(n)s") % {"n": number},
                "editable": editable,
                "conflict": conflict,
                "conflict_cells": conflict_cells(scheda.modello.compiled(), conflict),
                "base_json": grid["base_json"],
                "not_applicable_sentences": grid["not_applicable_sentences"],
                "loaded_at": scheda.modificata_il.isoformat(),
                "version": scheda.versione,
                "breadcrumbs": scheda_trail(request.user, scheda).then(_("Quadro %(n)s") % {"n": number}),
            },
            status=status,
        )

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not page_cache_enabled():
            return super().dispatch(request, *args, **kwargs)
        rows = QUADRO_KEY_ROWS(kwargs["pk"])
        # scope(Scheda): its Comune's Ambito or its Comune among the reader's grants
        if not rows or not sees_ids(request.user, rows[0][KEY_AMBITO], rows[0][KEY_COMUNE]):
            return super().dispatch(request, *args, **kwargs)  # 404, as without the cache
        row = rows[0]
        return cached_page(
            request,
            self.page_parts(request, kwargs["pk"], kwargs["number"], row),
            lambda: super(QuadroEntryView, self).dispatch(request, *args, **kwargs),
        )

    def page_parts(self, request, pk: int, number: int, row: tuple) -> list:
        """The page's key parts: the scheda's version, state and last change, its Ambito's data versions (as
        `ambito_versions`), the quadro, the user's right to change it, the day; the reader, with or without the Ambito
        in the header."""
        versione, stato, motivo, modificata_il, modificata_da, modello, comune, ambito, ambito_v, parent_v = row
        # Scheda.modificabile and can_loaded(EDIT) on the scheda; can_on_ambito (SchedaObjectMixin.scoped_ambito)
        editable = stato in EDITABLE_STATES and sees_ids(request.user, ambito, comune, EDIT)
        in_ambito = sees_ids(request.user, ambito, None, VIEW)
        versions = [pk, versione, stato, motivo, modificata_il, modificata_da, modello, [ambito, ambito_v, parent_v]]
        today = timezone.localdate().isoformat()  # the campaign's milestones in the header count the days left
        return [reader_key(request, in_ambito=in_ambito), versions, number, editable, today]

    def get(self, request, pk, number):
        return self.render_page(request, self.scheda, number)

    def post(self, request, pk, number):
        scheda = self.scheda
        if not can(request.user, EDIT, scheda):
            raise PermissionDenied(_("Non può modificare questa scheda."))
        compiled = scheda.modello.compiled()
        edit = posted_edit(request.POST, compiled)
        disputed, choices = posted_choices(request.POST)
        pending = edit.undecided(scheda.versione, disputed, choices)
        if pending is not None:
            messages.error(request, _("Per ogni cella in conflitto scegliere quale valore tenere, poi salvare."))
            return self.render_page(
                request, scheda, number, overrides=edit.values, comments=edit.comments, conflict=pending, status=400
            )
        edit.keep_theirs(choices)
        try:
            scheda_save(
                scheda=scheda,
                user=request.user,
                values=edit.values,
                comments=edit.comments,
                base_values=edit.base_values,
                base_comments=edit.base_comments,
                expected_version=posted_version(request.POST),
                loaded_at=parse_datetime(request.POST.get("loaded_at", "")) or timezone.now(),
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
            own_values, own_comments = edit.own_changes()
            return self.render_page(
                request, scheda, number, overrides=own_values, comments=own_comments, conflict=conflict, status=409
            )
        except SchedaError as exc:
            messages.error(request, _("Scheda non salvata: %(e)s") % {"e": exc})
            return self.render_page(request, scheda, number, overrides=edit.values, comments=edit.comments, status=400)
        messages.success(request, _("Quadro %(n)s salvato.") % {"n": number})
        following = next_quadro(compiled, number) if "avanti" in request.POST else None
        return redirect("monitoring:quadro", pk=scheda.pk, number=number if following is None else following)


class ComputeView(SchedaObjectMixin, View):
    """Live computation while typing: the unsaved values in, computed cells and messages out (nothing saved)."""

    def post(self, request, pk):
        scheda = self.scheda
        values, _comments = posted_values(request.POST, scheda.modello.compiled())
        return JsonResponse(live_computation(scheda, values))

    def get(self, request, pk):
        return HttpResponseNotAllowed(["POST"])
