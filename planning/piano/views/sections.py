"""The plan's network sections (projects of the network, PNRR lines, gestione associata, governance: read here,
edited in the admin) and the catalogues the cards choose from."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.sections import PIANI, section_trail

from ..selectors import cataloghi, pnrr_totals
from .mixins import PianoMixin


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
            **cataloghi(self.request.user),
            **kwargs,
        )
