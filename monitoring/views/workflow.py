"""The workflow of a scheda: «Invia» with its confirmation page, justifications, the other transitions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views import View

from monitoring.navigation import scheda_trail

from ..forms import TransitionForm
from ..models import Scheda
from ..services import (
    MAX_LISTED,
    SchedaError,
    SubmitRefused,
    allowed_transitions,
    scheda_justify,
    scheda_transition,
    submit_check,
)
from .common import SchedaObjectMixin, posted_version


class SubmitConfirmView(SchedaObjectMixin, View):
    """Confirmation step of «Invia»: the missing required cells and the warnings with their justifications."""

    def get(self, request, pk):
        scheda = self.scheda
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


BASE_PREFIX = "base-"  # base-g-ROW-*: a note as the page showed it


def posted_notes(post, prefix: str = "") -> dict[tuple[str, str], str]:
    """The notes justifying warnings not on a cell: fields g-ROW-* (a row) and g-*-* (the scheda); with
    `prefix` BASE_PREFIX, the same notes as the page showed them."""
    notes = {}
    for name, value in post.items():
        if not name.startswith(prefix):
            continue
        parts = name[len(prefix) :].split("-", 2)
        if len(parts) == 3 and parts[0] == "g":
            notes[(parts[1], parts[2])] = value
    return notes


class JustifyView(SchedaObjectMixin, View):
    """Save the justifications of warnings not attached to a cell (fields g-ROW-* and g-*-*), merged with what
    others saved since the page was loaded (base-g-ROW-*, base-g-*-*)."""

    def post(self, request, pk):
        scheda = self.scheda
        base = posted_notes(request.POST, BASE_PREFIX) or None  # a form without them: every difference is written
        try:
            changed = scheda_justify(
                scheda=scheda, user=request.user, notes=posted_notes(request.POST), base_notes=base
            )
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


class TransitionView(SchedaObjectMixin, View):
    def post(self, request, pk):
        scheda = self.scheda
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Operazione non valida."))
            return redirect(scheda.get_absolute_url())
        action = form.cleaned_data["azione"]
        if action == "invia" and request.POST.get("conferma") != "1":
            # «Invia» always goes through the confirmation page (missing cells, justified warnings).
            return redirect("monitoring:scheda_invio", pk=scheda.pk)
        expected = posted_version(request.POST) if action == "invia" else None
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
