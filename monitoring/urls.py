"""URLs of the schede di monitoraggio. The routes of one object are written under its prefix (core.routes.prefixed)."""

from django.urls import path

from core.routes import prefixed

from .campaigns import regione_views as regione
from .campaigns import views as camp
from .campaigns.reminder_views import MyRemindersView
from .snapshots import views as snap
from .views import comparison, exchange, outliers, quadro, schede, workflow

app_name = "monitoring"

urlpatterns = [
    path("", schede.IndexView.as_view(), name="index"),
    path("schede/nuova/", schede.SchedaCreateView.as_view(), name="scheda_create"),
    path("ambiti/<slug:slug>/", schede.OverviewView.as_view(), name="overview"),
    path("ambiti/<slug:slug>/confronto/", comparison.ComparisonView.as_view(), name="comparison"),
    path("ambiti/<slug:slug>/ricalcola/", schede.RecomputeAllView.as_view(), name="recompute_all"),
    path("ambiti/<slug:slug>/anomalie/", outliers.OutliersView.as_view(), name="outliers"),
    path("ambiti/<slug:slug>/importa/", exchange.SchedeImportView.as_view(), name="schede_import"),
    # The regional page (role Regione): the campaigns of every Ambito of the Regione
    path("regione/", regione.RegioneView.as_view(), name="regione"),
    path("promemoria/", MyRemindersView.as_view(), name="promemoria"),
    path("regione/confronto/", regione.RegioneComparisonView.as_view(), name="regione_confronto"),
    # Yearly SOSE campaigns of an Ambito
    *prefixed(
        "ambiti/<slug:slug>/",
        [
            ("campagne/", camp.CampagneView.as_view(), "campagne"),
            ("campagne/nuova/", camp.CampagnaOpenView.as_view(), "campagna_open"),
            ("calendario/", camp.CalendarioView.as_view(), "calendario"),
        ],
    ),
    *prefixed(
        "campagne/<int:pk>/",
        [
            ("", camp.CampagnaDetailView.as_view(), "campagna_detail"),
            ("stato/", camp.CampagnaTransitionView.as_view(), "campagna_transition"),
            ("promemoria/", camp.CampagnaSettingsView.as_view(), "campagna_settings"),
            ("scadenze/", camp.ScadenzaSaveView.as_view(), "scadenza_save"),
            ("scadenze/elimina/", camp.ScadenzaDeleteView.as_view(), "scadenza_delete"),
            ("comuni/", regione.CampagnaComuniExportView.as_view(), "campagna_comuni_export"),
        ],
    ),
    *prefixed(
        "schede/<int:pk>/",
        [
            ("", schede.SchedaDetailView.as_view(), "scheda_detail"),
            ("quadro/<int:number>/", quadro.QuadroEntryView.as_view(), "quadro"),
            ("calcola/", quadro.ComputeView.as_view(), "compute"),
            ("stato/", workflow.TransitionView.as_view(), "transition"),
            ("invio/", workflow.SubmitConfirmView.as_view(), "scheda_invio"),
            ("giustifica/", workflow.JustifyView.as_view(), "justify"),
            ("storico/", schede.StoricoView.as_view(), "storico"),
            ("excel/", exchange.XlsxDownloadView.as_view(), "xlsx"),
            ("excel/carica/", exchange.XlsxUploadView.as_view(), "xlsx_upload"),
            ("pdf/", exchange.PdfDownloadView.as_view(), "pdf"),
        ],
    ),
    # Quarterly monitoring of the Piano di Zona
    *prefixed(
        "piani/<slug:slug>/",
        [
            ("rilevazioni/", snap.RilevazioneListView.as_view(), "rilevazione_list"),
            ("rilevazioni/nuova/", snap.RilevazioneCreaView.as_view(), "rilevazione_create"),
            ("avanzamento/", snap.AvanzamentoView.as_view(), "avanzamento"),
        ],
    ),
    *prefixed(
        "rilevazioni/<int:pk>/",
        [
            ("", snap.RilevazioneDetailView.as_view(), "rilevazione_detail"),
            ("indicatori/", snap.RilevazioneIndicatoriView.as_view(), "rilevazione_indicatori"),
            ("risorse/", snap.RilevazioneRisorseView.as_view(), "rilevazione_risorse"),
            ("compila/", snap.RilevazioneCompilaView.as_view(), "rilevazione_compila"),
            ("chiudi/", snap.RilevazioneChiudiView.as_view(), "rilevazione_chiudi"),
        ],
    ),
]
