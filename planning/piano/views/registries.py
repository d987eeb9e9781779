"""The plan's registries edited in the portal: projects of the network, PNRR lines (with their amount items),
services in gestione associata and governance bodies.

Each registry has a list page (filters, table, CSV/XLSX export of the filtered rows: core.table_views) and the pages
that create, change and delete a row. Whoever reads the plan but may not change it (Dirigente, Regione) gets 403 on
those pages; whoever does not read the plan (Operatore, another Ambito) gets 404, as on every page of the plan. A
locked plan refuses changes with the message of the interventions (services.piano_assert_modificabile); concurrent
edits are merged field by field (core.optimistic); every change is recorded with its user (django-simple-history).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from accounts.scoping import EDIT, can_on_ambito
from core.form_views import FormsCreateMixin, FormsMergeMixin, InlineFormsMixin
from core.optimistic import MergeOnSaveMixin, track
from core.table_views import TablePage, TablePageView

from ...inline_rows import formset_rows
from ...models import LineaPNRR, OrganismoGovernance, Progetto, ServizioAssociato
from .. import filtersets as fs
from .. import forms as f
from .. import selectors as sel
from .. import tables as t
from ..services import piano_modificabile, registro_delete, registro_save
from .mixins import PianoMixin, PianoPartMixin


@dataclass(frozen=True)
class Registro:
    """One of the plan's registries: its list page's tab and URL name (`lista`), the URL names of its rows
    (`<riga>_create`, `_update`, `_delete`), its model and form, and the words of its pages."""

    tab: str
    lista: str
    riga: str
    model: type[Model]
    form: type[f.RegistroForm]
    titolo: str  # the list page's title
    nuovo: str  # the label of the creation page and button
    nome: str  # a row, after «Modifica» / «Elimina»


PROGETTI = Registro(
    "progetti", "piano_progetti", "progetto", Progetto, f.ProgettoForm,
    gettext_lazy("Progetti della rete"), gettext_lazy("Nuovo progetto"), gettext_lazy("il progetto"),
)  # fmt: skip
PNRR = Registro(
    "pnrr", "piano_pnrr", "linea_pnrr", LineaPNRR, f.LineaPNRRForm,
    gettext_lazy("Linee PNRR Missione 5 Componente 2"), gettext_lazy("Nuova linea PNRR"), gettext_lazy("la linea"),
)  # fmt: skip
GESTIONE = Registro(
    "gestione", "piano_gestione", "servizio_associato", ServizioAssociato, f.ServizioAssociatoForm,
    gettext_lazy("Servizi in gestione associata"), gettext_lazy("Nuovo servizio"), gettext_lazy("il servizio"),
)  # fmt: skip
GOVERNANCE = Registro(
    "governance", "piano_governance", "organismo_governance", OrganismoGovernance, f.OrganismoGovernanceForm,
    gettext_lazy("Strumenti e organismi di governance"), gettext_lazy("Nuovo organismo"),
    gettext_lazy("l'organismo"),
)  # fmt: skip

NOT_EDITOR = gettext_lazy("Solo l'Ufficio di Piano dell'Ambito modifica le sezioni del piano.")
INVALID = gettext_lazy("La riga non è stata salvata: correggere gli errori indicati.")


# --- List pages -----------------------------------------------------------------------------------------


class RegistroListView(PianoMixin, TablePageView):
    """A registry's rows with filters and exports; the «Azioni» column and the «Nuovo» button for who may change
    the plan now."""

    registro: ClassVar[Registro]

    def trail(self, piano):
        return super().trail(piano).then(self.registro.titolo)

    @cached_property
    def modificabile(self) -> bool:
        return can_on_ambito(self.request.user, EDIT, self.piano.ambito) and piano_modificabile(self.piano)

    def get_table_kwargs(self):
        return {} if self.modificabile else {"exclude": ("azioni",)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "registro": self.registro}


class ProgettoListView(RegistroListView):
    registro = PROGETTI
    page = TablePage(
        "planning/piano_progetti.html", t.ProgettoTable, fs.ProgettoFilterSet, sel.progetti_lista,
        "Progetti della rete", export="progetti",
    )  # fmt: skip


class LineaPNRRListView(RegistroListView):
    registro = PNRR
    page = TablePage(
        "planning/piano_pnrr.html", t.LineaPNRRTable, fs.LineaPNRRFilterSet, sel.linee_pnrr_lista, "Linee PNRR",
        export="pnrr",
    )  # fmt: skip

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totale"] = sel.linee_pnrr_totale(self.object_list)
        return context


class ServizioAssociatoListView(RegistroListView):
    registro = GESTIONE
    page = TablePage(
        "planning/piano_gestione.html", t.ServizioAssociatoTable, fs.ServizioAssociatoFilterSet,
        sel.servizi_associati_lista, "Gestione associata", export="gestione-associata",
    )  # fmt: skip


class OrganismoGovernanceListView(RegistroListView):
    registro = GOVERNANCE
    page = TablePage(
        "planning/piano_governance.html", t.OrganismoGovernanceTable, fs.OrganismoGovernanceFilterSet,
        sel.governance_lista, "Governance", export="governance",
    )  # fmt: skip


# --- Create, update, delete -----------------------------------------------------------------------------


class RegistroEditMixin:
    """A page that changes a registry: the plan is read with VIEW (404 for who does not read it), then 403 for
    who may not change it and, on a locked plan, the 403 of the interventions. It goes before the plan's mixin."""

    registro: ClassVar[Registro]
    needs_unlocked = True
    creating = True

    request: Any
    piano: Any

    def check_scoped_object(self, obj) -> None:
        if not can_on_ambito(self.request.user, EDIT, self.piano.ambito):
            raise PermissionDenied(NOT_EDITOR)
        super().check_scoped_object(obj)  # type: ignore[misc]

    def list_url(self) -> str:
        return reverse(f"planning:{self.registro.lista}", args=[self.piano.slug])

    @property
    def titolo_pagina(self) -> str:
        if self.creating:
            return str(self.registro.nuovo)
        return _("Modifica %(nome)s «%(riga)s»") % {"nome": self.registro.nome, "riga": self.object}  # type: ignore[attr-defined]

    def trail(self, piano):
        return super().trail(piano).then(self.registro.titolo, self.list_url()).then(self.titolo_pagina)  # type: ignore[misc]

    def registro_context(self) -> dict:
        context = {"registro": self.registro, "titolo_pagina": self.titolo_pagina, "annulla": self.list_url()}
        if not self.creating:
            context["storia"] = sel.registro_storia(self.object)  # type: ignore[attr-defined]
        return context

    @cached_property
    def instance(self) -> Model:
        """The row of the page: a new one of the plan, or the one of the URL."""
        return self.registro.model(piano=self.piano) if self.creating else self.object  # type: ignore[attr-defined]

    def form_kwargs(self) -> dict:
        """What the row's form needs besides the data: the plan (its choices, its years)."""
        return {"piano": self.piano}

    def formset_kwargs(self) -> dict:
        """The same for the inline rows of a row (the items of a PNRR line)."""
        return {"piano": self.piano}

    def saved(self, riga) -> Any:
        messages.success(self.request, _("Riga salvata: «%(riga)s».") % {"riga": riga})
        return redirect(self.list_url())


class RegistroFormMixin(RegistroEditMixin):
    """The form of a project, a service or a governance body, new or stored (`instance`)."""

    template_name = "planning/registro_form.html"

    def get_form_class(self):
        return self.registro.form

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance, **self.form_kwargs()}  # type: ignore[misc]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.registro_context()}  # type: ignore[misc]

    def form_valid(self, form):
        riga = registro_save(piano=self.piano, riga=form.save(commit=False), dati=form.cleaned_data)
        return self.saved(riga)


class RegistroCreateView(RegistroFormMixin, PianoMixin, FormView):
    pass


class RegistroUpdateView(RegistroFormMixin, PianoPartMixin, MergeOnSaveMixin, FormView):
    creating = False


class LineaPNRRFormMixin(RegistroEditMixin, InlineFormsMixin):
    """The form of a PNRR line (`instance`) with its amount items as inline rows."""

    template_name = "planning/registro_form.html"
    registro = PNRR
    invalid_message = INVALID
    form_class = f.LineaPNRRForm
    formsets = {"voci": f.VocePNRRFormSet}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        forms = context.setdefault("forms", self.build())
        if not self.creating:
            track(*forms.values())  # each form carries its values as loaded (core.optimistic)
        context.update(form=forms["form"], voci=forms["voci"], **self.registro_context())
        return context

    def save(self, forms):
        form = forms["form"]
        riga = registro_save(
            piano=self.piano, riga=form.save(commit=False), dati=form.cleaned_data, voci=formset_rows(forms["voci"])
        )
        return self.saved(riga)


class LineaPNRRCreateView(LineaPNRRFormMixin, FormsCreateMixin, PianoMixin, TemplateView):
    """A new PNRR line of the plan, with its items."""


class LineaPNRRUpdateView(LineaPNRRFormMixin, FormsMergeMixin, PianoPartMixin, TemplateView):
    scoped_model = LineaPNRR
    creating = False

    def get_merge_object(self) -> LineaPNRR:
        return self.object


class RegistroDeleteView(RegistroEditMixin, PianoPartMixin, TemplateView):
    """Confirmation page (GET) and deletion (POST) of a registry row."""

    template_name = "planning/registro_confirm_delete.html"
    creating = False

    @property
    def titolo_pagina(self) -> str:
        return _("Elimina %(nome)s «%(riga)s»") % {"nome": self.registro.nome, "riga": self.object}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "registro": self.registro, "titolo_pagina": self.titolo_pagina}

    def post(self, request, *args, **kwargs):
        nome = str(self.object)
        registro_delete(piano=self.piano, riga=self.object)
        messages.success(request, _("Riga eliminata: «%(riga)s».") % {"riga": nome})
        return redirect(self.list_url())


def registro_views(registro: Registro, create: type, update: type) -> dict[str, Any]:
    """The create, update and delete views of `registro` (URL name suffix → view)."""
    attrs = {"registro": registro}
    scoped = {**attrs, "scoped_model": registro.model}
    return {
        "create": type(f"{registro.model.__name__}CreateView", (create,), attrs).as_view(),
        "update": type(f"{registro.model.__name__}UpdateView", (update,), scoped).as_view(),
        "delete": type(f"{registro.model.__name__}DeleteView", (RegistroDeleteView,), scoped).as_view(),
    }


VIEWS = {
    PROGETTI.riga: registro_views(PROGETTI, RegistroCreateView, RegistroUpdateView),
    PNRR.riga: registro_views(PNRR, LineaPNRRCreateView, LineaPNRRUpdateView),
    GESTIONE.riga: registro_views(GESTIONE, RegistroCreateView, RegistroUpdateView),
    GOVERNANCE.riga: registro_views(GOVERNANCE, RegistroCreateView, RegistroUpdateView),
}
