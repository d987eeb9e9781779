"""Pages of the performance plan: the plans, one plan in the layout of seed 004 (filters, exports, PDF/XLSX
report), one operational objective, the forms of the Ufficio di Piano and the dirigente's report. Read with VIEW;
the Ufficio di Piano edits (EDIT, 404 otherwise); the report form is open only to the user named as dirigente."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from accounts.scoping import EDIT, AmbitoPartMixin, ScopedInstanceMixin, ScopedObjectMixin, can_on_ambito, scoped_path
from accounts.sections import PERFORMANCE, section_page_trail
from core.form_views import FormsCreateMixin, FormsMergeMixin, InlineFormsMixin
from core.optimistic import MergeOnSaveMixin, track
from core.table_views import TablePage, TablePageView
from planning.navigation import operativo_trail, performance_trail

from ..inline_rows import formset_rows
from ..models import ObiettivoOperativo, ObiettivoStrategico, PianoPerformance
from . import forms as f
from . import services
from .filtersets import ObiettivoOperativoFilterSet
from .selectors import (
    operativi_lista,
    operativi_sintesi,
    operativo_queryset,
    operativo_storia,
    performance_storia,
    piani_performance_lista,
    strategici_del_piano,
)
from .tables import ObiettivoOperativoTable

INVALID = gettext_lazy("L'obiettivo non è stato salvato: correggere gli errori indicati.")


class PianoPerformanceListView(TemplateView):
    template_name = "planning/performance_list.html"

    def get_context_data(self, **kwargs):
        piani = piani_performance_lista(self.request.user)
        return super().get_context_data(piani=piani, breadcrumbs=section_page_trail(PERFORMANCE), **kwargs)


class PianoPerformanceMixin(AmbitoPartMixin):
    """The performance plan of the URL (`slug`)."""

    scoped_model = PianoPerformance

    piano = scoped_path()  # PianoPerformance


class PianoPerformanceDetailView(PianoPerformanceMixin, TablePageView):
    page = TablePage(
        "planning/performance_detail.html", ObiettivoOperativoTable, ObiettivoOperativoFilterSet, operativi_lista,
        "Obiettivi operativi", export="performance",
    )  # fmt: skip

    def table_owner(self) -> PianoPerformance:
        return self.piano

    def filter_kwargs(self):
        return {"piano": self.piano}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            piano=self.piano,
            breadcrumbs=performance_trail(user, self.piano),
            strategici=strategici_del_piano(self.piano),
            can_edit=can_on_ambito(user, EDIT, self.piano.ambito),
            **operativi_sintesi(list(self.object_list), user),
            storia=performance_storia(self.piano),
        )
        return context


class OperativoMixin(ScopedObjectMixin):
    """The operational objective of the URL (`pk`)."""

    scoped_model = ObiettivoOperativo
    scoped_select_related = ("strategico__piano__ambito",)
    ambito_attr = "strategico.piano.ambito"

    obiettivo = scoped_path()  # ObiettivoOperativo
    piano = scoped_path("strategico.piano")  # PianoPerformance


class OperativoDetailView(OperativoMixin, TemplateView):
    template_name = "planning/obiettivo_operativo_detail.html"

    scoped_queryset = operativo_queryset

    def get_context_data(self, **kwargs):
        o = self.obiettivo
        user = self.request.user
        return super().get_context_data(
            o=o,
            piano=self.piano,
            breadcrumbs=operativo_trail(user, o),
            can_edit=can_on_ambito(user, EDIT, self.piano.ambito),
            can_report=user.is_superuser or o.dirigente_utente_id == user.pk,
            storia=operativo_storia(o),
            **kwargs,
        )


class OperativoFormMixin(InlineFormsMixin):
    """The form of a new (`creating`) or stored operational objective (`instance`) with its indicators (Ufficio di
    Piano)."""

    template_name = "planning/obiettivo_operativo_form.html"
    action = EDIT
    invalid_message = INVALID
    creating = True
    form_class = f.ObiettivoOperativoForm
    formsets = {"indicatori": f.IndicatorePerformanceFormSet}

    def form_kwargs(self):
        return {"piano": self.piano}

    def trail(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        forms = kwargs.pop("forms", None) or self.build()
        if not self.creating:
            track(*forms.values())  # each form carries its values as loaded (core.optimistic)
        return super().get_context_data(
            piano=self.piano, o=self.instance, creating=self.creating, breadcrumbs=self.trail(), **forms, **kwargs
        )

    def save(self, forms):
        try:
            o = services.obiettivo_operativo_save(
                obiettivo=forms["form"].save(commit=False), indicatori=formset_rows(forms["indicatori"])
            )
        except ValidationError as exc:
            forms["form"].add_error(None, exc)
            messages.error(self.request, INVALID)
            return self.render_to_response(self.get_context_data(forms=forms))
        messages.success(self.request, _("Obiettivo operativo %(c)s salvato.") % {"c": o.codice})
        return redirect(o.get_absolute_url())


class OperativoCreateView(OperativoFormMixin, FormsCreateMixin, PianoPerformanceMixin, TemplateView):
    @cached_property
    def instance(self) -> ObiettivoOperativo:
        return ObiettivoOperativo()

    def trail(self):
        return performance_trail(self.request.user, self.piano).then(_("Nuovo obiettivo operativo"))


class OperativoUpdateView(OperativoFormMixin, FormsMergeMixin, OperativoMixin, TemplateView):
    creating = False

    @property
    def instance(self) -> ObiettivoOperativo:
        return self.obiettivo

    def trail(self):
        return operativo_trail(self.request.user, self.obiettivo).then(_("Modifica"))

    def get_merge_object(self) -> ObiettivoOperativo:
        return self.obiettivo


class StrategicoFormMixin:
    """A new (`creating`) or stored strategic objective; edits are merged field by field."""

    template_name = "planning/obiettivo_strategico_form.html"
    form_class = f.ObiettivoStrategicoForm
    action = EDIT
    creating = True
    instance: ObiettivoStrategico  # new (create view) or the object of the URL (update view)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance}

    def get_context_data(self, **kwargs):
        o = self.instance
        trail = performance_trail(self.request.user, self.piano).then(
            _("Nuovo obiettivo strategico") if self.creating else _("Obiettivo strategico %(c)s") % {"c": o.codice}
        )
        return super().get_context_data(piano=self.piano, o=o, creating=self.creating, breadcrumbs=trail, **kwargs)

    def form_valid(self, form):
        obj = form.save(commit=False)
        obj.piano = self.piano
        try:
            obj = services.obiettivo_strategico_save(obiettivo=obj)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        decoded = obj.programma.etichetta if obj.programma else _("missione/programma non nel catalogo")
        messages.success(
            self.request, _("Obiettivo strategico %(c)s salvato: %(p)s.") % {"c": obj.codice, "p": decoded}
        )
        return redirect(self.piano.get_absolute_url())


class StrategicoCreateView(StrategicoFormMixin, PianoPerformanceMixin, MergeOnSaveMixin, FormView):
    @cached_property
    def instance(self) -> ObiettivoStrategico:
        return ObiettivoStrategico(piano=self.piano)


class StrategicoUpdateView(StrategicoFormMixin, ScopedInstanceMixin, MergeOnSaveMixin, FormView):
    scoped_model = ObiettivoStrategico
    scoped_select_related = ("piano__ambito",)
    ambito_attr = "piano.ambito"
    creating = False

    piano = scoped_path("piano")  # PianoPerformance


class ReportDirigenteView(InlineFormsMixin, FormsMergeMixin, OperativoMixin, TemplateView):
    """The dirigente named on the objective writes its report and the achieved values (nobody else: 404)."""

    template_name = "planning/obiettivo_operativo_report.html"
    form_class = f.ReportForm
    formsets = {"indicatori": f.RaggiuntoFormSet}

    scoped_queryset = operativo_queryset

    def check_scoped_object(self, obj) -> None:
        if not (self.request.user.is_superuser or obj.dirigente_utente_id == self.request.user.pk):
            raise Http404

    @property
    def instance(self) -> ObiettivoOperativo:
        return self.obiettivo

    def get_context_data(self, **kwargs):
        forms = kwargs.pop("forms", None) or self.build()
        track(*forms.values())  # each form carries its values as loaded (core.optimistic)
        trail = operativo_trail(self.request.user, self.obiettivo).then(_("Report del dirigente"))
        return super().get_context_data(o=self.obiettivo, piano=self.piano, breadcrumbs=trail, **forms, **kwargs)

    def get_merge_object(self) -> ObiettivoOperativo:
        return self.obiettivo

    def save(self, forms):
        form = forms["form"]
        services.report_dirigente_save(
            obiettivo=form.instance,
            user=self.request.user,
            report=form.cleaned_data["report"],
            indicatori=formset_rows(forms["indicatori"]),
        )
        messages.success(self.request, _("Report del dirigente salvato."))
        return redirect(self.obiettivo.get_absolute_url())
