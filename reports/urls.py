"""URLs of the reports."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("ambiti/<slug:slug>/", views.DashboardView.as_view(), name="dashboard"),
    path("ambiti/<slug:slug>/monitoraggio.pdf", views.MonitoringReportView.as_view(), name="monitoring_pdf"),
    path("lavori/<int:pk>/", views.JobStatusView.as_view(), name="job_status"),
]
