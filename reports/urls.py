"""URLs of the reports app."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
]
