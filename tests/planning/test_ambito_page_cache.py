"""The Ambito page's data fragment is cached by the Ambito's data versions, the reader's scope and the query."""

import pytest
from django.urls import reverse

from tests.fragments import zero_magenta_2024_unseen

pytestmark = pytest.mark.django_db

URL = reverse("planning:ambito_detail", args=["magentino"])
TOTAL = 'data-testid="totale-popolazione">{}<'


def test_filters_and_sorting_are_part_of_the_key(client_for, udp_user):
    client = client_for(udp_user)
    client.get(URL)
    assert TOTAL.format("24.598") in client.get(URL, {"q": "magenta"}).content.decode()


def test_readers_with_different_scope_never_share_a_fragment(client_for, admin_user, udp_user, operatore_user):
    assert TOTAL.format("131.668") in client_for(udp_user).get(URL).content.decode()  # cached for the Ufficio
    assert client_for(operatore_user).get(URL).status_code == 404  # an Operatore never reaches the fragment
    zero_magenta_2024_unseen()
    assert TOTAL.format("107.070") in client_for(admin_user).get(URL).content.decode()  # built for the admin
    assert TOTAL.format("131.668") in client_for(udp_user).get(URL).content.decode()  # the Ufficio's own


def test_a_second_request_reads_no_comune(client_for, udp_user, django_assert_max_num_queries):
    client = client_for(udp_user)
    client.get(URL)
    with django_assert_max_num_queries(4):  # session, user, grants, the Ambito with its parent: no Comune
        page = client.get(URL)
    assert "Boffalora sopra Ticino" in page.content.decode()
