"""The pages whose data part is a cached fragment (core.fragments) show a saved change on the next request: the
change moves the Ambito's data version, hence the fragment's key."""

import pytest
from django.urls import reverse

from tests.fragments import add_to_magenta_2024

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "marker"),
    [
        ("reports:dashboard", 'data-testid="kpi-popolazione">{}<'),
        ("planning:ambito_detail", 'data-testid="totale-popolazione">{}<'),
    ],
)
def test_a_population_change_shows_on_the_next_request(client_for, udp_user, url_name, marker):
    client = client_for(udp_user)
    url = reverse(url_name, args=["magentino"])
    assert marker.format("131.668") in client.get(url).content.decode()
    add_to_magenta_2024(1000)
    assert marker.format("132.668") in client.get(url).content.decode()
