"""Report pages."""

from django.views.generic import TemplateView

from accounts.scoping import scope
from planning.models import Ambito


class IndexView(TemplateView):
    """Entry page of Report: the exports available for the user's Ambiti."""

    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(ambiti=scope(Ambito.objects.all(), self.request.user), **kwargs)
