from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.TokenListView.as_view(), name="token_list"),
    path("<int:pk>/revoca/", views.TokenRevokeView.as_view(), name="token_revoke"),
]
