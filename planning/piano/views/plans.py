"""Pages of the plans: the list, a new plan, the plan's page, its general data, its status workflow and the
variazioni of an approved plan. Edit pages need EDIT (Ufficio di Piano): the Dirigente gets 404 there."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.scoping import EDIT, scope
from accounts.sections import PIANI, section_page_trail, section_trail
from core.optimistic import MergeOnSaveMixin
from territory.models import Ambito

from .. import forms as f
from ..history import modifiche
from ..selectors import objective_tree, piani_lista
from ..services import parte_save, piano_create, piano_transition, variazione_aperta, variazione_close, variazione_open
from .mixins import PianoEditMixin, PianoMixin


class PianoListView(TemplateView):
    template_name = "planning/piano_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            piani=piani_lista(user),
            can_create=scope(Ambito.objects.all(), user, EDIT).exists(),
            breadcrumbs=section_page_trail(PIANI),
            **kwargs,
        )


class PianoCreateView(FormView):
    template_name = "planning/piano_form.html"
    form_class = f.PianoForm

    @cached_property
    def ambiti(self):
        return scope(Ambito.objects.all(), self.request.user, EDIT)

    def dispatch(self, request, *args, **kwargs):
        if not self.ambiti.exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ambiti": self.ambiti}

    def get_context_data(self, **kwargs):
        trail = section_trail(self.request.user, PIANI).then(_("Nuovo Piano di Zona"))
        return super().get_context_data(breadcrumbs=trail, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            piano = piano_create(
                ambito=data["ambito"], titolo=data["titolo"], anno_inizio=data["anno_inizio"],
                anno_fine=data["anno_fine"], note=data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Piano creato in bozza con i capitoli del Sommario."))
        return redirect(piano.get_absolute_url())


class PianoDetailView(PianoMixin, TemplateView):
    template_name = "planning/piano_detail.html"

    def get_context_data(self, **kwargs):
        piano = self.piano
        interventi = list(
            piano.interventi.only("pk", "titolo", "codice", "obiettivo_id", "stato").order_by("ordine", "pk")
        )
        tree = objective_tree(piano, interventi)
        aree = [g.area for g in tree if g.area is not None]
        for g in tree:
            if g.area is not None:
                g.area.lista_obiettivi = g.radici
        gruppi = {
            g.sub_ambito.nome if g.sub_ambito else _("Obiettivi di Ambito"): g.radici
            for g in tree
            if g.area is None and g.radici
        }
        context = super().get_context_data(**kwargs)
        context.update(
            aree=aree,
            gruppi_senza_area=gruppi,
            capitoli=piano.capitoli.only("pk", "titolo", "ordine", "piano_id"),
            variazioni=piano.variazioni.select_related("aperta_da", "chiusa_da"),
            stato_form=f.StatoPianoForm(piano=piano) if context["can_edit"] else None,
            variazione_form=f.VariazioneForm() if context["can_edit"] else None,
            n_interventi=len(interventi),
            storia=modifiche([("", piano.history.all())], limit=20),
            conteggi={
                "progetti": piano.progetti.count(),
                "pnrr": piano.linee_pnrr.count(),
                "gestione": piano.servizi_associati.count(),
                "governance": piano.governance.count(),
            },
        )
        return context


class PianoUpdateView(PianoEditMixin, PianoMixin, MergeOnSaveMixin, FormView):
    """The plan's general data; concurrent saves are merged field by field (core.optimistic)."""

    template_name = "planning/piano_form.html"
    form_class = f.PianoForm

    def trail(self, piano):
        return super().trail(piano).then(_("Dati generali"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.piano}

    def form_valid(self, form):
        piano = form.save(commit=False)
        parte_save(parte=piano, piano=piano)
        messages.success(self.request, _("Dati del piano aggiornati."))
        return redirect(piano.get_absolute_url())


class PianoStatoView(PianoMixin, View):
    action = EDIT

    def post(self, request, *args, **kwargs):
        form = f.StatoPianoForm(request.POST, piano=self.piano)
        if form.is_valid():
            data = form.cleaned_data
            try:
                piano_transition(
                    piano=self.piano, stato=data["stato"], da_stato=data["da_stato"], **form.approvazione()
                )
                messages.success(request, _("Stato del piano aggiornato."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, _("Stato non valido per questo piano."))
        return redirect(self.piano.get_absolute_url())


class VariazioneApriView(PianoMixin, View):
    action = EDIT

    def post(self, request, *args, **kwargs):
        form = f.VariazioneForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Indicare la motivazione della variazione."))
            return redirect(self.piano.get_absolute_url())
        try:
            v = variazione_open(piano=self.piano, user=request.user, **form.cleaned_data)
            messages.success(
                request, _("Variazione n. %(n)s aperta: le modifiche saranno registrate.") % {"n": v.numero}
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.piano.get_absolute_url())


class VariazioneChiudiView(PianoMixin, View):
    action = EDIT

    def post(self, request, *args, **kwargs):
        variazione = variazione_aperta(self.piano)
        if variazione is None:
            raise Http404
        variazione_close(variazione=variazione, user=request.user)
        messages.success(
            request, _("Variazione n. %(n)s chiusa: il piano è di nuovo in sola lettura.") % {"n": variazione.numero}
        )
        return redirect(self.piano.get_absolute_url())
