"""Pages of the context facts of an Ambito: the spending analysis (per capita, tables computed from the facts,
discrepancies with the printed figures), the list of facts and of printed figures with filters and exports, one
table's page, and the forms of the Ufficio di Piano. Read with VIEW; changes need EDIT (404 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.scoping import EDIT, VIEW, can_on_ambito, scope
from core.exports import ExportMixin
from core.optimistic import MergeOnSaveMixin
from planning.navigation import contesto_trail
from territory.models import Ambito

from ..models import SpesaSociale, TabellaSpesa, ValoreStampato
from ..piano.history import modifiche
from ..piano.views import _pk
from .charts import spending_by_area, spending_by_fund
from .filtersets import SpesaSocialeFilterSet, ValoreStampatoFilterSet
from .forms import SpesaSocialeForm, ValoreStampatoForm
from .selectors import per_capita, printed_checks, spending_tables
from .tables import SpesaSocialeTable, ValoreStampatoTable


class AmbitoBase:
    action = VIEW

    @cached_property
    def ambito(self) -> Ambito:
        qs = scope(Ambito.objects.select_related("parent"), self.request.user, self.action)
        return get_object_or_404(qs, slug=self.kwargs["slug"])

    @cached_property
    def can_edit(self) -> bool:
        return can_on_ambito(self.request.user, EDIT, self.ambito)

    crumb = ""  # the page below «Spesa sociale» (none: the spending analysis itself)

    def dispatch(self, request, *args, **kwargs):
        request.ambito_corrente = self.ambito
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        trail = contesto_trail(self.request.user, self.ambito)
        return {
            **super().get_context_data(**kwargs),
            "ambito": self.ambito,
            "can_edit": self.can_edit,
            "breadcrumbs": trail.then(self.crumb) if self.crumb else trail,
        }


class ContestoView(AmbitoBase, TemplateView):
    """The spending analysis of the Ambito, computed from the facts, with every discrepancy shown."""

    template_name = "planning/contesto.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tables = spending_tables(self.ambito)
        procapite = per_capita(self.ambito)
        checks = printed_checks(self.ambito)
        other_checks = [c for c in checks if c.oggetto.tabella_id is None and c.oggetto.grandezza != "pro_capite"]
        discrepanze = [c for c in checks if c.difforme] + [c for t in tables for c in t.discrepanze if not c.stampato]
        context.update(
            tabelle=tables,
            procapite=procapite,
            altri_controlli=other_checks,
            discrepanze=discrepanze,
            charts=[c for c in (spending_by_area(self.ambito), spending_by_fund(self.ambito)) if c.rows],
            sub_ambiti=self.ambito.sub_ambiti.all(),
        )
        return context


class SpesaListView(AmbitoBase, ExportMixin, SingleTableMixin, FilterView):
    template_name = "planning/spesa_list.html"
    crumb = "Dati"
    table_class = SpesaSocialeTable
    filterset_class = SpesaSocialeFilterSet
    table_pagination = {"per_page": 100}
    sheet_title = "Spesa sociale"

    def export_filename(self) -> str:
        return f"spesa-sociale-{self.ambito.slug}"

    def get_queryset(self):
        return (
            SpesaSociale.objects.filter(tabella__ambito_id__in=self.ambito.with_sub_ambiti_ids())
            .select_related("tabella__ambito", "voce__area")
            .order_by("tabella__ambito__nome", "tabella__ordine", "voce__ordine", "anno")
        )

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "ambito": self.ambito}

    def get_table_kwargs(self):
        return {"can_edit": self.can_edit and not self.request.GET.get("_export")}


class ValoreStampatoListView(AmbitoBase, ExportMixin, SingleTableMixin, FilterView):
    template_name = "planning/valore_stampato_list.html"
    crumb = "Valori stampati"
    table_class = ValoreStampatoTable
    filterset_class = ValoreStampatoFilterSet
    table_pagination = {"per_page": 100}
    sheet_title = "Valori stampati"

    @cached_property
    def checks(self) -> dict:
        return {c.oggetto.pk: c for c in printed_checks(self.ambito)}

    def export_filename(self) -> str:
        return f"valori-stampati-{self.ambito.slug}"

    def get_queryset(self):
        return ValoreStampato.objects.filter(ambito_id__in=self.ambito.with_sub_ambiti_ids()).order_by(
            "ambito__nome", "riferimento", "anno", "pk"
        )

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "checks": self.checks}

    def get_table_kwargs(self):
        return {"checks": self.checks, "can_edit": self.can_edit and not self.request.GET.get("_export")}


class TabellaSpesaDetailView(TemplateView):
    template_name = "planning/tabella_spesa_detail.html"

    @cached_property
    def tabella(self) -> TabellaSpesa:
        qs = scope(TabellaSpesa.objects.select_related("ambito", "area"), self.request.user, VIEW)
        return get_object_or_404(qs, pk=_pk(self.kwargs["slug"]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        t = self.tabella
        self.request.ambito_corrente = t.ambito
        computed = next(x for x in spending_tables(t.ambito) if x.tabella.pk == t.pk)
        context.update(
            tabella=t,
            t=computed,
            ambito=t.ambito,
            can_edit=can_on_ambito(self.request.user, EDIT, t.ambito),
            breadcrumbs=contesto_trail(self.request.user, t.ambito).then(t.codice),
            storia=modifiche(
                [
                    ("Tabella", t.history.all(), lambda r: r.codice),
                    (
                        "Dato",
                        SpesaSociale.history.filter(tabella_id=t.pk).select_related("voce"),
                        lambda r: f"{r.voce.nome if r.voce_id else ''} {r.anno}",
                    ),
                    (
                        "Valore stampato",
                        ValoreStampato.history.filter(tabella_id=t.pk),
                        lambda r: f"{r.etichetta} {r.anno}",
                    ),
                ],
                limit=40,
            ),
        )
        return context


class _EditBase(MergeOnSaveMixin, FormView):
    """Create (slug = Ambito) or edit (slug = id) an object of the Ambito: EDIT is required (404 otherwise).
    Edits are merged field by field with what others saved meanwhile (core.optimistic)."""

    model = None
    creating = True
    titolo = ""
    list_crumb = ("", "")  # the list the object belongs to: (label, URL name)

    @cached_property
    def target(self):
        user = self.request.user
        if self.creating:
            ambito = get_object_or_404(scope(Ambito.objects.all(), user, EDIT), slug=self.kwargs["slug"])
            return ambito, self.model()
        obj = get_object_or_404(scope(self.model.objects.all(), user, EDIT), pk=_pk(self.kwargs["slug"]))
        return self.ambito_of(obj), obj

    def ambito_of(self, obj) -> Ambito:
        raise NotImplementedError

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.target[1], "ambito": self.target[0]}

    def get_context_data(self, **kwargs):
        ambito = self.target[0]
        self.request.ambito_corrente = ambito
        label, url_name = self.list_crumb
        trail = contesto_trail(self.request.user, ambito).then(label, reverse(url_name, args=[ambito.slug]))
        trail = trail.then(("Nuovo: " if self.creating else "Modifica: ") + self.titolo.lower())
        return super().get_context_data(
            ambito=ambito, titolo=self.titolo, creating=self.creating, breadcrumbs=trail, **kwargs
        )


class SpesaFormView(_EditBase):
    model = SpesaSociale
    template_name = "planning/contesto_form.html"
    form_class = SpesaSocialeForm
    titolo = "Dato di spesa sociale"
    list_crumb = ("Dati", "planning:spesa_list")

    def ambito_of(self, obj) -> Ambito:
        ambito = obj.tabella.ambito
        return ambito.parent if ambito.parent_id and can_on_ambito(self.request.user, EDIT, ambito.parent) else ambito

    def get_initial(self):
        tabella = self.request.GET.get("tabella")
        return {"tabella": tabella} if tabella and tabella.isdigit() else {}

    def form_valid(self, form):
        obj = form.save()
        messages.success(self.request, _("Dato salvato: %(v)s %(a)s.") % {"v": obj.voce, "a": obj.anno})
        return redirect(obj.tabella.get_absolute_url())


class ValoreStampatoFormView(_EditBase):
    model = ValoreStampato
    template_name = "planning/contesto_form.html"
    form_class = ValoreStampatoForm
    titolo = "Valore stampato (nota)"
    list_crumb = ("Valori stampati", "planning:valore_stampato_list")

    def ambito_of(self, obj) -> Ambito:
        return obj.ambito

    def form_valid(self, form):
        obj = form.save(commit=False)
        if obj.ambito_id is None:
            obj.ambito = self.target[0]
        obj.save()
        messages.success(self.request, _("Valore stampato salvato: il confronto è aggiornato."))
        return redirect("planning:valore_stampato_list", slug=obj.ambito.slug)
