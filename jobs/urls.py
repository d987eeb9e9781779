"""URLs of the jobs: /attivita/."""

from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.MyJobsView.as_view(), name="list"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="detail"),
    path("<int:pk>/stato/", views.JobStatusView.as_view(), name="status"),
    path("<int:pk>/file/", views.JobDownloadView.as_view(), name="download"),
    path("<int:pk>/riprova/", views.JobRetryView.as_view(), name="retry"),
]
