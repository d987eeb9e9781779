"""Top-level URL configuration."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, include, path

from api.api import api


def _without_login(patterns: list) -> list:
    """The API authenticates each request by its token (no session, no CSRF): exempt from LoginRequiredMiddleware."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
    return patterns


admin.site.site_header = "Portale Ambiti Sociali — Amministrazione"
admin.site.site_title = "Amministrazione del portale"
admin.site.index_title = "Gestione dei dati"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("portal.urls")),
    path("territorio/", include("planning.urls")),
    path("monitoraggio/", include("monitoring.urls")),
    path("report/", include("reports.urls")),
    path("attivita/", include("jobs.urls")),
    path("token-api/", include("api.urls")),
    path("api/v1/", (_without_login(api.urls[0]), api.urls[1], api.urls[2])),
    path("dati-aperti/", include("opendata.urls")),
]
