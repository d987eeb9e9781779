"""`can_loaded` answers like `can` from the cached grants and the object's loaded links, without a query."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Ruolo
from accounts.scoping import APPROVE, EDIT, MANAGE, VIEW, can, can_loaded, grants_for
from monitoring.models import Scheda
from territory.models import Ambito, Comune, Regione
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

ACTIONS = [VIEW, EDIT, MANAGE, APPROVE]


@pytest.fixture
def users(udp_user, dirigente_user, operatore_user, admin_user, udp_oglio):
    regione = user_with_role("regione", Ruolo.REGIONE, regione=Regione.objects.get(nome="Lombardia"))
    return [udp_user, dirigente_user, operatore_user, admin_user, udp_oglio, regione]


def objects():
    schede = list(Scheda.objects.select_related("comune__ambito").order_by("pk"))
    comuni = list(Comune.objects.filter(pk__in=["015130", "035033"]).select_related("ambito"))
    return [*schede, *comuni, *Ambito.objects.all()]


def test_it_answers_like_can_for_every_role_and_action(users):
    rows = objects()
    assert len(rows) > 5
    for user in users:
        for action in ACTIONS:
            for obj in rows:
                assert can_loaded(user, action, obj) == can(user, action, obj), (user.username, action, obj)


def test_with_the_links_loaded_it_reads_nothing(udp_user, operatore_user, django_assert_num_queries):
    scheda = Scheda.objects.select_related("comune__ambito").get(modello__codice="NID26", comune_id="015130")
    for user in (udp_user, operatore_user):
        grants_for(user)  # read once per request anyway
        with django_assert_num_queries(0):
            assert can_loaded(user, EDIT, scheda)
    with django_assert_num_queries(0):
        assert not can_loaded(operatore_user, MANAGE, scheda)


def test_anonymous_can_nothing():
    scheda = Scheda.objects.first()
    assert not can_loaded(AnonymousUser(), VIEW, scheda)
