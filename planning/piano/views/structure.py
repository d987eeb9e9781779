"""Pages of a plan's text and structure: chapters (Markdown, with a live preview), areas and objectives. Changes
need EDIT and a modifiable plan; concurrent edits are merged field by field (core.optimistic)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.scoping import EDIT, scope
from core.markdown import render_markdown
from core.optimistic import MergeOnSaveMixin
from planning.navigation import capitolo_trail
from territory.models import Ambito

from ...models import Area, Capitolo, Obiettivo
from .. import forms as f
from ..selectors import capitolo_storia
from ..services import parte_save
from .mixins import PianoEditMixin, PianoMixin, PianoPartMixin

# --- Chapters ---------------------------------------------------------------------------------------------


class CapitoloDetailView(PianoPartMixin, TemplateView):
    scoped_model = Capitolo
    template_name = "planning/capitolo_detail.html"

    def trail(self, piano):
        return capitolo_trail(self.request.user, self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["capitoli"] = self.piano.capitoli.only("pk", "titolo", "ordine", "piano_id")
        context["storia"] = capitolo_storia(self.object)
        return context


class CapitoloFormMixin(PianoEditMixin):
    """The form of a chapter, new or stored (`instance`), saved with the plan's checks (services.parte_save)."""

    template_name = "planning/capitolo_form.html"
    form_class = f.CapitoloForm
    saved_message = ""
    instance: Capitolo

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance}

    def form_valid(self, form):
        capitolo = form.save(commit=False)
        parte_save(parte=capitolo, piano=self.piano)
        if self.saved_message:
            messages.success(self.request, self.saved_message)
        return redirect(capitolo.get_absolute_url())


class CapitoloUpdateView(CapitoloFormMixin, PianoPartMixin, MergeOnSaveMixin, FormView):
    scoped_model = Capitolo
    saved_message = gettext_lazy("Capitolo salvato.")

    @property
    def instance(self) -> Capitolo:
        return self.object

    def trail(self, piano):
        return capitolo_trail(self.request.user, self.object).then(_("Modifica"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["anteprima"] = render_markdown(context["form"]["corpo"].value())
        return context


class CapitoloCreateView(CapitoloFormMixin, PianoMixin, FormView):
    @cached_property
    def instance(self) -> Capitolo:
        return Capitolo(piano=self.piano)  # the type is checked per plan

    def trail(self, piano):
        return super().trail(piano).then(_("Nuovo capitolo"))


class MarkdownAnteprimaView(View):
    """POST corpo → sanitised HTML (the chapter form's preview, via htmx)."""

    def post(self, request, *args, **kwargs):
        if not scope(Ambito.objects.all(), request.user, EDIT).exists():
            raise Http404
        return HttpResponse(render_markdown(request.POST.get("corpo", "")) or _("<p><em>Nessun testo.</em></p>"))


# --- Structure: areas and objectives ---------------------------------------------------------------------


class StrutturaFormMixin(PianoEditMixin):
    """The form of an area or an objective of the plan, new (`creating`) or stored."""

    template_name = "planning/struttura_form.html"
    creating = True
    part_model: type[Area] | type[Obiettivo]

    @cached_property
    def instance(self) -> Area | Obiettivo:
        return self.part_model(piano=self.piano) if self.creating else self.object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance}

    def form_valid(self, form):
        obj = form.save(commit=False)
        parte_save(parte=obj, piano=self.piano)
        messages.success(self.request, _("Salvato."))
        return redirect(self.piano.get_absolute_url() + "#struttura")

    @property
    def titolo_pagina(self) -> str:
        if self.part_model is Area:
            return _("Nuova area") if self.creating else _("Modifica area")
        return _("Nuovo obiettivo") if self.creating else _("Modifica obiettivo")

    def trail(self, piano):
        return super().trail(piano).then(self.titolo_pagina)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "titolo_pagina": self.titolo_pagina}


class ObiettivoFormMixin(StrutturaFormMixin):
    part_model = Obiettivo
    form_class = f.ObiettivoForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "piano": self.piano}


class AreaCreateView(StrutturaFormMixin, PianoMixin, MergeOnSaveMixin, FormView):
    part_model = Area
    form_class = f.AreaForm


class AreaUpdateView(StrutturaFormMixin, PianoPartMixin, MergeOnSaveMixin, FormView):
    part_model = scoped_model = Area
    form_class = f.AreaForm
    creating = False


class ObiettivoCreateView(ObiettivoFormMixin, PianoMixin, MergeOnSaveMixin, FormView):
    pass


class ObiettivoUpdateView(ObiettivoFormMixin, PianoPartMixin, MergeOnSaveMixin, FormView):
    scoped_model = Obiettivo
    creating = False
