"""The pages whose data part is a cached fragment (core.fragments), the dashboard and the Ambito page: the fragment is
served from the cache until the Ambito's data version moves (a saved change shows on the next request), readers of
different scope never share one, the Ambito page's key holds the query, and a second request reads no data."""

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.fragments import add_to_magenta_2024, zero_magenta_2024_unseen

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class CachedPage:
    """A page of the Magentino whose fragment shows the population total (element `total_id`) and `text`; a second
    request runs at most `queries` queries."""

    url_name: str
    total_id: str
    text: str
    queries: int

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=["magentino"])

    def total(self, client, **query) -> str:
        """The population total the page shows to `client` (the query string: `query`)."""
        html = client.get(self.url, query).content.decode()
        shown = re.search(f'data-testid="{self.total_id}">([^<]*)<', html)
        assert shown, f"no {self.total_id} in the page"
        return shown[1]


# A second request: session, user, grants, the Ambito with its parent, the plans' versions: the data are not read again
DASHBOARD = CachedPage("reports:dashboard", "kpi-popolazione", "Dati del grafico (tabella)", queries=5)
# A second request: session, user, grants, the Ambito with its parent: no Comune
AMBITO = CachedPage("planning:ambito_detail", "totale-popolazione", "Boffalora sopra Ticino", queries=4)


@pytest.fixture(params=[DASHBOARD, AMBITO], ids=["dashboard", "ambito"])
def page(request) -> CachedPage:
    return request.param


def test_a_population_change_shows_on_the_next_request(client_for, udp_user, page):
    client = client_for(udp_user)
    assert page.total(client) == "131.668"
    add_to_magenta_2024(1000)
    assert page.total(client) == "132.668"


def test_the_fragment_is_served_from_the_cache_until_the_version_moves(client_for, udp_user, page):
    client = client_for(udp_user)
    client.get(page.url)
    zero_magenta_2024_unseen()
    assert page.total(client) == "131.668"  # the cached fragment


@pytest.mark.parametrize("udp_first", [True, False], ids=["ufficio-first", "admin-first"])
def test_readers_with_different_scope_never_share_a_fragment(client_for, admin_user, udp_user, page, udp_first):
    """The Ufficio di Piano (its Ambito) and the administrator (every Ambito), whichever cached the fragment first."""
    first, second = (udp_user, admin_user) if udp_first else (admin_user, udp_user)
    assert page.total(client_for(first)) == "131.668"  # cached for the first reader
    zero_magenta_2024_unseen()
    assert page.total(client_for(second)) == "107.070"  # built for the second one
    assert page.total(client_for(first)) == "131.668"  # the first reader's own fragment


def test_a_second_request_reads_no_data(client_for, udp_user, page, django_assert_max_num_queries):
    client = client_for(udp_user)
    client.get(page.url)
    with django_assert_max_num_queries(page.queries):
        response = client.get(page.url)
    assert response.status_code == 200
    assert page.text in response.content.decode()


def test_the_query_is_part_of_the_ambito_page_key(client_for, udp_user):
    """Filters and sorting: the whole page cached first, then the page of Magenta alone."""
    client = client_for(udp_user)
    client.get(AMBITO.url)
    assert AMBITO.total(client, q="magenta") == "24.598"


def test_an_operatore_never_reaches_the_ambito_page_fragment(client_for, udp_user, operatore_user):
    assert AMBITO.total(client_for(udp_user)) == "131.668"  # cached for the Ufficio
    assert client_for(operatore_user).get(AMBITO.url).status_code == 404
