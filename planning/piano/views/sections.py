"""The catalogues the cards choose from (funds, macro-areas and key points, LEPS, card templates, network actors).
The plan's network sections (projects, PNRR lines, gestione associata, governance) are in views.registries."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.sections import PIANI, section_trail

from ..selectors import cataloghi


class CataloghiView(TemplateView):
    template_name = "planning/cataloghi.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            breadcrumbs=section_trail(self.request.user, PIANI).then(_("Cataloghi")),
            **cataloghi(self.request.user),
            **kwargs,
        )
