"""Pages of the intervention cards: the card (every field of its template, with history), the card form (core
fields, the template's answers, actions, indicators and resources as inline rows) and an indicator's yearly
targets. Changes need EDIT and a modifiable plan; concurrent edits are merged (core.optimistic)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.scoping import EDIT, scoped_path
from core.form_views import FormsCreateMixin, FormsMergeMixin
from core.optimistic import track
from planning.navigation import interventi_trail, intervento_trail

from ...inline_rows import formset_rows
from ...models import Indicatore, Intervento, ModelloIntervento
from .. import forms as f
from ..cards import intervento_scheda_queryset, scheda_righe
from ..selectors import intervento_storia, modello_per_intervento
from ..services import intervento_save, target_save
from .mixins import PianoEditMixin, PianoMixin, PianoPartMixin

INVALID = gettext_lazy("La scheda non è stata salvata: correggere gli errori indicati.")


class InterventoDetailView(PianoPartMixin, TemplateView):
    template_name = "planning/intervento_detail.html"

    scoped_queryset = intervento_scheda_queryset

    def trail(self, piano):
        return intervento_trail(self.request.user, self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["righe"] = scheda_righe(self.object)
        context["storia"] = intervento_storia(self.object)
        righe = list(self.object.righe_bilancio.select_related("assegnazione__fondo"))  # the plan's budget lines
        context["righe_bilancio"] = righe
        context["totale_bilancio"] = sum((r.importo for r in righe), Decimal(0))
        return context


class InterventoFormMixin:
    """The card form of a new (`creating`) or stored intervention, saved with its rows by `intervento_save`."""

    template_name = "planning/intervento_form.html"
    action = EDIT
    invalid_message = INVALID
    needs_unlocked = True
    creating = True

    @property
    def intervento(self) -> Intervento:
        raise NotImplementedError

    @property
    def modello(self) -> ModelloIntervento | None:
        return self.intervento.modello

    def build(self, data=None, intervento=None):
        piano, modello = self.piano, self.modello
        intervento = intervento or self.intervento
        kw = {"piano": piano}
        return {
            "form": f.InterventoForm(data, instance=intervento, **kw),
            "valori_form": f.ValoriSchedaForm(
                data, modello=modello, intervento=intervento, campi=list(modello.campi.all()), prefix="campo"
            ),
            "azioni": f.AzioneFormSet(data, instance=intervento, prefix="azioni", **kw),
            "indicatori": f.IndicatoreFormSet(data, instance=intervento, prefix="indicatori", **kw),
            "risorse": f.RisorsaFormSet(data, instance=intervento, prefix="risorse", **kw),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("forms", self.build())
        if not self.creating:
            track(*context["forms"].values())  # each form carries its values as loaded (core.optimistic)
        context.update(
            intervento=self.intervento,
            modello=self.modello,
            creating=self.creating,
            modelli=ModelloIntervento.objects.all(),
        )
        return context

    def save(self, forms):
        form, valori_form = forms["form"], forms["valori_form"]
        intervento = intervento_save(
            piano=self.piano,
            intervento=form.save(commit=False),
            dati=form.cleaned_data,
            campi=valori_form.campi,
            valori=valori_form.cleaned_data,
            righe=[formset_rows(forms[name]) for name in ("azioni", "indicatori", "risorse")],
        )
        messages.success(self.request, _("Scheda «%(t)s» salvata.") % {"t": intervento.titolo})
        return redirect(intervento.get_absolute_url())


class InterventoCreateView(InterventoFormMixin, FormsCreateMixin, PianoMixin, TemplateView):
    """A new card of the plan, on the template chosen with ?modello=CODICE (else the plan's usual one)."""

    def trail(self, piano):
        return interventi_trail(self.request.user, piano).then(_("Nuovo intervento"))

    @cached_property
    def modello(self) -> ModelloIntervento | None:
        return modello_per_intervento(self.piano, self.request.GET.get("modello") or self.request.POST.get("modello"))

    @cached_property
    def intervento(self) -> Intervento:
        return Intervento(piano=self.piano, modello=self.modello)


class InterventoUpdateView(InterventoFormMixin, FormsMergeMixin, PianoPartMixin, TemplateView):
    scoped_model = Intervento
    scoped_select_related = ("piano__ambito", "modello")
    creating = False

    def trail(self, piano):
        return intervento_trail(self.request.user, self.object).then(_("Modifica"))

    @property
    def intervento(self) -> Intervento:
        return self.object

    def get_merge_object(self) -> Intervento:
        return self.object


class TargetIndicatoreView(PianoEditMixin, FormsMergeMixin, PianoPartMixin, TemplateView):
    """Yearly targets of one indicator (years must fall within the plan's period)."""

    scoped_model = Indicatore
    scoped_select_related = ("intervento__piano__ambito",)
    template_name = "planning/indicatore_target.html"

    def trail(self, piano):
        return intervento_trail(self.request.user, self.object.intervento).then(_("Target dell'indicatore"))

    piano = scoped_path("intervento.piano")

    def formset(self, data=None, indicatore=None):
        return f.TargetFormSet(data, instance=indicatore or self.object, prefix="target", piano=self.piano)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", self.formset())
        track(context["formset"])  # each row carries its values as loaded (core.optimistic)
        return context

    def get_merge_object(self) -> Indicatore:
        return self.object

    def build(self, data=None, indicatore=None):
        return {"formset": self.formset(data, indicatore)}

    def render_forms(self, forms, **context):
        return self.render_to_response(self.get_context_data(**forms, **context))

    def save(self, forms):
        formset = forms["formset"]
        target_save(piano=self.piano, indicatore=formset.instance, righe=formset_rows(formset))
        messages.success(self.request, _("Target salvati."))
        return redirect(self.object.intervento.get_absolute_url())
