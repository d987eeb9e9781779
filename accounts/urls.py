"""Login (local form and SPID/CIE), logout and password change (Italian templates in templates/registration/)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views

urlpatterns = [
    path("accesso/", views.PortalLoginView.as_view(), name="login"),
    # SPID/CIE (OpenID Connect): 404 while not configured; the callback's address is registered at the provider
    path("accesso/spid/", login_not_required(views.OIDCLoginView.as_view()), name="oidc_login"),
    path("accesso/spid/callback/", login_not_required(views.OIDCCallbackView.as_view()), name="oidc_callback"),
    path("esci/", views.PortalLogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/fatto/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
