"""URLs of the reports."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("ambiti/<slug:slug>/", views.DashboardView.as_view(), name="dashboard"),
    path("ambiti/<slug:slug>/monitoraggio.pdf", views.MonitoringReportView.as_view(), name="monitoring_pdf"),
    path("ambiti/<slug:slug>/confronto-indicatori.pdf", views.ComparisonReportView.as_view(), name="comparison_pdf"),
    path(
        "regione/confronto-indicatori.pdf", views.RegioneComparisonReportView.as_view(), name="regione_comparison_pdf"
    ),
    path("performance/<slug:slug>.pdf", views.PerformanceReportView.as_view(fmt="pdf"), name="performance_pdf"),
    path("performance/<slug:slug>.xlsx", views.PerformanceReportView.as_view(fmt="xlsx"), name="performance_xlsx"),
    path("piani-di-zona/<slug:slug>/piano-di-zona.pdf", views.PianoPdfView.as_view(), name="piano_pdf"),
    path("piani-di-zona/<slug:slug>/piano-di-zona.xlsx", views.PianoXlsxView.as_view(), name="piano_xlsx"),
]
