"""URLs of the territory pages."""

from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.AmbitoListView.as_view(), name="ambito_list"),
    path("ambiti/<slug:slug>/", views.AmbitoDetailView.as_view(), name="ambito_detail"),
    path(
        "ambiti/<slug:slug>/importa-popolazione/",
        views.PopolazioneImportView.as_view(),
        name="popolazione_import",
    ),
    path("piani-di-zona/", views.PianoIndexView.as_view(), name="piano_index"),
    path("comuni/<str:codice_istat>/", views.ComuneDetailView.as_view(), name="comune_detail"),
]
