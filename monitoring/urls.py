"""URLs of the schede di monitoraggio."""

from django.urls import path

from .snapshots import views as snap
from .views import exchange, quadro, schede, workflow

app_name = "monitoring"

urlpatterns = [
    path("", schede.IndexView.as_view(), name="index"),
    path("schede/nuova/", schede.SchedaCreateView.as_view(), name="scheda_create"),
    path("ambiti/<slug:slug>/", schede.OverviewView.as_view(), name="overview"),
    path("schede/<int:pk>/", schede.SchedaDetailView.as_view(), name="scheda_detail"),
    path("schede/<int:pk>/quadro/<int:number>/", quadro.QuadroEntryView.as_view(), name="quadro"),
    path("schede/<int:pk>/calcola/", quadro.ComputeView.as_view(), name="compute"),
    path("schede/<int:pk>/stato/", workflow.TransitionView.as_view(), name="transition"),
    path("schede/<int:pk>/invio/", workflow.SubmitConfirmView.as_view(), name="scheda_invio"),
    path("schede/<int:pk>/giustifica/", workflow.JustifyView.as_view(), name="justify"),
    path("schede/<int:pk>/storico/", schede.StoricoView.as_view(), name="storico"),
    path("schede/<int:pk>/excel/", exchange.XlsxDownloadView.as_view(), name="xlsx"),
    path("schede/<int:pk>/excel/carica/", exchange.XlsxUploadView.as_view(), name="xlsx_upload"),
    path("schede/<int:pk>/pdf/", exchange.PdfDownloadView.as_view(), name="pdf"),
    # Quarterly monitoring of the Piano di Zona
    path("piani/<slug:slug>/rilevazioni/", snap.RilevazioneListView.as_view(), name="rilevazione_list"),
    path("piani/<slug:slug>/rilevazioni/nuova/", snap.RilevazioneCreaView.as_view(), name="rilevazione_create"),
    path("piani/<slug:slug>/avanzamento/", snap.AvanzamentoView.as_view(), name="avanzamento"),
    path("rilevazioni/<int:pk>/", snap.RilevazioneDetailView.as_view(), name="rilevazione_detail"),
    path("rilevazioni/<int:pk>/indicatori/", snap.RilevazioneIndicatoriView.as_view(), name="rilevazione_indicatori"),
    path("rilevazioni/<int:pk>/compila/", snap.RilevazioneCompilaView.as_view(), name="rilevazione_compila"),
    path("rilevazioni/<int:pk>/chiudi/", snap.RilevazioneChiudiView.as_view(), name="rilevazione_chiudi"),
]
