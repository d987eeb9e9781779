"""The logged-in user and its grants come from the shared cache (accounts.user_cache, accounts.backends), and every
change that decides what the user may do is seen on the very next request: deactivation, deletion, a password
change, the superuser flag, an assignment added, removed, moved or changed, a sub-ambito or a Regione's Ambiti.

Each test asks a page first (the user and its grants are cached), changes something the ordinary way (a save, a
delete: the signals), then asks again. With the invalidation turned off, the second request would be answered from
the stale entry."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import user_cache
from accounts.models import Assegnazione, Ruolo
from accounts.scoping import grants_for
from territory.models import Ambito, Regione
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture(autouse=True)
def user_cache_on(settings):
    """As in production with Redis (here each test's own memory cache, one process)."""
    settings.USER_CACHE_SECONDS = 300


def ambito_page(slug: str) -> str:
    return reverse("planning:ambito_detail", args=[slug])


def status(client, slug: str) -> int:
    return client.get(ambito_page(slug)).status_code


def saved(obj, **fields) -> None:
    """Change `fields` of `obj` and save it (the ordinary way: the signals run)."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def user_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if '"auth_user"' in q["sql"] or '"accounts_assegnazione"' in q["sql"]]


def test_the_user_and_its_grants_are_read_from_the_cache(client_for, udp_user, magentino):
    client = client_for(udp_user)
    assert user_queries(client, ambito_page("magentino"))  # the first request reads them and fills the cache
    assert user_queries(client, ambito_page("magentino")) == []
    # a write that sends no signal is not seen: the entry really is used
    User.objects.filter(pk=udp_user.pk).update(first_name="Invisibile")
    assert "Invisibile" not in client.get(reverse("portal:home")).content.decode()


def test_without_the_setting_nothing_is_cached(settings, client_for, udp_user, magentino):
    settings.USER_CACHE_SECONDS = 0
    client = client_for(udp_user)
    client.get(ambito_page("magentino"))
    assert user_queries(client, ambito_page("magentino"))
    User.objects.filter(pk=udp_user.pk).update(is_active=False)
    assert status(client, "magentino") == 302


def test_a_deactivated_user_is_logged_out(client_for, udp_user, magentino):
    client = client_for(udp_user)
    assert status(client, "magentino") == 200
    saved(udp_user, is_active=False)
    assert status(client, "magentino") == 302  # to the login page


def test_a_deleted_user_is_logged_out(client_for, udp_user, magentino):
    client = client_for(udp_user)
    assert status(client, "magentino") == 200
    udp_user.delete()
    assert status(client, "magentino") == 302


def test_a_password_change_ends_the_other_sessions(client_for, udp_user, magentino):
    client = client_for(udp_user)
    assert status(client, "magentino") == 200
    user = User.objects.get(pk=udp_user.pk)
    user.set_password("una-nuova-password-lunga")
    user.save()
    assert status(client, "magentino") == 302  # the session's hash no longer matches the cached password's


def test_a_removed_assignment_is_seen_at_once(client_for, udp_user, magentino):
    client = client_for(udp_user)
    assert status(client, "magentino") == 200
    Assegnazione.objects.filter(user=udp_user).delete()
    assert status(client, "magentino") == 404


def test_an_added_assignment_is_seen_at_once(client_for, udp_user, oglio_po):
    client = client_for(udp_user)
    assert status(client, "oglio-po") == 404
    Assegnazione.objects.create(user=udp_user, ruolo=Ruolo.UFFICIO_PIANO, ambito=oglio_po)
    assert status(client, "oglio-po") == 200


def test_an_assignment_moved_to_another_ambito(client_for, udp_user, magentino, oglio_po):
    client = client_for(udp_user)
    assert (status(client, "magentino"), status(client, "oglio-po")) == (200, 404)
    saved(Assegnazione.objects.get(user=udp_user), ambito=oglio_po)
    assert (status(client, "magentino"), status(client, "oglio-po")) == (404, 200)


def test_an_assignment_moved_to_another_user(client, udp_user, magentino):
    other = user_with_role("altro-udp", Ruolo.DIRIGENTE, ambito=Ambito.objects.get(slug="oglio-po"))
    first, second = client, type(client)()
    first.force_login(udp_user)
    second.force_login(other)
    assert (status(first, "magentino"), status(second, "magentino")) == (200, 404)
    saved(Assegnazione.objects.get(user=udp_user), user=other)
    assert (status(first, "magentino"), status(second, "magentino")) == (404, 200)


@pytest.mark.parametrize("change", ["superuser", "parent"])
def test_a_grant_given_and_taken_back_by_a_save(change, client_for, udp_user, magentino, oglio_po):
    """The superuser flag set and cleared; the Oglio Po moved under the Magentino (a sub-ambito of the user's
    Ambito) and back."""
    obj, field, given, taken_back = {
        "superuser": (udp_user, "is_superuser", True, False),
        "parent": (oglio_po, "parent", magentino, None),
    }[change]
    client = client_for(udp_user)
    assert status(client, "oglio-po") == 404
    saved(obj, **{field: given})
    assert status(client, "oglio-po") == 200
    saved(obj, **{field: taken_back})
    assert status(client, "oglio-po") == 404


def test_a_new_sub_ambito_is_read_through_its_parent(client_for, udp_user, magentino):
    client = client_for(udp_user)
    assert status(client, "magentino") == 200
    Ambito.objects.create(nome="Sub-ambito di prova", slug="sub-di-prova", parent=magentino)
    assert status(client, "sub-di-prova") == 200


def test_a_regione_user_follows_the_ambiti_of_its_regione(client, magentino):
    lombardia = Regione.objects.get(nome="Lombardia")
    user = user_with_role("regione-lombardia", Ruolo.REGIONE, regione=lombardia)
    client.force_login(user)
    assert magentino.regione_id == lombardia.pk
    assert status(client, "magentino") == 200
    saved(magentino, regione=Regione.objects.exclude(pk=lombardia.pk).first())
    assert status(client, "magentino") == 404
    saved(magentino, regione=lombardia)
    assert status(client, "magentino") == 200


def test_a_changed_name_shows_on_the_next_request(client_for, udp_user, magentino):
    client = client_for(udp_user)
    client.get(reverse("portal:home"))
    saved(udp_user, first_name="Nome", last_name="Cambiato")
    assert "Nome Cambiato" in client.get(reverse("portal:home")).content.decode()


def test_a_group_change_is_seen_at_once(client_for, udp_user, magentino):
    client = client_for(udp_user)
    client.get(ambito_page("magentino"))
    group = Group.objects.create(name="prova")
    udp_user.groups.add(group)
    assert user_queries(client, ambito_page("magentino"))  # the entry was dropped: read again


def test_a_read_before_the_commit_is_not_kept_after_it(
    client_for, udp_user, magentino, django_capture_on_commit_callbacks
):
    """A request that read the database before the change committed, and stored what it read after the change
    deleted the token, holds a token that the commit deletes again."""
    client = client_for(udp_user)
    assert status(client, "magentino") == 200
    stale = User.objects.get(pk=udp_user.pk)
    assert grants_for(stale).ambiti  # read before the change, kept on the object
    with django_capture_on_commit_callbacks(execute=True):
        Assegnazione.objects.filter(user=udp_user).delete()  # deletes the token now and at the commit
        user_cache.cached_user(udp_user.pk, lambda: stale)  # the other request stores the old grants meanwhile
    assert status(client, "magentino") == 404
