"""Pages of the context facts of an Ambito: the spending analysis (per capita, tables computed from the facts,
discrepancies with the printed figures), the list of facts and of printed figures with filters and exports, one
table's page, and the forms of the Ufficio di Piano. Read with VIEW; changes need EDIT (404 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts.scoping import EDIT, ScopedInstanceMixin, ScopedObjectMixin, can_on_ambito, scoped_path
from core.form_views import NewInstanceMixin
from core.optimistic import MergeOnSaveMixin
from core.table_views import TablePage, TablePageView
from planning.navigation import contesto_trail
from territory.models import Ambito

from ..models import SpesaSociale, TabellaSpesa, ValoreStampato
from ..views import AmbitoMixin
from .charts import school_series_chart, spending_by_area, spending_by_fund
from .filtersets import SpesaSocialeFilterSet, ValoreStampatoFilterSet
from .forms import SpesaSocialeForm, ValoreStampatoForm
from .selectors import (
    printed_checks_by_id,
    school_series,
    spending_overview,
    spending_table,
    spese_lista,
    tabella_storia,
    valori_stampati_lista,
)
from .tables import SpesaSocialeTable, ValoreStampatoTable


class ContestoPageMixin:
    """A page of the context facts of its `ambito`, below «Spesa sociale» in the breadcrumb: the Ambito, whether
    the user may change its facts and the breadcrumb go to the context."""

    crumb = ""  # the page below «Spesa sociale» (none: the spending analysis itself)

    def page_crumb(self) -> str:
        return self.crumb

    @cached_property
    def can_edit(self) -> bool:
        return can_on_ambito(self.request.user, EDIT, self.ambito)

    def get_context_data(self, **kwargs):
        trail = contesto_trail(self.request.user, self.ambito)
        crumb = self.page_crumb()
        return {
            **super().get_context_data(**kwargs),
            "ambito": self.ambito,
            "can_edit": self.can_edit,
            "breadcrumbs": trail.then(crumb) if crumb else trail,
        }


class AmbitoBase(ContestoPageMixin, AmbitoMixin):
    """A page of the context facts of the Ambito of the URL."""


class ContestoView(AmbitoBase, TemplateView):
    """The spending analysis of the Ambito, computed from the facts, with every discrepancy shown."""

    template_name = "planning/contesto.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        serie = school_series(self.ambito)
        context.update(
            **spending_overview(self.ambito),
            charts=[c for c in (spending_by_area(self.ambito), spending_by_fund(self.ambito)) if c.rows],
            sub_ambiti=self.ambito.sub_ambiti.all(),
            serie_scolastiche=[(s, school_series_chart(s)) for s in serie],
        )
        return context


class AmbitoTableView(AmbitoBase, TablePageView):
    """A table of the Ambito's context facts; the edit links are left out of the exports."""

    def table_owner(self) -> Ambito:
        return self.ambito

    def get_table_kwargs(self):
        return {"can_edit": self.can_edit and not self.request.GET.get("_export")}


class SpesaListView(AmbitoTableView):
    crumb = "Dati"
    page = TablePage(
        "planning/spesa_list.html", SpesaSocialeTable, SpesaSocialeFilterSet, spese_lista, "Spesa sociale",
        export="spesa-sociale",
    )  # fmt: skip

    def filter_kwargs(self):
        return {"ambito": self.ambito}


class ValoreStampatoListView(AmbitoTableView):
    crumb = "Valori stampati"
    page = TablePage(
        "planning/valore_stampato_list.html", ValoreStampatoTable, ValoreStampatoFilterSet, valori_stampati_lista,
        "Valori stampati", export="valori-stampati",
    )  # fmt: skip

    @cached_property
    def checks(self) -> dict:
        return printed_checks_by_id(self.ambito)

    def filter_kwargs(self):
        return {"checks": self.checks}

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "checks": self.checks}


class TabellaSpesaDetailView(ContestoPageMixin, ScopedObjectMixin, TemplateView):
    template_name = "planning/tabella_spesa_detail.html"
    scoped_model = TabellaSpesa
    scoped_select_related = ("ambito", "area")
    ambito_attr = "ambito"

    tabella = scoped_path()  # TabellaSpesa
    ambito = scoped_path("ambito")  # Ambito

    def page_crumb(self) -> str:
        return self.tabella.codice

    def get_context_data(self, **kwargs):
        t = self.tabella
        return super().get_context_data(tabella=t, t=spending_table(t), storia=tabella_storia(t), **kwargs)


class ContestoFormMixin:
    """The form of a new (`creating`: URL `slug` = the Ambito) or stored (URL `pk`) object of the Ambito: EDIT is
    required (404 otherwise). Edits are merged field by field with what others saved meanwhile (core.optimistic)."""

    template_name = "planning/contesto_form.html"
    action = EDIT
    titolo = ""
    list_crumb = ("", "")  # the list the object belongs to: (label, URL name)

    # `ambito` (the Ambito of the page), `instance` (the object of the form) and `creating` come with each view
    # (core.form_views.NewInstanceMixin, accounts.scoping.ScopedInstanceMixin).

    def scoped_ambito(self) -> Ambito:
        return self.ambito

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance, "ambito": self.ambito}

    def get_context_data(self, **kwargs):
        ambito = self.ambito
        label, url_name = self.list_crumb
        trail = contesto_trail(self.request.user, ambito).then(label, reverse(url_name, args=[ambito.slug]))
        trail = trail.then(("Nuovo: " if self.creating else "Modifica: ") + self.titolo.lower())
        return super().get_context_data(
            ambito=ambito, titolo=self.titolo, creating=self.creating, breadcrumbs=trail, **kwargs
        )


class SpesaFormMixin(ContestoFormMixin):
    form_class = SpesaSocialeForm
    titolo = "Dato di spesa sociale"
    list_crumb = ("Dati", "planning:spesa_list")

    def get_initial(self):
        tabella = self.request.GET.get("tabella")
        return {"tabella": tabella} if tabella and tabella.isdigit() else {}

    def form_valid(self, form):
        obj = form.save()
        messages.success(self.request, _("Dato salvato: %(v)s %(a)s.") % {"v": obj.voce, "a": obj.anno})
        return redirect(obj.tabella.get_absolute_url())


class SpesaCreateView(SpesaFormMixin, NewInstanceMixin, AmbitoMixin, MergeOnSaveMixin, FormView):
    """A new spending fact of the Ambito."""


class SpesaUpdateView(SpesaFormMixin, ScopedInstanceMixin, MergeOnSaveMixin, FormView):
    scoped_model = SpesaSociale
    scoped_select_related = ("tabella__ambito__parent",)

    @cached_property
    def ambito(self) -> Ambito:
        """The table's Ambito, or its parent when the user edits the parent (the forms choose among its tables)."""
        ambito = self.instance.tabella.ambito
        return ambito.parent if ambito.parent_id and can_on_ambito(self.request.user, EDIT, ambito.parent) else ambito


class ValoreStampatoFormMixin(ContestoFormMixin):
    form_class = ValoreStampatoForm
    titolo = "Valore stampato (nota)"
    list_crumb = ("Valori stampati", "planning:valore_stampato_list")

    def form_valid(self, form):
        obj = form.save(commit=False)
        if obj.ambito_id is None:
            obj.ambito = self.ambito
        obj.save()
        messages.success(self.request, _("Valore stampato salvato: il confronto è aggiornato."))
        return redirect("planning:valore_stampato_list", slug=obj.ambito.slug)


class ValoreStampatoCreateView(ValoreStampatoFormMixin, NewInstanceMixin, AmbitoMixin, MergeOnSaveMixin, FormView):
    """A new printed value of the Ambito."""


class ValoreStampatoUpdateView(ValoreStampatoFormMixin, ScopedInstanceMixin, MergeOnSaveMixin, FormView):
    scoped_model = ValoreStampato
    scoped_select_related = ("ambito",)

    @property
    def ambito(self) -> Ambito:
        return self.instance.ambito
