"""Two users editing the same quadro: only each user's own changes are written, overlapping ones are chosen."""

import pytest
from django.urls import reverse

from monitoring.models import ValoreCella
from tests.html_forms import form_fields
from tests.schede_helpers import magenta_nid, stored
from tests.two_sessions import choose_and_save, load_both, open_both, second_save_conflicts, sessions

pytestmark = pytest.mark.django_db


FORM = "scheda-form"


@pytest.fixture
def two_users(udp_user, operatore_user):
    """The Ufficio di Piano and the Comune's operator, each with a session of their own."""
    return sessions(udp_user, operatore_user)


@pytest.fixture
def quadro_1(db):
    """Magenta's NID26 (a draft) and the address of its Quadro 1."""
    scheda = magenta_nid()
    return scheda, reverse("monitoring:quadro", args=[scheda.pk, 1])


def test_stale_page_does_not_overwrite_cells_changed_by_another_user(two_users, quadro_1):
    scheda, url = quadro_1
    udp, operator, page_udp, page_op = open_both(two_users, url, FORM)
    assert page_udp["v-R06-N25"] == "150"
    assert page_udp["v-R05-N25"] == "180"

    page_op["v-R06-N25"] = "160"
    assert operator.post(url, page_op).status_code == 302
    page_udp["v-R05-N25"] = "999"  # the stale page still shows R06 = 150
    assert udp.post(url, page_udp).status_code == 302

    assert stored(scheda, "R06", "N25") == "160"  # the operator's value survived
    assert stored(scheda, "R05", "N25") == "999"


def test_same_cell_changed_by_both_asks_to_choose_and_saves_nothing(two_users, quadro_1, operatore_user):
    scheda, url = quadro_1
    udp, operator, page_udp, page_op = open_both(two_users, url, FORM)
    page_op["v-R05-N25"] = "200"
    page_udp["v-R05-N25"] = "999"
    page_udp["v-R07-N25"] = "12"
    html = second_save_conflicts(operator, udp, url, page_op, page_udp).content.decode()
    # The quadro nests the conflict box (core/_conflitti.html) in a second one: read from the outer one.
    box = html.split('data-testid="conflitto"', 1)[1].split("</fieldset>")[0]
    assert 'data-conflict="scelta-v.R05.N25"' in box
    assert "Il suo valore: <strong>999</strong>" in box
    assert f"da {operatore_user}" in box
    assert "<strong>200</strong>" in box
    assert stored(scheda, "R05", "N25") == "200"
    assert not ValoreCella.objects.filter(scheda=scheda, riga="R07", colonna="N25").exclude(valore="").exists()

    # Saving again without a choice is refused, and nothing is written.
    again = form_fields(html, FORM)
    assert again["v-R05-N25"] == "999"
    assert again["v-R07-N25"] == "12"
    refused = udp.post(url, again)
    assert refused.status_code == 400
    assert "scegliere quale valore tenere" in refused.content.decode()
    assert stored(scheda, "R05", "N25") == "200"

    # Choosing the other user's value keeps it and still saves this user's own change to R07.
    again["scelta-v.R05.N25"] = "altro"
    assert udp.post(url, again).status_code == 302
    assert stored(scheda, "R05", "N25") == "200"
    assert stored(scheda, "R07", "N25") == "12"


def test_choosing_my_value_after_a_conflict_writes_it(two_users, quadro_1):
    scheda, url = quadro_1
    udp, operator, page_udp, page_op = open_both(two_users, url, FORM)
    page_op["v-R05-N25"] = "200"
    page_udp["v-R05-N25"] = "999"
    conflict = second_save_conflicts(operator, udp, url, page_op, page_udp)
    choose_and_save(udp, url, conflict, FORM, "scelta-v.R05.N25", "mio")
    assert stored(scheda, "R05", "N25") == "999"


def test_comments_are_merged_like_values(two_users, quadro_1):
    scheda, url = quadro_1
    udp, operator, page_udp, page_op = open_both(two_users, url, FORM)
    page_op["c-R11-N25"] = "Nido aziendale compreso"
    assert operator.post(url, page_op).status_code == 302
    page_udp["v-R07-N25"] = "3"
    assert udp.post(url, page_udp).status_code == 302  # its empty comment box was not touched
    assert stored(scheda, "R11", "N25", "commento") == "Nido aziendale compreso"

    page_udp, page_op = load_both(udp, operator, url, FORM)
    page_op["c-R11-N25"] = "Versione dell'operatore"
    page_udp["c-R11-N25"] = "Versione dell'Ufficio di Piano"
    response = second_save_conflicts(operator, udp, url, page_op, page_udp)
    assert 'data-conflict="scelta-c.R11.N25"' in response.content.decode()
    assert stored(scheda, "R11", "N25", "commento") == "Versione dell'operatore"
