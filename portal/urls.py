"""URLs of the shell: home, legal pages, health check."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "privacy/", views.StaticPageView.as_view(template_name="portal/privacy.html", titolo="Privacy"), name="privacy"
    ),
    path(
        "note-legali/",
        views.StaticPageView.as_view(template_name="portal/note_legali.html", titolo="Note legali"),
        name="note_legali",
    ),
    path(
        "accessibilita/",
        views.StaticPageView.as_view(
            template_name="portal/accessibilita.html", titolo="Dichiarazione di accessibilità"
        ),
        name="accessibilita",
    ),
    path("healthz", views.healthz, name="healthz"),
]
