"""accounts.scoping.ScopedObjectMixin on its own: the object of the URL among those the user may see or change,
reached by one or several URL keywords, 404 before the view's own checks, and the current Ambito of the header."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views import View

from accounts.scoping import EDIT, ScopedObjectMixin
from planning.models import Capitolo

pytestmark = pytest.mark.django_db


class CapitoloView(ScopedObjectMixin, View):
    """A chapter reached by its plan's slug and its position, as a snapshot is reached by plan and code."""

    scoped_model = Capitolo
    scoped_select_related = ("piano__ambito",)
    lookups = {"piano__slug": "slug", "ordine": "ordine"}
    ambito_attr = "piano.ambito"
    checked: list = []

    def check_scoped_object(self, obj):
        self.checked.append(obj)
        if obj.titolo == "bloccato":
            raise PermissionDenied

    def get(self, request, *args, **kwargs):
        return HttpResponse(self.scoped_object.titolo)


def call(view_class, user, **kwargs):
    request = RequestFactory().get("/")
    request.user = user
    return request, view_class.as_view()(request, **kwargs)


def test_the_object_is_found_by_several_url_keywords_and_sets_the_current_ambito(piano, udp_user):
    request, response = call(CapitoloView, udp_user, slug=piano.slug, ordine=1)
    assert response.content.decode() == "Introduzione"
    assert request.ambito_corrente == piano.ambito


def test_another_ambito_s_object_is_404_before_the_view_s_own_checks(piano, udp_oglio):
    CapitoloView.checked = []
    with pytest.raises(Http404):
        call(CapitoloView, udp_oglio, slug=piano.slug, ordine=1)
    assert CapitoloView.checked == []


def test_the_action_asked_is_the_one_checked(piano, dirigente_user, udp_user):
    class EditView(CapitoloView):
        action = EDIT

    with pytest.raises(Http404):
        call(EditView, dirigente_user, slug=piano.slug, ordine=1)
    _request, response = call(EditView, udp_user, slug=piano.slug, ordine=1)
    assert response.status_code == 200


def test_the_view_s_own_check_runs_once_the_object_is_found(piano, udp_user):
    Capitolo.objects.filter(piano=piano, ordine=2).update(titolo="bloccato")
    with pytest.raises(PermissionDenied):
        call(CapitoloView, udp_user, slug=piano.slug, ordine=2)
