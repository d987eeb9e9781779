"""URLs of the reports."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("ambiti/<slug:slug>/", views.DashboardView.as_view(), name="dashboard"),
]
