"""Pages of the Piano di Zona. Every queryset goes through accounts.scoping.scope: what is outside the user's
Ambiti answers 404; edit views require EDIT (Ufficio di Piano), so the Dirigente gets 404 there too."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.scoping import EDIT, VIEW, can_on_ambito, scope
from accounts.sections import PIANI, section_page_trail, section_trail
from core.breadcrumbs import Trail
from core.exports import ExportMixin
from core.markdown import render_markdown
from core.optimistic import MergeOnSaveMixin, locked, merge_response, save_with_merge, track
from planning.navigation import capitolo_trail, interventi_trail, intervento_trail, piano_trail
from territory.models import Ambito

from ..models import (
    Area,
    AttoreRete,
    Azione,
    Capitolo,
    Fondo,
    Indicatore,
    Intervento,
    Leps,
    MacroArea,
    ModelloScheda,
    Obiettivo,
    PianoDiZona,
    PuntoChiave,
    Risorsa,
    ValoreCampo,
)
from . import forms as f
from .cards import intervento_scheda_queryset, scheda_righe
from .filtersets import AzioneFilterSet, InterventoFilterSet, RisorsaFilterSet
from .history import modifiche
from .selectors import (
    azioni_lista,
    interventi_lista,
    objective_tree,
    pnrr_totals,
    risorse_lista,
    risorse_per_fondo_anno,
    risorse_totali,
)
from .services import (
    motivo_modifica,
    piano_assert_modificabile,
    piano_cambia_stato,
    piano_crea,
    piano_modificabile,
    salva_con_motivo,
    variazione_aperta,
    variazione_apri,
    variazione_chiudi,
)
from .tables import AzioneTable, InterventoTable, RisorsaTable


def _pk(value: str) -> int:
    """URL kwargs are all named `slug` (see planning/urls.py); sub-objects use their numeric id."""
    if not str(value).isdigit():
        raise Http404
    return int(value)


class PianoContextMixin:
    """Adds the plan, what the user may do on it, the current Ambito for the header and the breadcrumb."""

    def trail(self, piano: PianoDiZona) -> Trail:
        """The page's breadcrumb (core.navigation): the plan's own page here; pages below the plan extend it."""
        return piano_trail(self.request.user, piano)

    def piano_context(self, piano: PianoDiZona) -> dict:
        self.request.ambito_corrente = piano.ambito
        can_edit = can_on_ambito(self.request.user, EDIT, piano.ambito)
        return {
            "piano": piano,
            "can_edit": can_edit,
            "modificabile": can_edit and piano_modificabile(piano),
            "variazione": variazione_aperta(piano),
            "breadcrumbs": self.trail(piano),
        }


class PianoMixin(PianoContextMixin):
    """Resolves the plan of the URL (slug) among those the user may see / change."""

    action = VIEW
    needs_unlocked = False

    @cached_property
    def piano(self) -> PianoDiZona:
        qs = scope(PianoDiZona.objects.select_related("ambito"), self.request.user, self.action)
        return get_object_or_404(qs, slug=self.kwargs["slug"])

    def dispatch(self, request, *args, **kwargs):
        self.piano  # noqa: B018 - 404 before anything else
        if self.needs_unlocked:
            piano_assert_modificabile(self.piano)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.piano_context(self.piano)}

    def export_filename(self) -> str:
        """Name of an exported table (core.exports.ExportMixin): the table's name and the plan's slug."""
        return f"{self.export_name}-{self.piano.slug}"

    def get_filterset_kwargs(self, filterset_class):
        """The filters of the plan's tables choose among the plan's own areas, objectives, ..."""
        return {**super().get_filterset_kwargs(filterset_class), "piano": self.piano}


# --- Plans ------------------------------------------------------------------------------------------------


class PianoListView(TemplateView):
    template_name = "planning/piano_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        piani = scope(PianoDiZona.objects.select_related("ambito", "ambito__parent"), user).annotate(
            n_interventi=Count("interventi")
        )
        return super().get_context_data(
            piani=piani,
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
            piano = piano_crea(
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


class PianoUpdateView(PianoMixin, MergeOnSaveMixin, FormView):
    """The plan's general data; concurrent saves are merged field by field (core.optimistic)."""

    template_name = "planning/piano_form.html"
    form_class = f.PianoForm
    action = EDIT
    needs_unlocked = True

    def trail(self, piano):
        return super().trail(piano).then(_("Dati generali"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.piano}

    def form_valid(self, form):
        piano = form.save(commit=False)
        salva_con_motivo(piano, piano)
        messages.success(self.request, _("Dati del piano aggiornati."))
        return redirect(piano.get_absolute_url())


class PianoStatoView(PianoMixin, View):
    action = EDIT

    def post(self, request, *args, **kwargs):
        form = f.StatoPianoForm(request.POST, piano=self.piano)
        if form.is_valid():
            data = dict(form.cleaned_data)
            stato = data.pop("stato")
            try:
                piano_cambia_stato(piano=self.piano, stato=stato, **data)
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
            v = variazione_apri(piano=self.piano, user=request.user, **form.cleaned_data)
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
        variazione_chiudi(variazione=variazione, user=request.user)
        messages.success(
            request, _("Variazione n. %(n)s chiusa: il piano è di nuovo in sola lettura.") % {"n": variazione.numero}
        )
        return redirect(self.piano.get_absolute_url())


# --- Chapters ---------------------------------------------------------------------------------------------


class ObjectMixin(PianoContextMixin):
    """Resolves a sub-object of a plan by id, scoped through the model's own scope path."""

    model = None
    action = VIEW
    needs_unlocked = False
    select = ("piano__ambito",)

    @cached_property
    def object(self):
        qs = scope(self.model.objects.select_related(*self.select), self.request.user, self.action)
        return get_object_or_404(qs, pk=_pk(self.kwargs["slug"]))

    @property
    def piano(self) -> PianoDiZona:
        return self.object.piano

    def dispatch(self, request, *args, **kwargs):
        self.object  # noqa: B018
        if self.needs_unlocked:
            piano_assert_modificabile(self.piano)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.piano_context(self.piano), "object": self.object}


class CapitoloDetailView(ObjectMixin, TemplateView):
    model = Capitolo
    template_name = "planning/capitolo_detail.html"

    def trail(self, piano):
        return capitolo_trail(self.request.user, self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["capitoli"] = self.piano.capitoli.only("pk", "titolo", "ordine", "piano_id")
        context["storia"] = modifiche([("", self.object.history.all())])
        return context


class CapitoloUpdateView(ObjectMixin, MergeOnSaveMixin, FormView):
    model = Capitolo
    action = EDIT
    needs_unlocked = True
    template_name = "planning/capitolo_form.html"
    form_class = f.CapitoloForm

    def trail(self, piano):
        return capitolo_trail(self.request.user, self.object).then(_("Modifica"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        capitolo = form.save(commit=False)
        salva_con_motivo(capitolo, self.piano)
        messages.success(self.request, _("Capitolo salvato."))
        return redirect(capitolo.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["anteprima"] = render_markdown(context["form"]["corpo"].value())
        return context


class CapitoloCreateView(PianoMixin, FormView):
    action = EDIT
    needs_unlocked = True
    template_name = "planning/capitolo_form.html"
    form_class = f.CapitoloForm

    def trail(self, piano):
        return super().trail(piano).then(_("Nuovo capitolo"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Capitolo(piano=self.piano)}  # the type is checked per plan

    def form_valid(self, form):
        capitolo = form.save(commit=False)
        capitolo.piano = self.piano
        salva_con_motivo(capitolo, self.piano)
        return redirect(capitolo.get_absolute_url())


class MarkdownAnteprimaView(View):
    """POST corpo → sanitised HTML (the chapter form's preview, via htmx)."""

    def post(self, request, *args, **kwargs):
        if not scope(Ambito.objects.all(), request.user, EDIT).exists():
            raise Http404
        return HttpResponse(render_markdown(request.POST.get("corpo", "")) or _("<p><em>Nessun testo.</em></p>"))


# --- Structure: areas and objectives ---------------------------------------------------------------------


class AreaFormView(PianoContextMixin, MergeOnSaveMixin, FormView):
    """Create (slug = plan) or edit (slug = area id) an area; edits are merged field by field (core.optimistic)."""

    template_name = "planning/struttura_form.html"
    form_class = f.AreaForm
    creating = True

    @cached_property
    def target(self):
        if self.creating:
            piano = get_object_or_404(
                scope(PianoDiZona.objects.select_related("ambito"), self.request.user, EDIT), slug=self.kwargs["slug"]
            )
            return piano, Area(piano=piano)
        area = get_object_or_404(
            scope(Area.objects.select_related("piano__ambito"), self.request.user, EDIT), pk=_pk(self.kwargs["slug"])
        )
        return area.piano, area

    def dispatch(self, request, *args, **kwargs):
        piano_assert_modificabile(self.target[0])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.target[1]}

    def form_valid(self, form):
        obj = form.save(commit=False)
        salva_con_motivo(obj, self.target[0])
        messages.success(self.request, _("Salvato."))
        return redirect(self.target[0].get_absolute_url() + "#struttura")

    @property
    def titolo_pagina(self) -> str:
        if self.form_class is f.AreaForm:
            return _("Nuova area") if self.creating else _("Modifica area")
        return _("Nuovo obiettivo") if self.creating else _("Modifica obiettivo")

    def trail(self, piano):
        return super().trail(piano).then(self.titolo_pagina)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.piano_context(self.target[0]))
        context["titolo_pagina"] = self.titolo_pagina
        return context


class ObiettivoFormView(AreaFormView):
    form_class = f.ObiettivoForm

    @cached_property
    def target(self):
        if self.creating:
            piano = get_object_or_404(
                scope(PianoDiZona.objects.select_related("ambito"), self.request.user, EDIT), slug=self.kwargs["slug"]
            )
            return piano, Obiettivo(piano=piano)
        obj = get_object_or_404(
            scope(Obiettivo.objects.select_related("piano__ambito"), self.request.user, EDIT),
            pk=_pk(self.kwargs["slug"]),
        )
        return obj.piano, obj

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "piano": self.target[0]}


# --- Interventions ----------------------------------------------------------------------------------------


class InterventoListView(PianoMixin, ExportMixin, SingleTableMixin, FilterView):
    template_name = "planning/intervento_list.html"
    table_class = InterventoTable
    filterset_class = InterventoFilterSet
    table_pagination = {"per_page": 50}
    export_name = "interventi"
    sheet_title = "Interventi"

    def trail(self, piano):
        return interventi_trail(self.request.user, piano)

    def get_queryset(self):
        return interventi_lista(self.piano)

    def get_table_kwargs(self):
        # The code column only when the plan uses codes (the Magentino cards have none).
        has_codes = self.piano.interventi.exclude(codice="").exists()
        return {"exclude": () if has_codes else ("codice",)}


class InterventoDetailView(ObjectMixin, TemplateView):
    model = Intervento
    template_name = "planning/intervento_detail.html"

    def trail(self, piano):
        return intervento_trail(self.request.user, self.object)

    @cached_property
    def object(self):
        qs = scope(intervento_scheda_queryset(), self.request.user, VIEW)
        return get_object_or_404(qs, pk=_pk(self.kwargs["slug"]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        intervento = self.object
        campi = {c.pk: c.etichetta for c in intervento.modello.campi.all()}
        context["righe"] = scheda_righe(intervento)
        context["storia"] = modifiche(
            [
                ("", intervento.history.all()),
                (_("Azione"), Azione.history.filter(intervento_id=intervento.pk), lambda r: r.titolo),
                (_("Indicatore"), Indicatore.history.filter(intervento_id=intervento.pk), lambda r: r.descrizione),
                (_("Risorsa"), Risorsa.history.filter(intervento_id=intervento.pk), lambda r: f"anno {r.anno}"),
                (
                    _("Campo"),
                    ValoreCampo.history.filter(intervento_id=intervento.pk),
                    lambda r: campi.get(r.campo_id, ""),
                ),
            ],
            creato_il=intervento.history.filter(history_type="+").values_list("history_date", flat=True).first(),
        )
        return context


class InterventoFormView(PianoContextMixin, TemplateView):
    """Create (slug = plan, ?modello=CODICE) or edit (slug = intervention id) a card with its inline rows."""

    template_name = "planning/intervento_form.html"
    creating = True

    def trail(self, piano):
        if self.creating:
            return interventi_trail(self.request.user, piano).then(_("Nuovo intervento"))
        return intervento_trail(self.request.user, self.target[1]).then(_("Modifica"))

    @cached_property
    def target(self):
        user = self.request.user
        if self.creating:
            piano = get_object_or_404(
                scope(PianoDiZona.objects.select_related("ambito"), user, EDIT), slug=self.kwargs["slug"]
            )
            codice = self.request.GET.get("modello") or self.request.POST.get("modello")
            modelli = ModelloScheda.objects.all()
            modello = modelli.filter(codice=codice).first() if codice else None
            if modello is None:
                used = piano.interventi.values_list("modello", flat=True).first()
                modello = modelli.filter(pk=used).first() or modelli.first()
            return piano, Intervento(piano=piano, modello=modello), modello
        obj = get_object_or_404(
            scope(Intervento.objects.select_related("piano__ambito", "modello"), user, EDIT),
            pk=_pk(self.kwargs["slug"]),
        )
        return obj.piano, obj, obj.modello

    def dispatch(self, request, *args, **kwargs):
        piano_assert_modificabile(self.target[0])
        return super().dispatch(request, *args, **kwargs)

    def build(self, data=None, intervento=None):
        piano, current, modello = self.target
        intervento = intervento or current
        campi = list(modello.campi.all())
        kw = {"piano": piano}
        return {
            "form": f.InterventoForm(data, instance=intervento, **kw),
            "valori_form": f.ValoriSchedaForm(
                data, modello=modello, intervento=intervento, campi=campi, prefix="campo"
            ),
            "azioni": f.AzioneFormSet(data, instance=intervento, prefix="azioni", **kw),
            "indicatori": f.IndicatoreFormSet(data, instance=intervento, prefix="indicatori", **kw),
            "risorse": f.RisorsaFormSet(data, instance=intervento, prefix="risorse", **kw),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        piano, intervento, modello = self.target
        context.update(self.piano_context(piano))
        context.setdefault("forms", self.build())
        if not self.creating:
            track(*context["forms"].values())  # each form carries its values as loaded (core.optimistic)
        context.update(
            intervento=intervento, modello=modello, creating=self.creating, modelli=ModelloScheda.objects.all()
        )
        return context

    def post(self, request, *args, **kwargs):
        piano, current, _modello = self.target
        if self.creating:
            forms = self.build(request.POST)
            if all(x.is_valid() for x in forms.values()):
                return self.saved(f_save(piano, forms))
            messages.error(request, _("La scheda non è stata salvata: correggere gli errori indicati."))
            return self.render_to_response(self.get_context_data(forms=forms))
        outcome = save_with_merge(
            data=request.POST,
            fetch=lambda for_update: locked(Intervento, current.pk, for_update),
            build=self.build,
            save=lambda forms: self.saved(f_save(piano, forms)),
        )
        return merge_response(
            request,
            outcome,
            lambda forms, **context: self.render_to_response(self.get_context_data(forms=forms, **context)),
            invalid_message=_("La scheda non è stata salvata: correggere gli errori indicati."),
        )

    def saved(self, intervento):
        messages.success(self.request, _("Scheda «%(t)s» salvata.") % {"t": intervento.titolo})
        return redirect(intervento.get_absolute_url())


def f_save(piano, forms):
    from .services import intervento_salva

    return intervento_salva(
        piano=piano,
        form=forms["form"],
        valori_form=forms["valori_form"],
        formsets=[forms["azioni"], forms["indicatori"], forms["risorse"]],
    )


class TargetIndicatoreView(ObjectMixin, TemplateView):
    """Yearly targets of one indicator (years must fall within the plan's period)."""

    model = Indicatore
    action = EDIT
    needs_unlocked = True
    select = ("intervento__piano__ambito",)
    template_name = "planning/indicatore_target.html"

    def trail(self, piano):
        return intervento_trail(self.request.user, self.object.intervento).then(_("Target dell'indicatore"))

    @property
    def piano(self):
        return self.object.intervento.piano

    def formset(self, data=None, indicatore=None):
        return f.TargetFormSet(data, instance=indicatore or self.object, prefix="target", piano=self.piano)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", self.formset())
        track(context["formset"])  # each row carries its values as loaded (core.optimistic)
        return context

    def post(self, request, *args, **kwargs):
        outcome = save_with_merge(
            data=request.POST,
            fetch=lambda for_update: locked(Indicatore, self.object.pk, for_update),
            build=lambda data, indicatore: {"formset": self.formset(data, indicatore)},
            save=lambda forms: self.save(forms["formset"]),
        )
        return merge_response(
            request,
            outcome,
            lambda forms, **context: self.render_to_response(self.get_context_data(**forms, **context)),
        )

    def save(self, formset):
        reason = motivo_modifica(self.piano)
        with transaction.atomic():
            for obj in formset.save(commit=False):
                obj._change_reason = reason
                obj.save()
            for obj in formset.deleted_objects:
                obj._change_reason = reason
                obj.delete()
        messages.success(self.request, _("Target salvati."))
        return redirect(self.object.intervento.get_absolute_url())


# --- Actions and resources --------------------------------------------------------------------------------


class AzioneListView(PianoMixin, ExportMixin, SingleTableMixin, FilterView):
    template_name = "planning/azione_list.html"
    table_class = AzioneTable
    filterset_class = AzioneFilterSet
    table_pagination = {"per_page": 100}
    export_name = "azioni"
    sheet_title = "Azioni"

    def trail(self, piano):
        return super().trail(piano).then(_("Azioni"))

    def get_queryset(self):
        return azioni_lista(self.piano)


class RisorsaListView(PianoMixin, ExportMixin, SingleTableMixin, FilterView):
    template_name = "planning/risorsa_list.html"
    table_class = RisorsaTable
    filterset_class = RisorsaFilterSet
    table_pagination = {"per_page": 100}
    export_name = "risorse"
    sheet_title = "Risorse"

    def trail(self, piano):
        return super().trail(piano).then(_("Risorse"))

    def get_queryset(self):
        return risorse_lista(self.piano)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtered = self.object_list
        context["totali"] = risorse_totali(filtered)
        context["per_fondo"] = risorse_per_fondo_anno(filtered, self.piano.anni)
        return context


# --- Network sections and catalogues ----------------------------------------------------------------------


class PianoSezioneView(PianoMixin, TemplateView):
    """Projects of the network, PNRR lines, gestione associata, governance (read; edited in the admin)."""

    sezione = ""
    TITOLI = {
        "progetti": "Progetti della rete",
        "pnrr": "PNRR",
        "gestione": "Gestione associata",
        "governance": "Governance",
    }

    def trail(self, piano):
        return super().trail(piano).then(self.TITOLI[self.sezione])

    def get_template_names(self):
        return [f"planning/piano_{self.sezione}.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        piano = self.piano
        if self.sezione == "progetti":
            context["righe"] = piano.progetti.select_related("area")
        elif self.sezione == "pnrr":
            pnrr = pnrr_totals(piano)
            context["righe"] = pnrr.linee
            context["totale"] = pnrr.totale
        elif self.sezione == "gestione":
            context["righe"] = piano.servizi_associati.select_related("area")
        elif self.sezione == "governance":
            context["righe"] = piano.governance.all()
        return context


class CataloghiView(TemplateView):
    template_name = "planning/cataloghi.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            breadcrumbs=section_trail(self.request.user, PIANI).then(_("Cataloghi")),
            fondi=Fondo.objects.all(),
            macro_aree=MacroArea.objects.prefetch_related(
                Prefetch("punti_chiave", queryset=PuntoChiave.objects.order_by("ordine"))
            ),
            altri_punti=PuntoChiave.objects.filter(macro_area__isnull=True).order_by("testo"),
            leps=Leps.objects.all(),
            modelli=ModelloScheda.objects.prefetch_related("campi"),
            attori=scope(AttoreRete.objects.select_related("ambito"), self.request.user),
            **kwargs,
        )
