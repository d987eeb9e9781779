"""Pages of the performance plan: the plans, one plan in the layout of seed 004 (filters, exports, PDF/XLSX
report), one operational objective, the forms of the Ufficio di Piano and the dirigente's report. Read with VIEW;
the Ufficio di Piano edits (EDIT, 404 otherwise); the report form is open only to the user named as dirigente."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.scoping import EDIT, VIEW, can_on_ambito, scope
from accounts.sections import PERFORMANCE, section_page_trail
from core.exports import ExportMixin
from core.optimistic import MergeOnSaveMixin, locked, merge_response, save_with_merge, track
from planning.navigation import operativo_trail, performance_trail

from ..models import IndicatorePerformance, ObiettivoOperativo, ObiettivoStrategico, PianoPerformance
from ..piano.history import modifiche
from ..piano.views import _pk
from . import forms as f
from . import services
from .filtersets import ObiettivoOperativoFilterSet
from .tables import ObiettivoOperativoTable, operativi_lista


class PianoPerformanceListView(TemplateView):
    template_name = "planning/performance_list.html"

    def get_context_data(self, **kwargs):
        piani = scope(PianoPerformance.objects.select_related("ambito"), self.request.user).annotate(
            n_strategici=Count("obiettivi_strategici", distinct=True),
            n_operativi=Count("obiettivi_strategici__operativi", distinct=True),
        )
        return super().get_context_data(piani=piani, breadcrumbs=section_page_trail(PERFORMANCE), **kwargs)


class PianoPerformanceDetailView(ExportMixin, SingleTableMixin, FilterView):
    template_name = "planning/performance_detail.html"
    table_class = ObiettivoOperativoTable
    filterset_class = ObiettivoOperativoFilterSet
    table_pagination = {"per_page": 100}
    sheet_title = "Obiettivi operativi"

    @cached_property
    def piano(self) -> PianoPerformance:
        qs = scope(PianoPerformance.objects.select_related("ambito"), self.request.user, VIEW)
        return get_object_or_404(qs, slug=self.kwargs["slug"])

    def export_filename(self) -> str:
        return f"performance-{self.piano.slug}"

    def get_queryset(self):
        return operativi_lista(self.piano)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "piano": self.piano}

    def get_context_data(self, **kwargs):
        self.request.ambito_corrente = self.piano.ambito
        context = super().get_context_data(**kwargs)
        operativi = list(self.object_list)
        strategici = list(
            self.piano.obiettivi_strategici.select_related("programma").prefetch_related(
                Prefetch("operativi", queryset=ObiettivoOperativo.objects.order_by("ordine", "codice"))
            )
        )
        valutati = [o.totale for o in operativi if o.totale is not None]
        context.update(
            piano=self.piano,
            breadcrumbs=performance_trail(self.request.user, self.piano),
            strategici=strategici,
            can_edit=can_on_ambito(self.request.user, EDIT, self.piano.ambito),
            miei=[o for o in operativi if o.dirigente_utente_id == self.request.user.pk],
            difformi=[o for o in operativi if o.totale_difforme],
            media_totale=sum(valutati) / len(valutati) if valutati else None,
            storia=modifiche(
                [
                    ("Piano", self.piano.history.all(), lambda r: r.titolo),
                    (
                        "Obiettivo strategico",
                        ObiettivoStrategico.history.filter(piano_id=self.piano.pk),
                        lambda r: r.codice,
                    ),
                    (
                        "Obiettivo operativo",
                        ObiettivoOperativo.history.filter(strategico__piano=self.piano),
                        lambda r: r.codice,
                    ),
                ],
                limit=20,
            ),
        )
        return context


class OperativoMixin:
    action = VIEW

    @cached_property
    def obiettivo(self) -> ObiettivoOperativo:
        qs = scope(
            ObiettivoOperativo.objects.select_related(
                "strategico__piano__ambito", "strategico__programma", "dirigente_utente"
            ).prefetch_related(Prefetch("indicatori", queryset=IndicatorePerformance.objects.order_by("ordine", "pk"))),
            self.request.user,
            self.action,
        )
        return get_object_or_404(qs, pk=_pk(self.kwargs["slug"]))

    @property
    def piano(self) -> PianoPerformance:
        return self.obiettivo.strategico.piano

    def dispatch(self, request, *args, **kwargs):
        request.ambito_corrente = self.piano.ambito
        return super().dispatch(request, *args, **kwargs)


def _storia(o: ObiettivoOperativo):
    return modifiche(
        [
            ("", o.history.all()),
            ("Indicatore", IndicatorePerformance.history.filter(obiettivo_id=o.pk), lambda r: r.descrizione),
        ]
    )


class OperativoDetailView(OperativoMixin, TemplateView):
    template_name = "planning/obiettivo_operativo_detail.html"

    def get_context_data(self, **kwargs):
        o = self.obiettivo
        user = self.request.user
        return super().get_context_data(
            o=o,
            piano=self.piano,
            breadcrumbs=operativo_trail(user, o),
            can_edit=can_on_ambito(user, EDIT, self.piano.ambito),
            can_report=user.is_superuser or o.dirigente_utente_id == user.pk,
            storia=_storia(o),
            **kwargs,
        )


class OperativoFormView(TemplateView):
    """Create (slug = plan) or edit (slug = id) an operational objective with its indicators (Ufficio di Piano)."""

    template_name = "planning/obiettivo_operativo_form.html"
    creating = True

    @cached_property
    def target(self) -> tuple[PianoPerformance, ObiettivoOperativo]:
        user = self.request.user
        if self.creating:
            piano = get_object_or_404(
                scope(PianoPerformance.objects.select_related("ambito"), user, EDIT), slug=self.kwargs["slug"]
            )
            return piano, ObiettivoOperativo()
        o = get_object_or_404(
            scope(ObiettivoOperativo.objects.select_related("strategico__piano__ambito"), user, EDIT),
            pk=_pk(self.kwargs["slug"]),
        )
        return o.strategico.piano, o

    def build(self, data=None, obiettivo=None):
        piano, current = self.target
        obiettivo = obiettivo or current
        return {
            "form": f.ObiettivoOperativoForm(data, instance=obiettivo, piano=piano),
            "indicatori": f.IndicatorePerformanceFormSet(data, instance=obiettivo, prefix="indicatori"),
        }

    def get_context_data(self, **kwargs):
        piano, o = self.target
        self.request.ambito_corrente = piano.ambito
        forms = kwargs.pop("forms", None) or self.build()
        if not self.creating:
            track(*forms.values())  # each form carries its values as loaded (core.optimistic)
        user = self.request.user
        trail = (
            performance_trail(user, piano).then(_("Nuovo obiettivo operativo"))
            if self.creating
            else operativo_trail(user, o).then(_("Modifica"))
        )
        return super().get_context_data(piano=piano, o=o, creating=self.creating, breadcrumbs=trail, **forms, **kwargs)

    def post(self, request, *args, **kwargs):
        invalid = _("L'obiettivo non è stato salvato: correggere gli errori indicati.")
        if self.creating:
            forms = self.build(request.POST)
            if all(x.is_valid() for x in forms.values()):
                return self.save(forms)
            messages.error(request, invalid)
            return self.render_to_response(self.get_context_data(forms=forms))
        outcome = save_with_merge(
            data=request.POST,
            fetch=lambda for_update: locked(ObiettivoOperativo, self.target[1].pk, for_update),
            build=self.build,
            save=self.save,
        )
        return merge_response(
            request,
            outcome,
            lambda forms, **context: self.render_to_response(self.get_context_data(forms=forms, **context)),
            invalid_message=invalid,
        )

    def save(self, forms):
        try:
            o = services.operativo_salva(form=forms["form"], indicatori_formset=forms["indicatori"])
        except ValidationError as exc:
            forms["form"].add_error(None, exc)
            messages.error(self.request, _("L'obiettivo non è stato salvato: correggere gli errori indicati."))
            return self.render_to_response(self.get_context_data(forms=forms))
        messages.success(self.request, _("Obiettivo operativo %(c)s salvato.") % {"c": o.codice})
        return redirect(o.get_absolute_url())


class StrategicoFormView(MergeOnSaveMixin, FormView):
    """Create (slug = plan) or edit (slug = id) a strategic objective; edits are merged field by field."""

    template_name = "planning/obiettivo_strategico_form.html"
    form_class = f.ObiettivoStrategicoForm
    creating = True

    @cached_property
    def target(self) -> tuple[PianoPerformance, ObiettivoStrategico]:
        user = self.request.user
        if self.creating:
            piano = get_object_or_404(
                scope(PianoPerformance.objects.select_related("ambito"), user, EDIT), slug=self.kwargs["slug"]
            )
            return piano, ObiettivoStrategico(piano=piano)
        o = get_object_or_404(
            scope(ObiettivoStrategico.objects.select_related("piano__ambito"), user, EDIT), pk=_pk(self.kwargs["slug"])
        )
        return o.piano, o

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.target[1]}

    def get_context_data(self, **kwargs):
        piano, o = self.target
        self.request.ambito_corrente = piano.ambito
        trail = performance_trail(self.request.user, piano).then(
            _("Nuovo obiettivo strategico") if self.creating else _("Obiettivo strategico %(c)s") % {"c": o.codice}
        )
        return super().get_context_data(piano=piano, o=o, creating=self.creating, breadcrumbs=trail, **kwargs)

    def form_valid(self, form):
        piano = self.target[0]
        obj = form.save(commit=False)
        obj.piano = piano
        try:
            obj = services.strategico_salva(obiettivo=obj)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        decoded = obj.programma.etichetta if obj.programma else _("missione/programma non nel catalogo")
        messages.success(
            self.request, _("Obiettivo strategico %(c)s salvato: %(p)s.") % {"c": obj.codice, "p": decoded}
        )
        return redirect(piano.get_absolute_url())


class ReportDirigenteView(OperativoMixin, TemplateView):
    """The dirigente named on the objective writes its report and the achieved values (nobody else: 404)."""

    template_name = "planning/obiettivo_operativo_report.html"

    def dispatch(self, request, *args, **kwargs):
        o = self.obiettivo
        if not (request.user.is_superuser or o.dirigente_utente_id == request.user.pk):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def build(self, data=None, obiettivo=None):
        o = obiettivo or self.obiettivo
        return {
            "form": f.ReportForm(data, instance=o),
            "indicatori": f.RaggiuntoFormSet(data, instance=o, prefix="indicatori"),
        }

    def get_context_data(self, **kwargs):
        forms = kwargs.pop("forms", None) or self.build()
        track(*forms.values())  # each form carries its values as loaded (core.optimistic)
        trail = operativo_trail(self.request.user, self.obiettivo).then(_("Report del dirigente"))
        return super().get_context_data(o=self.obiettivo, piano=self.piano, breadcrumbs=trail, **forms, **kwargs)

    def post(self, request, *args, **kwargs):
        outcome = save_with_merge(
            data=request.POST,
            fetch=lambda for_update: locked(ObiettivoOperativo, self.obiettivo.pk, for_update),
            build=self.build,
            save=self.save,
        )
        return merge_response(
            request,
            outcome,
            lambda forms, **context: self.render_to_response(self.get_context_data(forms=forms, **context)),
        )

    def save(self, forms):
        services.report_salva(
            obiettivo=self.obiettivo, user=self.request.user, form=forms["form"], indicatori_formset=forms["indicatori"]
        )
        messages.success(self.request, _("Report del dirigente salvato."))
        return redirect(self.obiettivo.get_absolute_url())
