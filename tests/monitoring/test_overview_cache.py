"""The schede overview's data fragments are cached by the Ambito's data versions and the reader's scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import RiepilogoSchede, Scheda
from tests.schede_helpers import magenta_nid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_campaigns")]

URL = reverse("monitoring:overview", args=["magentino"])
ONE_DRAFT = "<strong>1</strong> bozza"
ONE_SENT = "<strong>1</strong> inviata"


def test_a_scheda_change_shows_on_the_next_request(client_for, udp_user):
    client = client_for(udp_user)
    assert ONE_DRAFT in client.get(URL).content.decode()
    scheda = magenta_nid()
    scheda.stato = "inviata"
    scheda.save()  # the Ambito's data version moves in the same transaction
    page = client.get(URL).content.decode()
    assert ONE_SENT in page
    assert ONE_DRAFT not in page


def test_readers_with_different_scope_never_share_a_fragment(client_for, admin_user, udp_user, operatore_user):
    assert ONE_DRAFT in client_for(udp_user).get(URL).content.decode()  # cached for the Ufficio di Piano
    assert client_for(operatore_user).get(URL).status_code == 404  # an Operatore never reaches the fragment
    Scheda.objects.filter(pk=magenta_nid().pk).update(stato="inviata")  # no signal: the version stays
    RiepilogoSchede.objects.all().delete()  # and so would the rollup of the schede valid for it (monitoring.rollup)
    page = client_for(admin_user).get(URL).content.decode()
    assert ONE_SENT in page  # built for the administrator
    assert ONE_DRAFT not in page
    assert ONE_DRAFT in client_for(udp_user).get(URL).content.decode()  # the Ufficio's own cached fragment


def test_a_second_request_reads_no_schede(client_for, udp_user, django_assert_max_num_queries):
    client = client_for(udp_user)
    client.get(URL)
    # the page around the fragments (session, user, grants, the Ambito, the active templates): no scheda read
    with django_assert_max_num_queries(6):
        page = client.get(URL)
    assert 'data-testid="totale-NID26-R21">73,3%<' in page.content.decode()


def test_another_order_or_page_does_not_count_the_ambito_again(client_for, udp_user):
    """The Ambito's counts and indicator totals are cached apart from the page: sorting or paging the table reads
    only its rows."""
    client = client_for(udp_user)
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(URL, {"sort": "-completezza"})
    counting = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"] and "monitoring_scheda" in q["sql"]]
    assert counting == []
    assert ONE_DRAFT in page.content.decode()
    assert 'data-testid="totale-NID26-R21">73,3%<' in page.content.decode()
    Scheda.objects.filter(pk=magenta_nid().pk).update(stato="inviata")
    scheda = magenta_nid()
    scheda.save()  # a change moves the version: counted again
    assert ONE_SENT in client.get(URL, {"sort": "-completezza"}).content.decode()
