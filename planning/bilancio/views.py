"""Pages of the plan's budget (issue 14): the budget (totals by area and by fund, allocations, lines), the forms of
an allocation and of a line, a line's page with its commitments and payments, the Comuni's shares (the rule, the
table, one Comune's page) and the quotas at risk.

Who does what: the Ufficio di Piano (EDIT on the plan's Ambito) changes a modifiable plan; the Dirigente reads and
gets 403 on every change; a user of another Ambito and the Operatore comunale get 404, except the Operatore on the
shares of its own Comune. Money checks are the services' (planning.bilancio.services): their ValidationError is
shown on the field it names. Two people saving the same allocation, line or rule at once: each one's changes are
kept, a field both changed is chosen on the conflict page (core.optimistic).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts.scoping import EDIT, VIEW, can_on_ambito
from core.optimistic import MergeOnSaveMixin
from planning.navigation import bilancio_trail, comune_trail, piano_trail, quote_trail
from territory.models import Comune
from territory.selectors import ambito_comuni

from ..models import Assegnazione, MetodoQuote, PianoDiZona, QuotaComune, RegolaQuote, RigaBilancio
from ..piano.services import piano_assert_modificabile
from ..piano.views.mixins import PianoContextMixin, PianoMixin, PianoPartMixin
from . import forms as f
from . import selectors, services

ZERO = Decimal(0)


def assert_can_edit(user, piano: PianoDiZona) -> None:
    """403 for who reads the plan without EDIT on its Ambito, and on a locked plan (PianoBloccato)."""
    if not can_on_ambito(user, EDIT, piano.ambito):
        raise PermissionDenied(_("Solo l'Ufficio di Piano modifica il bilancio del piano."))
    piano_assert_modificabile(piano)


class BilancioEditMixin:
    """A page that changes the budget: the object is looked up among those the user reads (404 otherwise), then
    403 without EDIT or on a locked plan. It goes before the mixin that names the plan."""

    request: object
    piano: PianoDiZona

    def check_scoped_object(self, obj) -> None:
        assert_can_edit(self.request.user, self.piano)  # type: ignore[attr-defined]


class PostEditMixin:
    """A reading page with a form for the Ufficio di Piano: GET for who reads, POST only with EDIT (403)."""

    def post(self, request, *args, **kwargs):
        assert_can_edit(request.user, self.piano)  # type: ignore[attr-defined]
        return super().post(request, *args, **kwargs)  # type: ignore[misc]


# --- The budget ------------------------------------------------------------------------------------------------


class BilancioView(PianoMixin, TemplateView):
    """«Bilancio del piano»: totals by area × year and by fund × year, the allocations and the lines."""

    template_name = "planning/bilancio/bilancio.html"

    def trail(self, piano):
        return piano_trail(self.request.user, piano).then(_("Bilancio"))

    def get_context_data(self, **kwargs):
        piano = self.piano
        return super().get_context_data(
            per_area=selectors.totale_per_area(piano),
            per_fondo=selectors.totale_per_fondo(piano),
            assegnazioni=selectors.assegnazioni_con_movimenti(piano),
            righe=list(selectors.righe(piano)),
            **kwargs,
        )


class BilancioFormMixin(BilancioEditMixin):
    """The form of an allocation or of a budget line (created or changed): its title (`titolo_pagina`) in the
    trail and on the page, «Annulla» back to the budget. The form takes the object and the plan."""

    template_name = "planning/bilancio/form.html"
    creating = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        return {**kwargs, "instance": self.instance, "piano": self.piano}  # type: ignore[attr-defined]

    def trail(self, piano):
        return bilancio_trail(self.request.user, piano).then(self.titolo_pagina)  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),  # type: ignore[misc]
            "titolo_pagina": self.titolo_pagina,  # type: ignore[attr-defined]
            "annulla": reverse("planning:bilancio", args=[self.piano.slug]),
        }


class AssegnazioneFormMixin(BilancioFormMixin):
    form_class = f.AssegnazioneForm

    @cached_property
    def instance(self) -> Assegnazione:
        return Assegnazione(piano=self.piano) if self.creating else self.object  # type: ignore[attr-defined]

    @property
    def titolo_pagina(self) -> str:
        return (
            _("Nuova assegnazione di un fondo")
            if self.creating
            else _("Modifica dell'assegnazione %(a)s") % {"a": self.instance}
        )

    def form_valid(self, form):
        assegnazione = form.save(commit=False)
        try:  # the areas go to the service, which checks the lines against them before saving anything
            services.assegnazione_save(
                assegnazione=assegnazione,
                aree=form.cleaned_data["aree"],
                user=self.request.user,  # type: ignore[attr-defined]
            )
        except ValidationError as error:
            f.add_service_errors(form, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, _("Assegnazione «%(a)s» salvata.") % {"a": assegnazione})  # type: ignore[arg-type]
        return redirect(reverse("planning:bilancio", args=[self.piano.slug]) + "#assegnazioni")


class AssegnazioneCreateView(AssegnazioneFormMixin, PianoMixin, FormView):
    pass


class AssegnazioneUpdateView(AssegnazioneFormMixin, PianoPartMixin, MergeOnSaveMixin, FormView):
    """A stored allocation: two people saving at once keep each one's changes (core.optimistic)."""

    scoped_model = Assegnazione
    scoped_select_related = ("piano__ambito", "fondo")
    creating = False


class RigaFormMixin(BilancioFormMixin):
    form_class = f.RigaBilancioForm

    @cached_property
    def instance(self) -> RigaBilancio:
        if not self.creating:
            return self.object  # type: ignore[attr-defined]
        riga = RigaBilancio(piano=self.piano)
        intervento = self.request.GET.get("intervento", "")  # type: ignore[attr-defined]
        if intervento.isdigit():
            riga.intervento_id = int(intervento)
        return riga

    def get_initial(self):
        initial = super().get_initial()  # type: ignore[misc]
        if self.creating and self.instance.intervento_id:
            initial["intervento"] = self.instance.intervento_id
        return initial

    @property
    def titolo_pagina(self) -> str:
        return _("Nuova riga del bilancio") if self.creating else _("Modifica della riga del bilancio")

    def form_valid(self, form):
        riga = form.save(commit=False)
        try:
            services.riga_save(riga=riga, user=self.request.user)  # type: ignore[attr-defined]
        except ValidationError as error:
            f.add_service_errors(form, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, _("Riga del bilancio salvata."))  # type: ignore[arg-type]
        return redirect(reverse("planning:riga_bilancio", args=[riga.pk]))


class RigaBilancioCreateView(RigaFormMixin, PianoMixin, FormView):
    pass


class RigaBilancioUpdateView(RigaFormMixin, PianoPartMixin, MergeOnSaveMixin, FormView):
    """A stored line: two people saving at once keep each one's changes (core.optimistic)."""

    scoped_model = RigaBilancio
    scoped_select_related = ("piano__ambito",)
    creating = False


class RigaBilancioDetailView(PostEditMixin, PianoPartMixin, FormView):
    """A budget line: its figures, its commitments and payments, and the form to record one (Ufficio di Piano)."""

    scoped_model = RigaBilancio
    scoped_select_related = ("piano__ambito", "assegnazione__fondo", "intervento__obiettivo__area")
    template_name = "planning/bilancio/riga_detail.html"
    form_class = f.MovimentoForm

    def trail(self, piano):
        return bilancio_trail(self.request.user, piano).then(str(self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        riga = selectors.righe(self.piano).get(pk=self.object.pk)
        context.update(
            riga=riga,
            da_impegnare=riga.importo - riga.impegnato,  # type: ignore[attr-defined]
            movimenti=riga.movimenti.select_related("creato_da"),
        )
        return context

    def form_valid(self, form):
        try:
            services.movimento_add(riga=self.object, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            f.add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Movimento registrato."))
        return redirect(reverse("planning:riga_bilancio", args=[self.object.pk]))


class RigaBilancioDeleteView(BilancioEditMixin, PianoPartMixin, TemplateView):
    """«Elimina la riga»: a confirmation page, then the deletion (services.riga_delete). A line with commitments or
    payments is refused, already on the confirmation page, with the reason."""

    scoped_model = RigaBilancio
    scoped_select_related = ("piano__ambito", "assegnazione__fondo", "intervento")
    template_name = "planning/bilancio/riga_confirm_delete.html"

    def trail(self, piano):
        return bilancio_trail(self.request.user, piano).then(_("Elimina la riga"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rifiuto"] = services.riga_delete_refusal(self.object)
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.riga_delete(riga=self.object, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("planning:riga_bilancio", args=[self.object.pk]))
        messages.success(request, _("Riga «%(riga)s» eliminata.") % {"riga": self.object})
        return redirect(reverse("planning:bilancio", args=[self.piano.slug]) + "#righe")


# --- The Comuni's shares ---------------------------------------------------------------------------------------


class QuoteComuniView(PostEditMixin, PianoMixin, MergeOnSaveMixin, FormView):
    """The co-financing rule (form for the Ufficio di Piano) and the shares by Comune and year. A stored rule is
    locked and merged field by field with what others saved meanwhile (core.optimistic), then the shares are
    recomputed on the merged rule."""

    template_name = "planning/bilancio/quote_comuni.html"
    form_class = f.RegolaQuoteForm

    def trail(self, piano):
        return piano_trail(self.request.user, piano).then(_("Quote dei Comuni"))

    @cached_property
    def regola(self) -> RegolaQuote:
        return RegolaQuote.objects.filter(piano=self.piano).first() or RegolaQuote(piano=self.piano)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.regola}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(tabella=selectors.quote_table(self.piano), regola=self.regola)
        return context

    def form_valid(self, form):
        regola = form.save(commit=False)  # the rule as merged, re-read under lock (not self.regola)
        try:
            written = services.regola_save(piano=self.piano, regola=regola, user=self.request.user)
        except ValidationError as error:
            f.add_service_errors(form, error)
            return self.form_invalid(form)
        if regola.metodo == MetodoQuote.IMPORTI:  # the amounts are typed in the grid
            messages.success(self.request, _("Criterio salvato: indicare gli importi Comune per Comune."))
            return redirect(reverse("planning:quote_importi", args=[self.piano.slug]))
        messages.success(self.request, _("Criterio salvato: %(n)s quote calcolate.") % {"n": written})
        return redirect(reverse("planning:quote_comuni", args=[self.piano.slug]))


class QuotaComuneView(PianoContextMixin, FormView):
    """One Comune's shares and payments in a plan. The Comune is looked up among those the user reads (its own
    for the Operatore comunale), and must belong to the plan's Ambito: 404 otherwise. The Ufficio di Piano records
    a payment here."""

    template_name = "planning/bilancio/quota_comune.html"
    form_class = f.VersamentoForm
    scoped_model = Comune
    lookups = {"codice_istat": "codice_istat"}
    action = VIEW

    @cached_property
    def piano(self) -> PianoDiZona:
        piano = get_object_or_404(PianoDiZona.objects.select_related("ambito"), slug=self.kwargs["slug"])
        if not ambito_comuni(piano.ambito).filter(pk=self.comune.pk).exists():
            raise Http404
        return piano

    @property
    def comune(self) -> Comune:
        return self.scoped_object

    @cached_property
    def legge_piano(self) -> bool:
        return can_on_ambito(self.request.user, VIEW, self.piano.ambito)

    def scoped_ambito(self):
        return self.piano.ambito if self.legge_piano else None

    def check_scoped_object(self, obj) -> None:
        self.piano  # noqa: B018 - 404 when the Comune is not of the plan's Ambito

    def trail(self, piano):
        label = _("Quote di %(comune)s") % {"comune": self.comune.nome}
        if self.legge_piano:
            return quote_trail(self.request.user, piano).then(self.comune.nome)
        return comune_trail(self.request.user, self.comune).then(f"{label} · {piano.titolo}")

    def post(self, request, *args, **kwargs):
        assert_can_edit(request.user, self.piano)
        return super().post(request, *args, **kwargs)

    @cached_property
    def quote(self):
        return selectors.quote(self.piano, [self.comune.pk]).order_by("anno")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "quote": QuotaComune.objects.filter(piano=self.piano, comune=self.comune)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quote = list(self.quote.prefetch_related("versamenti"))
        for q in quote:
            q.da_versare = q.dovuto - q.versato
        context.update(
            comune=self.comune,
            quote=quote,
            dovuto=sum((q.dovuto for q in quote), ZERO),
            versato=sum((q.versato for q in quote), ZERO),
            legge_piano=self.legge_piano,
        )
        context["da_versare"] = context["dovuto"] - context["versato"]
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.versamento_add(
                quota=data["quota"],
                data=data["data"],
                importo=data["importo"],
                atto=data["atto"],
                user=self.request.user,
            )
        except ValidationError as error:
            f.add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Versamento registrato."))
        return redirect(reverse("planning:quota_comune", args=[self.piano.slug, self.comune.pk]))


# --- Quotas at risk --------------------------------------------------------------------------------------------


class BilancioRischioView(PianoMixin, TemplateView):
    """«Quote a rischio»: lines whose fund must be spent soon with a part not yet committed."""

    template_name = "planning/bilancio/rischio.html"

    def trail(self, piano):
        return bilancio_trail(self.request.user, piano).then(_("Quote a rischio"))

    def get_context_data(self, **kwargs):
        oggi = timezone.localdate()
        righe = selectors.a_rischio(self.piano, oggi)
        totale = sum((r.da_impegnare for r in righe), ZERO)  # type: ignore[attr-defined]
        return super().get_context_data(oggi=oggi, giorni=selectors.RISK_DAYS, righe=righe, totale=totale, **kwargs)
