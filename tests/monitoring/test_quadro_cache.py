"""The quadro page's data (grid, summary, loaded state) and the header's milestones are cached by the scheda's
version and its Ambito's data versions, the right to change the scheda and the language (monitoring.views.quadro)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.scoping import EDIT, VIEW, can_loaded, can_on_ambito
from accounts.user_cache import reader_key
from monitoring.campaigns.selectors import campagna_of
from monitoring.models import Scheda, Stato, ValoreCella
from monitoring.views.quadro import QUADRO_KEY_ROWS, QuadroEntryView
from tests.schede_helpers import entry_post, magenta_nid

pytestmark = pytest.mark.django_db


def quadro_url(scheda, number: int = 1) -> str:
    return reverse("monitoring:quadro", args=[scheda.pk, number])


def field_value(page: str, name: str) -> str:
    return page.split(f'name="{name}"')[1].split('value="', 1)[1].split('"', 1)[0]


def test_a_saved_value_shows_on_the_next_request(client_for, udp_user):
    scheda = magenta_nid()
    client = client_for(udp_user)
    assert field_value(client.get(quadro_url(scheda)).content.decode(), "v-R05-N25") != "1234"
    response = client.post(quadro_url(scheda), entry_post(scheda, {"R05-N25": "1234"}))
    assert response.status_code == 302
    page = client.get(quadro_url(scheda)).content.decode()
    assert field_value(page, "v-R05-N25") == "1234"
    assert f'name="version" value="{scheda.versione + 1}"' in page


def test_a_value_changed_elsewhere_shows_on_the_next_request(client_for, udp_user):
    scheda = magenta_nid()
    client = client_for(udp_user)
    client.get(quadro_url(scheda))
    valore = ValoreCella.objects.get(scheda=scheda, riga="R05", colonna="N25")
    valore.valore = "777"
    valore.save()  # not through the page: the Ambito's data version moves in the same transaction
    assert field_value(client.get(quadro_url(scheda)).content.decode(), "v-R05-N25") == "777"


def test_an_unversioned_change_is_not_seen_so_the_cache_is_used(client_for, udp_user):
    """The cache is really used: a write that bypasses the versions (QuerySet.update) is not seen until the next
    versioned change."""
    scheda = magenta_nid()
    client = client_for(udp_user)
    before = field_value(client.get(quadro_url(scheda)).content.decode(), "v-R05-N25")
    ValoreCella.objects.filter(scheda=scheda, riga="R05", colonna="N25").update(valore="999")
    assert field_value(client.get(quadro_url(scheda)).content.decode(), "v-R05-N25") == before


def test_readers_with_and_without_the_edit_right_never_share_the_grid(client_for, udp_user, dirigente_user):
    scheda = magenta_nid()
    assert 'name="v-R05-N25"' in client_for(udp_user).get(quadro_url(scheda)).content.decode()
    read_only = client_for(dirigente_user).get(quadro_url(scheda)).content.decode()
    assert 'name="v-R05-N25"' not in read_only
    assert "Scheda in sola lettura" in read_only
    assert 'name="v-R05-N25"' in client_for(udp_user).get(quadro_url(scheda)).content.decode()


def test_an_error_page_keeps_the_typed_value_and_does_not_reach_the_cache(client_for, udp_user):
    scheda = magenta_nid()
    client = client_for(udp_user)
    stored = field_value(client.get(quadro_url(scheda)).content.decode(), "v-R05-N25")
    response = client.post(quadro_url(scheda), entry_post(scheda, {"R05-N25": "12abc"}))
    assert response.status_code == 400
    assert field_value(response.content.decode(), "v-R05-N25") == "12abc"
    assert field_value(client.get(quadro_url(scheda)).content.decode(), "v-R05-N25") == stored


def test_a_changed_milestone_shows_on_the_next_request(client_for, udp_user):
    scheda = magenta_nid()
    campagna = campagna_of(scheda.modello_id, scheda.comune_id)
    assert campagna is not None  # the demo's NID26 campaign of the Magentino
    client = client_for(udp_user)
    client.get(quadro_url(scheda))
    scadenza = campagna.scadenze.order_by("data").first()
    scadenza.data = datetime.date(2031, 7, 9)
    scadenza.save()
    assert "09/07/2031" in client.get(quadro_url(scheda)).content.decode()


def test_a_cached_quadro_reads_no_values_and_no_campaign(client_for, udp_user, django_assert_max_num_queries):
    scheda = magenta_nid()
    client = client_for(udp_user)
    first = client.get(quadro_url(scheda)).content.decode()
    # session, user, grants, the scheda with its template, Comune and Ambito (the edit right and the header's
    # Ambito come from the grants and the scheda: accounts.scoping.can_loaded, SchedaObjectMixin.scoped_ambito)
    with django_assert_max_num_queries(4), CaptureQueriesContext(connection) as queries:
        again = client.get(quadro_url(scheda)).content.decode()
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "monitoring_valorecella" not in tables
    assert "monitoring_campagna" not in tables
    assert again.split('name="csrfmiddlewaretoken"')[0] == first.split('name="csrfmiddlewaretoken"')[0]
    assert again.split('name="version"')[1] == first.split('name="version"')[1]


@pytest.mark.parametrize("stato", [Stato.BOZZA, Stato.INVIATA, Stato.RIMANDATA, Stato.VALIDATA])
def test_the_key_of_a_stored_page_takes_the_edit_right_and_the_header_by_the_rules_of_the_view(
    stato, rf, admin_user, udp_user, dirigente_user, operatore_user
):
    """The stored page's key reads the edit right and the Ambito in the header from the key row and the grants; they
    must be what the view itself decides from the loaded scheda (Scheda.modificabile with can_loaded, and
    can_on_ambito), for every role and state, or a reader would get a page built for another right."""
    scheda = magenta_nid()
    Scheda.objects.filter(pk=scheda.pk).update(stato=stato)
    scheda = Scheda.objects.select_related("comune__ambito").get(pk=scheda.pk)
    row = QUADRO_KEY_ROWS(scheda.pk)[0]
    for user in (admin_user, udp_user, dirigente_user, operatore_user):
        request = rf.get(quadro_url(scheda))
        request.user = user
        request.session = {}
        parts = QuadroEntryView().page_parts(request, scheda.pk, 1, row)
        editable = scheda.modificabile and can_loaded(user, EDIT, scheda)
        assert parts[3] is editable, (user.username, stato)
        assert parts[0] == reader_key(request, in_ambito=can_on_ambito(user, VIEW, scheda.comune.ambito)), user
