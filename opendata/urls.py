"""URLs of the open data (mounted at /dati-aperti/)."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("catalogo.jsonld", views.catalogo_view, name="catalogo"),
    path("<slug:slug>/", views.AmbitoView.as_view(), name="ambito"),
    path("<slug:slug>/catalogo.jsonld", views.catalogo_ambito_view, name="catalogo_ambito"),
    path("<slug:slug>/impostazioni/", views.ImpostazioniView.as_view(), name="impostazioni"),
    path("<slug:slug>/<slug:dataset>.csv", views.dataset_csv_view, name="dataset_csv"),
    path("<slug:slug>/<slug:dataset>.json", views.dataset_json_view, name="dataset_json"),
]
