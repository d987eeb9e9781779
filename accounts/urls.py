"""Login, logout and password change (Italian templates in templates/registration/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import LoginForm

urlpatterns = [
    path(
        "accesso/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("esci/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/fatto/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
