"""Pages of the evaluation of the previous plan and of the carry forward. Read with VIEW (Ufficio di Piano,
Dirigente); every change needs EDIT (Ufficio di Piano: the Dirigente gets 404) and a modifiable plan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.scoping import EDIT, scoped_path
from core.form_views import FormsCreateMixin, FormsMergeMixin, InlineFormsMixin
from core.optimistic import MergeOnSaveMixin, track
from core.table_views import TablePage, TablePageView
from planning.navigation import valutazione_trail

from ..inline_rows import formset_rows
from ..models import SchedaValutazione, Valutazione
from ..piano.services import piano_assert_modificabile
from ..piano.views.mixins import PianoContextMixin, PianoEditMixin, PianoMixin
from . import forms as f
from . import services
from .filtersets import SchedaValutazioneFilterSet
from .selectors import (
    esito,
    piani_precedenti,
    riprese_del_piano,
    riprese_storia,
    scheda_storia,
    schede_da_riproporre,
    schede_esiti,
    schede_lista,
    schede_queryset,
    sintesi,
    valutazione_del_piano,
    valutazione_storia,
)
from .tables import SchedaValutazioneTable

INVALID = gettext_lazy("La scheda non è stata salvata: correggere gli errori indicati.")


class ValutazioneView(PianoMixin, TablePageView):
    """The evaluation chapter of a plan: rule of dimension 1, totals, the cards (table with filters, then cards)."""

    page = TablePage(
        "planning/valutazione.html", SchedaValutazioneTable, SchedaValutazioneFilterSet, schede_lista,
        "Schede di valutazione", export="valutazione",
    )  # fmt: skip

    def trail(self, piano):
        return valutazione_trail(self.request.user, piano)

    @cached_property
    def valutazione(self) -> Valutazione | None:
        return valutazione_del_piano(self.piano)

    def get(self, request, *args, **kwargs):
        if self.valutazione is None:
            self.object_list = SchedaValutazione.objects.none()
            context = {**self.piano_context(self.piano), "valutazione": None}
            return self.render_to_response(context)
        return super().get(request, *args, **kwargs)

    def table_owner(self) -> Valutazione | None:
        return self.valutazione

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs.pop("piano", None)
        return {**kwargs, "valutazione": self.valutazione}

    def get_table_kwargs(self):
        return {"regola": self.valutazione.parziali_come_realizzate}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        esiti = schede_esiti(self.valutazione, self.object_list)
        context.update(
            valutazione=self.valutazione,
            esiti=esiti,
            sintesi=sintesi(esiti),
            storia=valutazione_storia(self.valutazione),
        )
        return context


class ValutazioneImpostazioniView(PianoEditMixin, PianoMixin, MergeOnSaveMixin, FormView):
    """Create or change the evaluation of a plan (period, rule of dimension 1); changes are merged field by field."""

    template_name = "planning/valutazione_form.html"
    form_class = f.ValutazioneForm

    def trail(self, piano):
        return valutazione_trail(self.request.user, piano).then(_("Periodo e regola"))

    @cached_property
    def valutazione(self) -> Valutazione:
        return valutazione_del_piano(self.piano) or Valutazione(piano=self.piano)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.valutazione, "piano": self.piano}

    def form_valid(self, form):
        try:
            services.valutazione_save(valutazione=form.save(commit=False), piano=self.piano)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Impostazioni della valutazione salvate."))
        return redirect("planning:valutazione", slug=self.piano.slug)


class SchedaMixin(PianoContextMixin):
    """An evaluation card of the URL (`pk`); its plan is the one that contains the evaluation."""

    scoped_model = SchedaValutazione
    scoped_select_related = ("valutazione__piano__ambito",)

    scheda = scoped_path()  # SchedaValutazione
    piano = scoped_path("valutazione.piano")  # PianoDiZona


class SchedaValutazioneDetailView(SchedaMixin, TemplateView):
    template_name = "planning/scheda_valutazione_detail.html"

    scoped_queryset = schede_queryset

    def trail(self, piano):
        return valutazione_trail(self.request.user, piano).then(str(self.scheda))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scheda = self.scheda
        context.update(
            scheda=scheda,
            esito=esito(scheda),
            valutazione=scheda.valutazione,
            riproponi_form=f.RiproponiForm(piano=self.piano) if context["modificabile"] else None,
            storia=scheda_storia(scheda),
        )
        return context


class SchedaValutazioneFormMixin(InlineFormsMixin):
    """The form of a new (`creating`) or stored evaluation card (`instance`) with its actions."""

    template_name = "planning/scheda_valutazione_form.html"
    action = EDIT
    invalid_message = INVALID
    needs_unlocked = True
    creating = True
    form_class = f.SchedaValutazioneForm
    formsets = {"azioni": f.AzioneValutataFormSet}

    @property
    def valutazione(self) -> Valutazione:
        raise NotImplementedError

    def form_kwargs(self):
        return {"valutazione": self.valutazione}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("forms", self.build())
        if not self.creating:
            track(*context["forms"].values())  # each form carries its values as loaded (core.optimistic)
        context.update(valutazione=self.valutazione, scheda=self.instance, creating=self.creating)
        return context

    def save(self, forms):
        scheda = services.scheda_valutazione_save(
            valutazione=self.valutazione, scheda=forms["form"].save(commit=False), azioni=formset_rows(forms["azioni"])
        )
        messages.success(self.request, _("Scheda di valutazione salvata."))
        return redirect(scheda.get_absolute_url())


class SchedaValutazioneCreateView(SchedaValutazioneFormMixin, FormsCreateMixin, PianoMixin, TemplateView):
    """A new card of the plan's evaluation (404 while the plan has no evaluation)."""

    def trail(self, piano):
        return valutazione_trail(self.request.user, piano).then(_("Nuova scheda di valutazione"))

    @cached_property
    def valutazione(self) -> Valutazione:
        valutazione = valutazione_del_piano(self.piano)
        if valutazione is None:
            raise Http404
        return valutazione

    @cached_property
    def instance(self) -> SchedaValutazione:
        return SchedaValutazione(valutazione=self.valutazione)

    def check_scoped_object(self, obj) -> None:
        self.valutazione  # noqa: B018 - 404 before the 403 of a locked plan
        super().check_scoped_object(obj)


class SchedaValutazioneUpdateView(SchedaValutazioneFormMixin, FormsMergeMixin, SchedaMixin, TemplateView):
    creating = False

    def trail(self, piano):
        scheda = self.scheda
        return (
            valutazione_trail(self.request.user, piano).then(str(scheda), scheda.get_absolute_url()).then(_("Modifica"))
        )

    valutazione = scoped_path("valutazione")  # Valutazione

    @property
    def instance(self) -> SchedaValutazione:
        return self.scheda

    def get_merge_object(self) -> SchedaValutazione:
        return self.scheda


class SchedaRiproponiView(SchedaMixin, View):
    """POST: the evaluated objective becomes an objective of the new plan, linked to the card."""

    action = EDIT

    scoped_queryset = schede_queryset

    def post(self, request, *args, **kwargs):
        piano_assert_modificabile(self.piano)
        form = f.RiproponiForm(request.POST, piano=self.piano)
        if form.is_valid():
            try:
                obiettivo = services.scheda_valutazione_carry_forward(
                    scheda=self.scheda, area=form.cleaned_data["area"], titolo=form.cleaned_data["titolo"],
                    user=request.user,
                )  # fmt: skip
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request, _("Obiettivo riproposto nel piano: «%(o)s». La dimensione 8 ora è nota dal collegamento.")
                    % {"o": str(obiettivo)[:120]},
                )  # fmt: skip
        else:
            messages.error(request, _("Scegliere un'area valida."))
        return redirect(self.scheda.get_absolute_url())


class ContinuitaView(PianoMixin, TemplateView):
    """Carry forward: what the plan continues (links), and forms to take objectives or interventions of the
    earlier plans of the same Ambito into this one."""

    template_name = "planning/continuita.html"

    def trail(self, piano):
        return valutazione_trail(self.request.user, piano).then(_("Continuità"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        piano = self.piano
        valutazione = valutazione_del_piano(piano)
        modificabile = context["modificabile"]
        precedenti = piani_precedenti(piano, self.request.user)
        riprendi = modificabile and precedenti.exists()
        context.update(
            riprese=riprese_del_piano(piano),
            da_riproporre=schede_da_riproporre(valutazione) if valutazione else [],
            valutazione=valutazione,
            precedenti=precedenti,
            intervento_form=(
                kwargs.get("intervento_form") or f.RiprendiInterventoForm(piano=piano, precedenti=precedenti)
                if riprendi
                else None
            ),
            obiettivo_form=(
                kwargs.get("obiettivo_form") or f.RiprendiObiettivoForm(piano=piano, precedenti=precedenti)
                if riprendi
                else None
            ),
            riproponi_form=f.RiproponiForm(piano=piano) if modificabile else None,
            storia=riprese_storia(piano),
        )
        return context


class ContinuitaRiprendiView(PianoEditMixin, PianoMixin, View):
    """POST ?tipo=intervento|obiettivo: copy from an earlier plan of the Ambito, keeping the link."""

    def post(self, request, *args, **kwargs):
        tipo = request.POST.get("tipo")
        if tipo not in ("intervento", "obiettivo"):
            raise Http404
        precedenti = piani_precedenti(self.piano, request.user)
        try:
            if tipo == "intervento":
                return self.intervento_copy(precedenti)
            self.obiettivo_copy(precedenti)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("planning:continuita", slug=self.piano.slug)

    def intervento_copy(self, precedenti):
        form = f.RiprendiInterventoForm(self.request.POST, piano=self.piano, precedenti=precedenti)
        if not form.is_valid():
            raise ValidationError(_("Scegliere l'intervento e l'obiettivo del nuovo piano."))
        nuovo = services.intervento_copy(
            intervento=form.cleaned_data["intervento"], obiettivo=form.cleaned_data["obiettivo"], user=self.request.user
        )
        messages.success(self.request, _("Intervento ripreso: la continuità è registrata nella scheda."))
        return redirect(nuovo.get_absolute_url())

    def obiettivo_copy(self, precedenti) -> None:
        form = f.RiprendiObiettivoForm(self.request.POST, piano=self.piano, precedenti=precedenti)
        if not form.is_valid():
            raise ValidationError(_("Scegliere l'obiettivo da riprendere."))
        services.obiettivo_copy(
            obiettivo=form.cleaned_data["obiettivo"], piano=self.piano, area=form.cleaned_data["area"],
            user=self.request.user,
        )  # fmt: skip
        messages.success(self.request, _("Obiettivo ripreso nel piano."))
