"""Campaign pages: an Ambito's campaigns and calendar, opening a campaign, a campaign with its Comuni, milestones,
reminders and the approval steps (Ufficio di Piano presents, Regione approves or sends back)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.scoping import MANAGE, AmbitoMixin, ScopedObjectMixin, can_on_ambito, scoped_path
from monitoring.navigation import schede_ambito_trail
from planning.bilancio.scadenze import scadenze_ambito
from territory.selectors import ambito_comuni

from ..jobs import request_campaign_schede
from ..models import ModelloScheda
from . import selectors, services
from .forms import CampagnaOpenForm, CampagnaSettingsForm, CampagnaTransitionForm, ScadenzaForm
from .ics import calendar_ics
from .models import Campagna, Scadenza
from .reminders import sent_by_step


def campagne_trail(user, ambito):
    """Home › Monitoraggio › <Ambito> › Campagne."""
    return schede_ambito_trail(user, ambito).then(_("Campagne"), reverse("monitoring:campagne", args=[ambito.slug]))


def campagna_trail(user, campagna: Campagna):
    return campagne_trail(user, campagna.ambito).then(campagna.sigla, campagna.get_absolute_url())


class CampagneView(AmbitoMixin, TemplateView):
    """The Ambito's campaigns (and its sub-ambiti's) with their state and milestones."""

    template_name = "monitoring/campaigns/list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            ambito=self.ambito,
            campagne=list(selectors.ambito_campagne(self.ambito, user)),
            can_manage=can_on_ambito(user, MANAGE, self.ambito),
            breadcrumbs=schede_ambito_trail(user, self.ambito).then(_("Campagne")),
            **kwargs,
        )


class CalendarioView(AmbitoMixin, TemplateView):
    """Every milestone of the Ambito's campaigns by date; ?formato=ics downloads them as an iCalendar file."""

    template_name = "monitoring/campaigns/calendar.html"

    def get(self, request, *args, **kwargs):
        items = selectors.calendar(self.ambito, request.user)
        fondi = scadenze_ambito(self.ambito.with_sub_ambiti_ids(), request.user)
        if request.GET.get("formato") == "ics":
            ics = calendar_ics(self.ambito, items, fondi)
            response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="scadenze-{self.ambito.slug}.ics"'
            return response
        context = self.get_context_data(
            ambito=self.ambito,
            items=sorted([*items, *fondi], key=lambda m: m.scadenza.data),
            breadcrumbs=campagne_trail(request.user, self.ambito).then(_("Calendario")),
        )
        return self.render_to_response(context)


class CampagnaOpenView(AmbitoMixin, TemplateView):
    """«Apri campagna»: template and year, expected Comuni, milestones and reminders (Ufficio di Piano)."""

    template_name = "monitoring/campaigns/open.html"
    action = MANAGE

    def form(self, data=None) -> CampagnaOpenForm:
        used = Campagna.objects.filter(ambito=self.ambito).values("modello")
        modelli = ModelloScheda.objects.filter(attivo=True).exclude(pk__in=used).defer("definizione")
        comuni = list(ambito_comuni(self.ambito).order_by("nome"))
        form = CampagnaOpenForm(data, modelli=modelli, comuni=comuni)
        first = modelli.order_by("-anno_riferimento", "codice").first()
        if data is None and first is not None:
            form.initial.update(
                modello=first.pk,
                data_approvazione=f"{first.anno_riferimento + 1}-04-30",
                data_invio=first.scadenza.isoformat(),
            )
        return form

    def page(self, form):
        trail = campagne_trail(self.request.user, self.ambito).then(_("Apri campagna"))
        return self.render_to_response(self.get_context_data(ambito=self.ambito, form=form, breadcrumbs=trail))

    def get(self, request, *args, **kwargs):
        return self.page(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.page(form)
        data = form.cleaned_data
        comuni = ambito_comuni(self.ambito).filter(pk__in=data["comuni"])
        try:
            campagna, created = services.campagna_open(
                ambito=self.ambito,
                modello=data["modello"],
                user=request.user,
                comuni=list(comuni),
                copia_anno_precedente=data["copia_anno_precedente"],
                promemoria_giorni=data["promemoria_giorni"],
                scadenze={"approvazione": data["data_approvazione"], "invio": data["data_invio"]},
                crea_schede_fino_a=settings.CAMPAGNA_SCHEDE_IN_RICHIESTA,
            )
        except services.CampagnaError as exc:
            form.add_error(None, str(exc))
            return self.page(form)
        if services.comuni_senza_scheda(campagna):  # too many for the request: a job of the queue creates them
            messages.success(request, _("Campagna aperta: le schede dei Comuni attesi sono in preparazione."))
            job = request_campaign_schede(campagna, request.user, back_url=campagna.get_absolute_url())
            return redirect("jobs:detail", pk=job.pk)
        messages.success(
            request,
            _("Campagna aperta: %(n)s schede create per %(c)s Comuni attesi.")
            % {"n": created, "c": campagna.comuni.count()},
        )
        return redirect(campagna)


class CampagnaMixin(ScopedObjectMixin):
    """The campaign of the URL among those the user may see (404 otherwise); the header shows its Ambito."""

    scoped_model = Campagna
    scoped_select_related = ("ambito", "ambito__parent", "modello", "approvata_da")
    ambito_attr = "ambito"

    campagna = scoped_path()


class CampagnaDetailView(CampagnaMixin, TemplateView):
    """A campaign: milestones, expected Comuni with their schede, completeness, reminders and approval steps."""

    template_name = "monitoring/campaigns/detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        campagna = self.campagna
        can_manage = can_on_ambito(user, MANAGE, campagna.ambito)
        rows = selectors.campagna_rows(campagna)
        return super().get_context_data(
            campagna=campagna,
            ambito=campagna.ambito,
            milestones=selectors.milestones(campagna),
            rows=rows,
            completezza=selectors.completeness(rows),
            transitions=[(a, services.LABELS[a]) for a in services.allowed_transitions(campagna, user)],
            can_manage=can_manage,
            settings_form=CampagnaSettingsForm(
                initial={
                    "promemoria_giorni": campagna.promemoria_giorni,
                    "promemoria_settimanali": campagna.promemoria_settimanali,
                    "version": campagna.versione,
                }
            )
            if can_manage
            else None,
            scadenza_form=ScadenzaForm(initial={"tipo": "altra"}) if can_manage else None,
            promemoria_inviati=sent_by_step(campagna) if can_manage else None,
            history=campagna.history.select_related("history_user").order_by("-history_date")[:20],
            breadcrumbs=campagna_trail(user, campagna),
            **kwargs,
        )


class _CampagnaPost(CampagnaMixin, TemplateView):
    """A POST on a campaign that redirects back to its page with the outcome as a message."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            text = self.change(request)
        except services.CampagnaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, text)
        return redirect(self.campagna)

    def change(self, request) -> str:
        raise NotImplementedError


class CampagnaTransitionView(_CampagnaPost):
    def change(self, request) -> str:
        form = CampagnaTransitionForm(request.POST)
        if not form.is_valid():
            raise services.CampagnaError(_("Richiesta non valida: ricarichi la pagina."))
        data = form.cleaned_data
        campagna = services.campagna_transition(
            campagna=self.campagna,
            user=request.user,
            action=data["azione"],
            reason=data["motivo"],
            expected_version=data["version"],
        )
        return _("Campagna ora «%(s)s».") % {"s": campagna.get_stato_display()}


class CampagnaSettingsView(_CampagnaPost):
    def change(self, request) -> str:
        form = CampagnaSettingsForm(request.POST)
        if not form.is_valid():
            raise services.CampagnaError(
                _("Promemoria: %(e)s") % {"e": "; ".join(e for errs in form.errors.values() for e in errs)}
            )
        services.campagna_settings(
            campagna=self.campagna,
            user=request.user,
            promemoria_giorni=form.cleaned_data["promemoria_giorni"],
            promemoria_settimanali=form.cleaned_data["promemoria_settimanali"],
            expected_version=form.cleaned_data["version"],
        )
        return _("Promemoria aggiornati.")


class ScadenzaSaveView(_CampagnaPost):
    """Add a milestone (no `scadenza` in the POST) or change one (its id)."""

    def change(self, request) -> str:
        form = ScadenzaForm(request.POST)
        if not form.is_valid():
            errors = "; ".join(
                f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items() if f in form.fields
            )
            raise services.CampagnaError(_("Scadenza non salvata. %(e)s") % {"e": errors})
        scadenza = None
        if request.POST.get("scadenza"):
            scadenza = get_object_or_404(Scadenza, pk=request.POST["scadenza"], campagna=self.campagna)
        services.scadenza_save(campagna=self.campagna, user=request.user, scadenza=scadenza, **form.cleaned_data)
        return _("Scadenza salvata.")


class ScadenzaDeleteView(_CampagnaPost):
    def change(self, request) -> str:
        scadenza = get_object_or_404(Scadenza, pk=request.POST.get("scadenza") or 0, campagna=self.campagna)
        services.scadenza_delete(scadenza=scadenza, user=request.user)
        return _("Scadenza eliminata.")
