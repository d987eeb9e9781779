"""URLs of the schede di monitoraggio."""

from django.urls import path

from . import exchange_views, views
from .snapshots import views as snap

app_name = "monitoring"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("schede/nuova/", views.SchedaCreateView.as_view(), name="scheda_create"),
    path("ambiti/<slug:slug>/", views.OverviewView.as_view(), name="overview"),
    path("schede/<int:pk>/", views.SchedaDetailView.as_view(), name="scheda_detail"),
    path("schede/<int:pk>/quadro/<int:number>/", views.QuadroEntryView.as_view(), name="quadro"),
    path("schede/<int:pk>/calcola/", views.ComputeView.as_view(), name="compute"),
    path("schede/<int:pk>/stato/", views.TransitionView.as_view(), name="transition"),
    path("schede/<int:pk>/invio/", views.SubmitConfirmView.as_view(), name="scheda_invio"),
    path("schede/<int:pk>/giustifica/", views.JustifyView.as_view(), name="justify"),
    path("schede/<int:pk>/storico/", views.StoricoView.as_view(), name="storico"),
    path("schede/<int:pk>/excel/", exchange_views.XlsxDownloadView.as_view(), name="xlsx"),
    path("schede/<int:pk>/excel/carica/", exchange_views.XlsxUploadView.as_view(), name="xlsx_upload"),
    path("schede/<int:pk>/pdf/", exchange_views.PdfDownloadView.as_view(), name="pdf"),
    # Quarterly monitoring of the Piano di Zona
    path("piani/<slug:slug>/rilevazioni/", snap.RilevazioneListView.as_view(), name="rilevazione_list"),
    path("piani/<slug:slug>/rilevazioni/nuova/", snap.RilevazioneCreaView.as_view(), name="rilevazione_create"),
    path("piani/<slug:slug>/avanzamento/", snap.AvanzamentoView.as_view(), name="avanzamento"),
    path("rilevazioni/<int:pk>/", snap.RilevazioneDetailView.as_view(), name="rilevazione_detail"),
    path("rilevazioni/<int:pk>/indicatori/", snap.RilevazioneIndicatoriView.as_view(), name="rilevazione_indicatori"),
    path("rilevazioni/<int:pk>/compila/", snap.RilevazioneCompilaView.as_view(), name="rilevazione_compila"),
    path("rilevazioni/<int:pk>/chiudi/", snap.RilevazioneChiudiView.as_view(), name="rilevazione_chiudi"),
]
