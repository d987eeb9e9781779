"""The dashboard's data fragment is cached by the data versions and the reader's scope (core.fragments)."""

import pytest
from django.urls import reverse

from tests.fragments import zero_magenta_2024_unseen

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard", args=["magentino"])
KPI = 'data-testid="kpi-popolazione">{}<'


def test_the_fragment_is_served_from_the_cache_until_the_version_moves(client_for, udp_user):
    client = client_for(udp_user)
    client.get(URL)
    zero_magenta_2024_unseen()
    assert KPI.format("131.668") in client.get(URL).content.decode()  # the cached fragment


def test_readers_with_different_scope_never_share_a_fragment(client_for, admin_user, udp_user):
    assert KPI.format("131.668") in client_for(admin_user).get(URL).content.decode()  # cached for the admin
    zero_magenta_2024_unseen()
    assert KPI.format("107.070") in client_for(udp_user).get(URL).content.decode()  # built for the Ufficio
    assert KPI.format("131.668") in client_for(admin_user).get(URL).content.decode()  # the admin's own fragment


def test_a_second_request_runs_fewer_queries(client_for, udp_user, django_assert_max_num_queries):
    client = client_for(udp_user)
    client.get(URL)
    # session, user, grants, the Ambito with its parent, the plans' versions: the data are not read again
    with django_assert_max_num_queries(5):
        page = client.get(URL)
    assert page.status_code == 200
    assert "Dati del grafico (tabella)" in page.content.decode()
