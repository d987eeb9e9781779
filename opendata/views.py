"""Open data pages. Public (no login): the list of the Ambiti that publish, a page per Ambito, each dataset as CSV
and JSON, the DCAT-AP_IT catalogue (all Ambiti, or one). An Ambito that publishes nothing answers 404 everywhere.
The settings page is the Ufficio di Piano's (MANAGE on the Ambito: anybody else gets 404)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts.scoping import MANAGE, AmbitoMixin
from accounts.sections import home_trail
from core.breadcrumbs import Trail
from core.optimistic import MergeOnSaveMixin
from planning.navigation import ambito_trail

from . import services
from .catalogue import agent, catalogue
from .choices import LICENZE, Frequenza
from .datasets import SPECS, DatasetSpec
from .formats import dataset_csv, dataset_json
from .forms import PubblicazioneForm
from .models import Pubblicazione
from .selectors import AmbitoPubblicato, ambiti_pubblicati, ambito_pubblicato, pubblicazione_storia

TITOLO = "Dati aperti"


def opendata_trail() -> Trail:
    return home_trail().then(TITOLO, reverse("opendata:index"))


def _linker(request):
    return lambda name, **kwargs: request.build_absolute_uri(reverse(name, kwargs=kwargs))


def _published(slug: str, only: str | None = None) -> AmbitoPubblicato:
    entry = ambito_pubblicato(slug, only)
    if entry is None:
        raise Http404(_("Questo Ambito non pubblica dati aperti."))
    return entry


def _open(response: HttpResponse) -> HttpResponse:
    """Data files and catalogues can be read by any site (CORS), as open data portals harvest them."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


@method_decorator(login_not_required, name="dispatch")
class IndexView(TemplateView):
    template_name = "opendata/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(entries=ambiti_pubblicati(), breadcrumbs=home_trail().then(TITOLO), **kwargs)


@method_decorator(login_not_required, name="dispatch")
class AmbitoView(TemplateView):
    template_name = "opendata/ambito.html"

    def get_context_data(self, **kwargs):
        entry = _published(self.kwargs["slug"])
        righe = {spec.codice: len(entry.rows(spec)) for spec in entry.dataset}
        p = entry.pubblicazione
        return super().get_context_data(
            entry=entry,
            pubblicazione=p,
            dataset=[(spec, righe[spec.codice]) for spec in entry.dataset],
            licenza_url=LICENZE[p.licenza][0],  # type: ignore[index]
            breadcrumbs=opendata_trail().then(entry.ambito.nome),
            **kwargs,
        )


def _dataset(slug: str, codice: str) -> tuple[AmbitoPubblicato, DatasetSpec]:
    entry = _published(slug, codice)
    spec = entry.spec(codice) if codice in SPECS else None
    if spec is None:
        raise Http404(_("Questo dataset non è pubblicato dall'Ambito."))
    return entry, spec


@login_not_required
def dataset_csv_view(request, slug: str, dataset: str) -> HttpResponse:
    entry, spec = _dataset(slug, dataset)
    response = HttpResponse(dataset_csv(spec, entry.rows(spec)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}-{spec.codice}.csv"'
    return _open(response)


def _meta(request, entry: AmbitoPubblicato) -> dict:
    p, ambito = entry.pubblicazione, entry.ambito
    return {
        "ambito": {
            "nome": ambito.nome,
            "codice": ambito.codice,
            "pagina": _linker(request)("opendata:ambito", slug=ambito.slug),
        },
        "editore": {"nome": p.editore, "codice_ipa": p.codice_ipa},
        "licenza": {"codice": p.licenza, "nome": p.get_licenza_display(), "url": LICENZE[p.licenza][0]},  # type: ignore[index]
        "frequenza_aggiornamento": p.frequenza,
        "aggiornato_il": p.modificata_il.date().isoformat(),
    }


@login_not_required
def dataset_json_view(request, slug: str, dataset: str) -> HttpResponse:
    entry, spec = _dataset(slug, dataset)
    body = dataset_json(spec, entry.rows(spec), _meta(request, entry))
    return _open(HttpResponse(body, content_type="application/json; charset=utf-8"))


def _jsonld(document: dict) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, indent=1)
    return _open(HttpResponse(body, content_type="application/ld+json; charset=utf-8"))


@login_not_required
def catalogo_view(request) -> HttpResponse:
    link = _linker(request)
    home = link("opendata:index")
    publisher = agent(f"{home}#editore", settings.OPENDATA_EDITORE, settings.OPENDATA_CODICE_IPA)
    document = catalogue(
        ambiti_pubblicati(), node_id=link("opendata:catalogo"), title=f"{TITOLO} — {settings.PORTAL_NAME}",
        publisher=publisher, home=home, link=link,
    )  # fmt: skip
    return _jsonld(document)


@login_not_required
def catalogo_ambito_view(request, slug: str) -> HttpResponse:
    entry = _published(slug)
    link = _linker(request)
    home = link("opendata:ambito", slug=slug)
    p = entry.pubblicazione
    document = catalogue(
        [entry], node_id=link("opendata:catalogo_ambito", slug=slug), title=f"{TITOLO} — {entry.ambito.nome}",
        publisher=agent(f"{home}#editore", p.editore, p.codice_ipa), home=home, link=link,
    )  # fmt: skip
    return _jsonld(document)


class ImpostazioniView(AmbitoMixin, MergeOnSaveMixin, FormView):
    """The Ufficio di Piano chooses what its Ambito publishes, the licence, publisher, contact and frequency."""

    action = MANAGE
    template_name = "opendata/impostazioni.html"
    form_class = PubblicazioneForm

    @cached_property
    def pubblicazione(self) -> Pubblicazione:
        existing = Pubblicazione.objects.filter(ambito=self.ambito).first()
        return existing or Pubblicazione(
            ambito=self.ambito, editore=self.ambito.ente_capofila, frequenza=Frequenza.ANNUALE
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.pubblicazione}

    def form_valid(self, form):
        try:
            services.pubblicazione_save(pubblicazione=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Impostazioni dei dati aperti salvate."))
        return redirect("opendata:impostazioni", slug=self.ambito.slug)

    def get_context_data(self, **kwargs):
        trail = ambito_trail(self.request.user, self.ambito).then(TITOLO)
        return super().get_context_data(
            ambito=self.ambito,
            pubblicazione=self.pubblicazione,
            storia=pubblicazione_storia(self.pubblicazione),
            pubblicato=ambito_pubblicato(self.ambito.slug),  # the public page, when there is one
            breadcrumbs=trail,
            **kwargs,
        )
