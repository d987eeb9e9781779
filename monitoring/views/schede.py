"""Schede pages: the user's schede, a new scheda, the Ambito overview, a scheda's summary and history."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from accounts.scoping import EDIT, MANAGE, can, can_on_ambito, scope
from core.exports import EXPORT_FORMATS, XLSX_CONTENT_TYPE, table_export_response
from core.navigation import MONITORAGGIO, scheda_trail, schede_ambito_trail, section_page_trail
from planning.models import Ambito, Comune
from planning.selectors import ambito_comuni

from ..bulk_export import schede_to_xlsx
from ..forms import OverviewFilterForm, SchedaCreateForm
from ..layout import quadro_views
from ..models import ModelloScheda, Scheda, ValoreCella
from ..selectors import indicator_tables, overview_rows
from ..services import (
    LABELS,
    SchedaError,
    allowed_transitions,
    scheda_compute,
    scheda_create,
    submit_check,
)
from ..tables import OverviewTable
from ..values import display_value
from .access import scoped_scheda


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
