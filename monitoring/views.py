"""Monitoring pages."""

from django.views.generic import TemplateView

from accounts.scoping import scope
from planning.models import Ambito


class IndexView(TemplateView):
    """Entry page of Monitoraggio: the user's Ambiti (the schede arrive with the schede engine)."""

    template_name = "monitoring/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(ambiti=scope(Ambito.objects.all(), self.request.user), **kwargs)
