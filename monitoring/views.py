"""Schede pages: index, Ambito overview, scheda summary, quadro data entry, live computation, workflow, history."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from accounts.scoping import EDIT, MANAGE, VIEW, can, can_on_ambito, scope
from accounts.sections import MONITORAGGIO, section_page_trail
from core.exports import EXPORT_FORMATS, XLSX_CONTENT_TYPE, table_export_response
from core.merge import MINE, THEIRS, FieldConflict
from monitoring.navigation import scheda_trail, schede_ambito_trail
from territory.models import Ambito, Comune
from territory.selectors import ambito_comuni

from .bulk_export import schede_to_xlsx
from .forms import OverviewFilterForm, SchedaCreateForm, TransitionForm
from .layout import quadro_views
from .models import ModelloScheda, Scheda, ValoreCella
from .selectors import indicator_tables, overview_rows
from .services import (
    LABELS,
    MAX_LISTED,
    Conflict,
    SchedaError,
    SubmitRefused,
    allowed_transitions,
    scheda_compute,
    scheda_create,
    scheda_justify,
    scheda_save,
    scheda_transition,
    submit_check,
)
from .tables import OverviewTable
from .values import display_value


def scoped_scheda(request, pk: int, action: str = VIEW) -> Scheda:
    qs = scope(
        Scheda.objects.select_related("modello", "comune", "comune__ambito", "modificata_da"), request.user, action
    )
    return get_object_or_404(qs, pk=pk)


class IndexView(TemplateView):
    """The user's schede and Ambiti, and the form to start a scheda."""

    template_name = "monitoring/index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        schede = scope(Scheda.objects.select_related("modello", "comune"), user).order_by(
            "-modello__anno_riferimento", "comune__nome", "modello__codice"
        )[:200]
        editable_comuni = scope(Comune.objects.filter(ambito__isnull=False), user, EDIT).order_by("nome")
        return super().get_context_data(
            schede=schede,
            ambiti=scope(Ambito.objects.all(), user),
            create_form=SchedaCreateForm(comuni=editable_comuni) if editable_comuni.exists() else None,
            breadcrumbs=section_page_trail(MONITORAGGIO),
            **kwargs,
        )


class SchedaCreateView(View):
    def post(self, request):
        editable = scope(Comune.objects.filter(ambito__isnull=False), request.user, EDIT)
        form = SchedaCreateForm(request.POST, comuni=editable)
        if not form.is_valid():
            messages.error(request, _("Scegliere un modello e un Comune tra quelli assegnati."))
            return redirect("monitoring:index")
        comune = get_object_or_404(editable, pk=form.cleaned_data["comune"])
        try:
            scheda = scheda_create(
                modello=form.cleaned_data["modello"],
                comune=comune,
                user=request.user,
                copy_previous=form.cleaned_data["copia"],
            )
        except SchedaError as exc:
            messages.error(request, str(exc))
            return redirect("monitoring:index")
        copied = scheda.valori.filter(precompilato=True).count()
        if scheda.copiata_da:
            messages.success(
                request,
                _("Scheda creata e precompilata con %(n)s valori di %(src)s: restano segnati finché non li modifica.")
                % {"n": copied, "src": scheda.copiata_da.modello.codice},
            )
        else:
            messages.success(request, _("Scheda creata."))
        return redirect(scheda.get_absolute_url())


INDICATOR_ROWS = 50


class OverviewView(TemplateView):
    """Ufficio di Piano overview of an Ambito: every Comune × scheda, with indicators against targets."""

    template_name = "monitoring/overview.html"

    @cached_property
    def ambito(self) -> Ambito:
        return get_object_or_404(
            scope(Ambito.objects.select_related("parent"), self.request.user), slug=self.kwargs["slug"]
        )

    def get(self, request, *args, **kwargs):
        modelli = list(ModelloScheda.objects.filter(attivo=True).order_by("codice"))
        comuni = scope(ambito_comuni(self.ambito), request.user).order_by("nome")
        form = OverviewFilterForm(request.GET or None, modelli=modelli)
        rows = overview_rows(comuni, modelli)
        if form.is_valid():
            data = form.cleaned_data
            if data["q"]:
                q = data["q"].lower()
                rows = [r for r in rows if q in r.comune_nome.lower() or r.comune_codice.startswith(q)]
            if data["modello"]:
                rows = [r for r in rows if r.modello == data["modello"]]
            if data["stato"]:
                rows = [r for r in rows if r.stato == data["stato"]]
            if data["scadute"]:
                rows = [r for r in rows if r.giorni < 0 and r.stato not in ("inviata", "validata")]
        table = OverviewTable(rows)
        fmt = request.GET.get("_export")
        if fmt == "valori":
            response = HttpResponse(
                schede_to_xlsx(Scheda.objects.filter(comune__in=comuni.values("pk"), modello__in=modelli)),
                content_type=XLSX_CONTENT_TYPE,
            )
            response["Content-Disposition"] = f'attachment; filename="valori-schede-{self.ambito.slug}.xlsx"'
            return response
        if fmt:
            if fmt not in EXPORT_FORMATS:
                raise Http404
            table.order_by = request.GET.get("sort") or table.order_by
            return table_export_response(table, fmt, filename=f"schede-{self.ambito.slug}", sheet_title="Schede")
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        counts: dict[str, int] = {}
        for r in rows:
            counts[r.stato_label] = counts.get(r.stato_label, 0) + 1
        query = request.GET.copy()
        query.pop("_export", None)
        indicator_page = Paginator(range(comuni.count()), INDICATOR_ROWS).get_page(request.GET.get("ipagina"))
        context = self.get_context_data(
            ambito=self.ambito,
            table=table,
            form=form,
            counts=sorted(counts.items()),
            indicators=indicator_tables(comuni, modelli, offset=indicator_page.start_index() - 1, limit=INDICATOR_ROWS),
            indicator_page=indicator_page,
            query_string=query.urlencode(),
            can_manage=can_on_ambito(request.user, MANAGE, self.ambito),
            breadcrumbs=schede_ambito_trail(request.user, self.ambito),
        )
        return self.render_to_response(context)


class SchedaDetailView(View):
    """Summary of a scheda: status, quadri with their counts, messages, workflow, downloads."""

    def get(self, request, pk):
        scheda = scoped_scheda(request, pk)
        result = scheda_compute(scheda=scheda)
        compiled = scheda.modello.compiled()
        quadri = quadro_views(compiled, result)
        check = submit_check(scheda=scheda, result=result)
        return render(
            request,
            "monitoring/scheda_detail.html",
            {
                "scheda": scheda,
                "result": result,
                "quadri": quadri,
                "check": check,
                "transitions": [(a, LABELS[a]) for a in allowed_transitions(scheda, request.user) if a != "invia"],
                "can_send": "invia" in allowed_transitions(scheda, request.user),
                "can_edit": scheda.modificabile and can(request.user, EDIT, scheda),
                "prefilled": scheda.valori.filter(precompilato=True).count(),
                "breadcrumbs": scheda_trail(request.user, scheda),
            },
        )


class SubmitConfirmView(View):
    """Confirmation step of «Invia»: the missing required cells and the warnings with their justifications."""

    def get(self, request, pk):
        scheda = scoped_scheda(request, pk)
        if "invia" not in allowed_transitions(scheda, request.user):
            messages.error(
                request, _("La scheda non può essere inviata: stato «%(s)s».") % {"s": scheda.get_stato_display()}
            )
            return redirect(scheda.get_absolute_url())
        return render(
            request,
            "monitoring/scheda_invio.html",
            {
                "scheda": scheda,
                "check": submit_check(scheda=scheda),
                "can_edit": True,
                "version": scheda.versione,
                "breadcrumbs": scheda_trail(request.user, scheda).then(_("Invio")),
            },
        )


class JustifyView(View):
    """Save the justifications of warnings not attached to a cell (fields g-ROW-* and g-*-*)."""

    def post(self, request, pk):
        scheda = scoped_scheda(request, pk)
        notes = {}
        for name, value in request.POST.items():
            parts = name.split("-", 2)
            if len(parts) == 3 and parts[0] == "g":
                notes[(parts[1], parts[2])] = value
        try:
            changed = scheda_justify(scheda=scheda, user=request.user, notes=notes)
        except SchedaError as exc:
            messages.error(request, str(exc))
        else:
            if changed:
                messages.success(request, _("Giustificazioni salvate."))
        if request.POST.get("next") == "invio":
            return redirect("monitoring:scheda_invio", pk=scheda.pk)
        return redirect(scheda.get_absolute_url() + "#giustificazioni")


def refusal_html(scheda: Scheda, check) -> str:
    """The refusal of «Invia» with links to where each thing is fixed (quadro cells, summary notes)."""

    def quadro_url(number: int, anchor: str) -> str:
        return reverse("monitoring:quadro", kwargs={"pk": scheda.pk, "number": number}) + "#" + anchor

    parts = []
    if check.errors:
        parts.append(
            format_html(
                "{}",
                _("La scheda contiene %(n)s errori: correggerli prima dell'invio.") % {"n": len(check.errors)},
            )
        )
    if check.missing:
        links = format_html_join(
            ", ",
            '<a href="{}">{} (Quadro {})</a>',
            ((quadro_url(m.quadro, f"v-{m.name}"), m, m.quadro) for m in check.missing[:MAX_LISTED]),
        )
        more = len(check.missing) - MAX_LISTED
        if more > 0:
            links = format_html("{} {}", links, _("e altri %(n)s (elenco completo qui sotto)") % {"n": more})
        parts.append(format_html("{} {}.", _("Mancano %(n)s campi obbligatori:") % {"n": len(check.missing)}, links))
    cells = [w for w in check.unjustified if w.on_cell]
    if cells:
        seen = {w.key: w for w in cells}.values()
        links = format_html_join(
            ", ", '<a href="{}">{}</a>', ((quadro_url(w.quadro, f"c-{w.name}"), w.where) for w in seen)
        )
        parts.append(
            format_html(
                "{} {}.",
                _(
                    "Per inviare con avvisi serve un commento: lo scriva nel riquadro «Commento» della cella, "
                    "nella pagina del quadro:"
                ),
                links,
            )
        )
    notes = [n for n in check.notes if not n["comment"].strip()]
    if notes:
        url = reverse("monitoring:scheda_detail", kwargs={"pk": scheda.pk}) + "#giustificazioni"
        links = format_html_join(", ", '<a href="{}">{}</a>', ((url, n["where"]) for n in notes))
        parts.append(
            format_html(
                "{} {}.",
                _("Gli avvisi della riga o della scheda si giustificano sotto l'avviso, nel riepilogo:"),
                links,
            )
        )
    return format_html_join(" ", "{}", ((p,) for p in parts))


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


class TransitionView(View):
    def post(self, request, pk):
        scheda = scoped_scheda(request, pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Operazione non valida."))
            return redirect(scheda.get_absolute_url())
        action = form.cleaned_data["azione"]
        if action == "invia" and request.POST.get("conferma") != "1":
            # «Invia» always goes through the confirmation page (missing cells, justified warnings).
            return redirect("monitoring:scheda_invio", pk=scheda.pk)
        expected = None
        if action == "invia":
            try:
                expected = int(request.POST.get("version", ""))
            except ValueError:
                expected = -1
        try:
            scheda_transition(
                scheda=scheda,
                user=request.user,
                action=action,
                reason=form.cleaned_data["motivo"],
                expected_version=expected,
            )
        except SubmitRefused as exc:
            messages.error(request, refusal_html(scheda, exc.check))
            return redirect("monitoring:scheda_invio", pk=scheda.pk)
        except SchedaError as exc:
            messages.error(request, str(exc))
            if action == "invia":
                return redirect("monitoring:scheda_invio", pk=scheda.pk)
        else:
            scheda.refresh_from_db()
            messages.success(request, _("Stato della scheda: %(s)s.") % {"s": scheda.get_stato_display()})
        return redirect(scheda.get_absolute_url())


class StoricoView(View):
    """Every change to a value or to the status: who, when, old → new."""

    def get(self, request, pk):
        scheda = scoped_scheda(request, pk)
        compiled = scheda.modello.compiled()
        events = []
        value_history = (
            ValoreCella.history.filter(scheda_id=scheda.pk)
            .select_related("history_user")
            .order_by("riga", "colonna", "history_date")
        )
        previous: dict[tuple[str, str], str] = {}
        for h in value_history:
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
        state_history = Scheda.history.filter(id=scheda.pk).select_related("history_user").order_by("history_date")
        last_state = None
        labels = dict(Scheda._meta.get_field("stato").choices)
        for h in state_history:
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
        events.sort(key=lambda e: e["quando"], reverse=True)
        trail = scheda_trail(request.user, scheda).then(_("Storico"))
        return render(request, "monitoring/storico.html", {"scheda": scheda, "events": events, "breadcrumbs": trail})
