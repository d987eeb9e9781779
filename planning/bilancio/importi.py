"""«Importi dei Comuni»: the shares typed Comune by Comune and year when the plan's co-financing rule is «importi
indicati Comune per Comune» (RegolaQuote.metodo = importi). One grid (rows: the Comuni of the Ambito; columns: the
years of the plan) saved all or nothing by services.quote_importi_save; amounts typed 1234,56 or 1.234,56
(core.numbers); every error names the Comune and the year. Two people saving at once: the rule is locked, each cell
carries its value as loaded and only the cells the user changed are written; a cell changed by both is a conflict
to choose (core.optimistic, as the other grids).

Only the Ufficio di Piano on a modifiable plan (403 for the Dirigente and on a locked plan, 404 for the Operatore
comunale and another Ambito's users).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.form_views import FormsMergeMixin
from core.forms import PortalForm
from core.optimistic import track
from planning.navigation import quote_trail
from territory.selectors import ambito_comuni

from ..models import MetodoQuote, PianoDiZona, QuotaComune, RegolaQuote
from ..piano.forms import AmountField
from ..piano.views.mixins import PianoMixin
from . import services
from .forms import add_service_errors
from .views import BilancioEditMixin

ZERO = Decimal(0)


class QuoteImportiForm(PortalForm):
    """One amount field per Comune of the Ambito and year of the plan (`cella(comune, anno)`), its stored share
    as initial value; an error of a cell says the Comune and the year."""

    small_widgets = True

    def __init__(self, *args, piano: PianoDiZona, comuni: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(range(piano.anno_inizio, piano.anno_fine + 1))
        self.comuni = comuni
        stored = {(q.comune_id, q.anno): q.dovuto for q in QuotaComune.objects.filter(piano=piano)}
        self.cells: dict[str, tuple] = {}
        for comune in comuni:
            for anno in self.years:
                name = services.cella(comune.pk, anno)
                self.cells[name] = (comune, anno)
                self.fields[name] = AmountField(label=f"{comune.nome} {anno}", required=False, min_value=0)
                self.fields[name].initial = stored.get((comune.pk, anno), ZERO)

    def rows(self):
        """(Comune, [bound field per year]) for the template's grid."""
        return [(c, [self[services.cella(c.pk, y)] for y in self.years]) for c in self.comuni]

    def conflict_label(self, name: str) -> str:
        comune, anno = self.cells[name]
        return _("Quota di %(comune)s, anno %(anno)s") % {"comune": comune.nome, "anno": anno}

    def clean(self):
        data = super().clean()
        for name, errors in list(self._errors.items()):
            if name in self.cells:
                comune, anno = self.cells[name]
                prefix = _("%(comune)s, anno %(anno)s") % {"comune": comune.nome, "anno": anno}
                self._errors[name] = self.error_class([f"{prefix}: {e}" for e in errors])
        return data

    def importi(self) -> dict[tuple[str, int], Decimal]:
        return {(comune.pk, anno): self.cleaned_data.get(name) or ZERO for name, (comune, anno) in self.cells.items()}


class QuoteImportiView(BilancioEditMixin, FormsMergeMixin, PianoMixin, TemplateView):
    """The grid of the shares typed Comune by Comune and year (Ufficio di Piano)."""

    template_name = "planning/bilancio/quote_importi.html"
    invalid_message = _("Quote non salvate: correggere gli importi indicati.")

    def trail(self, piano):
        return quote_trail(self.request.user, piano).then(_("Importi Comune per Comune"))

    @cached_property
    def regola(self) -> RegolaQuote | None:
        return RegolaQuote.objects.filter(piano=self.piano).first()

    @property
    def attiva(self) -> bool:
        return self.regola is not None and self.regola.metodo == MetodoQuote.IMPORTI

    @cached_property
    def comuni(self) -> list:
        return list(ambito_comuni(self.piano.ambito))

    def build(self, data=None, obj=None):
        return {"form": QuoteImportiForm(data, piano=self.piano, comuni=self.comuni)}

    def get_merge_object(self) -> RegolaQuote:
        return self.regola  # type: ignore[return-value]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs["forms"]["form"] if "forms" in kwargs else None
        if form is None and self.attiva:
            form = self.build()["form"]
            track(form)  # each cell carries its value as loaded (core.optimistic)
        context.update(form=form, regola=self.regola, attiva=self.attiva)
        return context

    def post(self, request, *args, **kwargs):
        if not self.attiva:
            messages.error(request, _("Il criterio di riparto non è «importi indicati Comune per Comune»."))
            return redirect(reverse("planning:quote_comuni", args=[self.piano.slug]))
        return super().post(request, *args, **kwargs)

    def save(self, forms):
        form = forms["form"]
        try:
            n = services.quote_importi_save(piano=self.piano, importi=form.importi(), user=self.request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            messages.error(self.request, self.invalid_message)
            response = self.render_forms(forms)
            response.status_code = 400
            return response
        messages.success(self.request, _("Quote dei Comuni salvate: %(n)s importi modificati.") % {"n": n})
        return redirect(reverse("planning:quote_comuni", args=[self.piano.slug]))
