"""Pages of the quarterly monitoring of a Piano di Zona: the snapshots of a plan, one snapshot's entries (actions,
indicators) with filters and exports, the entry form of an open snapshot, closing, and the progress by area with
the trend across quarters. Read with VIEW (Ufficio di Piano, Dirigente); changes need EDIT (404 otherwise) and an
open snapshot (403 on a closed one)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.scoping import EDIT, AmbitoPartMixin, can_on_ambito, scoped_path
from core.breadcrumbs import Trail
from core.form_views import FormsMergeMixin
from core.optimistic import track
from core.table_views import TablePage, TablePageView
from monitoring.navigation import avanzamento_trail, rilevazione_trail, rilevazioni_trail
from planning.models import Area, PianoDiZona

from . import services
from .charts import progress_trend_charts
from .filtersets import RilevazioneFilterSet, StatoAzioneFilterSet, ValoreIndicatoreFilterSet
from .forms import NuovaRilevazioneForm, StatoAzioneFormSet, ValoreIndicatoreFormSet
from .models import Rilevazione
from .risorse import RilevazioneRisorseMixin, risorse_rilevazione
from .selectors import (
    area_progress,
    aree_piano,
    ha_azioni_senza_area,
    latest_snapshot,
    progress_trend,
    prossimo_trimestre,
    rilevazione_aperta,
    rilevazione_precedente,
    rilevazione_storia,
    rilevazioni_lista,
    stati_area,
    stati_lista,
    target_indicatori,
    valori_area,
    valori_lista,
    valori_precedenti,
)
from .tables import RilevazioneTable, StatoAzioneTable, ValoreIndicatoreTable


class PianoBase(AmbitoPartMixin):
    """The plan of the URL (slug) among those the user may see (accounts.scoping.ScopedObjectMixin)."""

    scoped_model = PianoDiZona

    piano = scoped_path()  # PianoDiZona

    @cached_property
    def can_edit(self) -> bool:
        return can_on_ambito(self.request.user, EDIT, self.piano.ambito)

    def trail(self) -> Trail:
        """The page's breadcrumb (monitoring.navigation): the plan's quarterly monitoring (progress by area)."""
        return avanzamento_trail(self.request.user, self.piano)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "piano": self.piano,
            "can_edit": self.can_edit,
            "breadcrumbs": self.trail(),
        }


class RilevazioneBase(PianoBase):
    """The snapshot of the URL (pk) among those the user may see (VIEW) or change (EDIT, the `action`)."""

    scoped_model = Rilevazione
    scoped_select_related = ("piano__ambito", "chiusa_da")
    lookups = {"pk": "pk"}
    ambito_attr = "piano.ambito"

    rilevazione = scoped_path()  # Rilevazione
    piano = scoped_path("piano")  # PianoDiZona

    def trail(self) -> Trail:
        return rilevazione_trail(self.request.user, self.rilevazione)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "rilevazione": self.rilevazione}


class PianoTableView(TablePageView):
    """A table page of the plan's monitoring: the filters choose among the plan's areas, objectives, ..."""

    piano: PianoDiZona

    def filter_kwargs(self):
        return {"piano": self.piano}


class RilevazioneListView(PianoBase, PianoTableView):
    page = TablePage(
        "monitoring/rilevazione_list.html", RilevazioneTable, RilevazioneFilterSet, rilevazioni_lista, "Rilevazioni",
        export="rilevazioni", per_page=None,
    )  # fmt: skip

    def trail(self) -> Trail:
        return rilevazioni_trail(self.request.user, self.piano)

    def table_owner(self) -> PianoDiZona:
        return self.piano

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        anno, trimestre = prossimo_trimestre(self.piano)
        aperta = rilevazione_aperta(self.piano)
        context.update(
            aperta=aperta,
            nuova_form=(
                NuovaRilevazioneForm(initial={"anno": anno, "trimestre": trimestre})
                if self.can_edit and aperta is None
                else None
            ),
        )
        return context


class RilevazioneCreaView(PianoBase, View):
    def post(self, request, *args, **kwargs):
        if not self.can_edit:
            raise Http404
        form = NuovaRilevazioneForm(request.POST)
        if form.is_valid():
            try:
                r = services.rilevazione_create(piano=self.piano, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Rilevazione %(c)s aperta.") % {"c": r.codice})
                return redirect(r.get_absolute_url())
        else:
            messages.error(request, _("Indicare anno e trimestre."))
        return redirect("monitoring:rilevazione_list", slug=self.piano.slug)


class RilevazioneDetailView(RilevazioneBase, PianoTableView):
    """One snapshot: the action states (filterable, exportable), summary and history."""

    page = TablePage(
        "monitoring/rilevazione_detail.html", StatoAzioneTable, StatoAzioneFilterSet, stati_lista, "Azioni",
        export="azioni",
    )  # fmt: skip

    def table_owner(self) -> Rilevazione:
        return self.rilevazione

    def export_filename(self) -> str:
        return f"rilevazione-{self.rilevazione.codice}-{self.export_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        r = self.rilevazione
        context.update(
            tab="azioni",
            aree=area_progress(r),
            storia=rilevazione_storia(r),
            risorse=risorse_rilevazione(r),
        )
        return context


class RilevazioneIndicatoriView(RilevazioneDetailView):
    page = TablePage(
        "monitoring/rilevazione_detail.html", ValoreIndicatoreTable, ValoreIndicatoreFilterSet, valori_lista,
        "Indicatori", export="indicatori",
    )  # fmt: skip

    def trail(self) -> Trail:
        return super().trail().then(_("Indicatori"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tab"] = "indicatori"
        return context


class RilevazioneRisorseView(RilevazioneRisorseMixin, RilevazioneBase, TemplateView):
    """The snapshot's money: planned, committed and paid per intervention at the quarter's last day."""


class RilevazioneCompilaView(FormsMergeMixin, RilevazioneBase, TemplateView):
    """Entry form of an open snapshot, one area at a time (?area=<id>; «senza» = objectives without area).

    Two people may fill the same quarter at once: each row carries its values as loaded and a save writes only
    what the user changed; a state or value changed by both is a conflict to choose (core.optimistic)."""

    template_name = "monitoring/rilevazione_compila.html"
    action = EDIT
    invalid_message = _lazy("La rilevazione non è stata salvata: correggere gli errori indicati.")

    def trail(self) -> Trail:
        return super().trail().then(_("Compila"))

    def dispatch(self, request, *args, **kwargs):
        services.assert_aperta(self.rilevazione)  # 403 on a closed snapshot (after the 404 of the scope)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def aree(self):
        return aree_piano(self.piano)

    @cached_property
    def area(self) -> Area | None:
        value = self.request.GET.get("area") or self.request.POST.get("area")
        if value == "senza":
            return None
        if value and value.isdigit():
            return next((a for a in self.aree if a.pk == int(value)), None) or self._404()
        return self.aree[0] if self.aree else None

    def _404(self):
        raise Http404

    def formsets(self, data=None):
        return (
            StatoAzioneFormSet(data, queryset=stati_area(self.rilevazione, self.area), prefix="azioni"),
            ValoreIndicatoreFormSet(data, queryset=valori_area(self.rilevazione, self.area), prefix="indicatori"),
        )

    def get(self, request, *args, **kwargs):
        services.rilevazione_sincronizza(self.rilevazione)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        azioni, indicatori = kwargs.get("formsets") or self.formsets()
        track(azioni, indicatori)  # each row carries its values as loaded (core.optimistic)
        r = self.rilevazione
        ids = [f.instance.indicatore_id for f in indicatori.forms]
        targets = target_indicatori(ids, r.anno)
        previous = rilevazione_precedente(r)
        precedenti = valori_precedenti(previous, ids)
        for f in indicatori.forms:
            f.target = targets.get(f.instance.indicatore_id)
            f.precedente = precedenti.get(f.instance.indicatore_id)
        context.update(
            azioni=azioni, indicatori=indicatori, aree=self.aree, area=self.area, precedente=previous,
            senza_area=self._senza_area(),
        )  # fmt: skip
        return context

    def _senza_area(self) -> bool:
        return self.area is None or ha_azioni_senza_area(self.rilevazione)

    def get_merge_object(self) -> Rilevazione:
        return self.rilevazione

    def build(self, data=None, _rilevazione=None):
        return dict(zip(("azioni", "indicatori"), self.formsets(data), strict=True))

    def render_forms(self, forms, **context):
        return self.render_to_response(
            self.get_context_data(formsets=(forms["azioni"], forms["indicatori"]), **context)
        )

    def save(self, forms):
        changed = [form.save(commit=False) for fs in forms.values() for form in fs.forms if form.has_changed()]
        n = services.rilevazione_save(rilevazione=self.rilevazione, righe=changed, user=self.request.user)
        messages.success(self.request, _("Rilevazione salvata: %(n)s righe modificate.") % {"n": n})
        area = self.area.pk if self.area else "senza"
        return redirect(f"{self.request.path}?area={area}")


class RilevazioneChiudiView(RilevazioneBase, View):
    action = EDIT

    def post(self, request, *args, **kwargs):
        services.rilevazione_close(rilevazione=self.rilevazione, user=request.user)
        messages.success(
            request, _("Rilevazione %(c)s chiusa: ora è in sola lettura.") % {"c": self.rilevazione.codice}
        )
        return redirect(self.rilevazione.get_absolute_url())


class AvanzamentoView(PianoBase, TemplateView):
    """Progress of the plan by area at a snapshot (the latest, or ?rilevazione=<pk>), and the trend by quarter."""

    template_name = "monitoring/avanzamento.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rilevazioni = list(self.piano.rilevazioni.order_by("anno", "trimestre"))
        chosen = self.request.GET.get("rilevazione")
        if chosen:
            rilevazione = next((r for r in rilevazioni if str(r.pk) == chosen), None)
            if rilevazione is None:
                raise Http404
        else:
            rilevazione = latest_snapshot(self.piano)
        andamento = progress_trend(self.piano)
        context.update(
            rilevazioni=rilevazioni,
            rilevazione=rilevazione,
            aree=area_progress(rilevazione) if rilevazione else [],
            andamento=andamento,
            charts=[c for c in progress_trend_charts(self.piano, andamento) if c.rows],
        )
        return context
