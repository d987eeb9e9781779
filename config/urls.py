"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

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
    path("dati-aperti/", include("opendata.urls")),
]
