"""Whole pages kept per reader (core.page_cache): the dashboard, the Ambito page and a quadro page asked again by the
same user, with the same data and grants, are the stored bytes with this request's CSRF token; any change of the
data, of the grants or of the reader is a new page; messages are shown once; answers to a POST are never kept."""

import re

import pytest
from django.contrib.messages import INFO
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import user_cache
from accounts.models import Assegnazione, Ruolo
from accounts.scoping import scope, sees_ids
from core.page_cache import cached_page
from core.templatetags.fragments import PLACEHOLDER
from monitoring.models import Scheda
from monitoring.services import scheda_save
from monitoring.views.quadro import QUADRO_KEY_ROWS
from planning.models import PianoDiZona
from planning.views import AMBITO_KEY_ROWS
from reports.views import DASHBOARD_KEY_ROWS
from territory.models import Ambito, Popolazione, Regione
from tests.factories import user_with_role
from tests.schede_helpers import entry_post, magenta_nid

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def production_caches(settings):
    """The user cache as in production with Redis (here each test's own memory cache, one process)."""
    settings.USER_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 600


def browser(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def dashboard() -> str:
    return reverse("reports:dashboard", args=["magentino"])


def ambito_page(slug: str = "magentino") -> str:
    return reverse("planning:ambito_detail", args=[slug])


def quadro(scheda=None) -> str:
    return reverse("monitoring:quadro", args=[(scheda or magenta_nid()).pk, 1])


def without_token(page: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)


# the second request of each page: the session, the page's object (and the dashboard's plan versions); no user, no
# grant, no rendering
PAGES = [(dashboard, 3), (ambito_page, 2), (quadro, 2)]


@pytest.mark.parametrize(("url", "queries"), PAGES, ids=["cruscotto", "ambito", "quadro"])
def test_the_second_request_is_the_stored_page(url, queries, udp_user, django_assert_max_num_queries):
    client, path = browser(udp_user), url()
    first = client.get(path)
    assert first.status_code == 200
    with django_assert_max_num_queries(queries):
        second = client.get(path)
    assert second.status_code == 200
    first_page, second_page = first.content.decode(), second.content.decode()
    assert PLACEHOLDER not in first_page
    assert PLACEHOLDER not in second_page
    assert TOKEN.search(second_page)
    assert without_token(second_page) == without_token(first_page)
    assert second["Content-Type"] == first["Content-Type"]
    assert first.templates
    assert second.templates == []  # nothing rendered: the stored bytes


@pytest.mark.parametrize("url", [dashboard, ambito_page, quadro], ids=["cruscotto", "ambito", "quadro"])
def test_the_stored_page_is_really_served(url, udp_user, magentino):
    """A write that bypasses the data versions (QuerySet.update) is not seen: the page is not rendered again (the
    Ambito's name is in every page's header, which a rendering reads afresh)."""
    client, path = browser(udp_user), url()
    assert client.get(path).status_code == 200
    Ambito.objects.filter(pk=magentino.pk).update(nome="Nome mai visto")
    assert "Nome mai visto" not in client.get(path).content.decode()


def test_every_request_gets_its_own_working_csrf_token(udp_user):
    tokens = []
    for _ in range(2):  # two browsers of the same user: the second page is the stored one
        client = browser(udp_user)
        page = client.get(ambito_page()).content.decode()
        token = TOKEN.search(page)[1]
        tokens.append(token)
        assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
        assert client.get(ambito_page()).status_code == 302  # logged out
    assert tokens[0] != tokens[1]


def test_a_scheda_saved_through_its_service_shows_on_the_next_request(udp_user, operatore_user):
    scheda = magenta_nid()
    client = browser(udp_user)
    assert 'value="4321"' not in client.get(quadro(scheda)).content.decode()
    scheda_save(scheda=scheda, user=operatore_user, values={("R05", "N25"): "4321"}, expected_version=scheda.versione)
    assert 'value="4321"' in client.get(quadro(scheda)).content.decode()


def test_a_population_write_shows_on_the_next_request(udp_user, magenta):
    client = browser(udp_user)
    before = client.get(ambito_page()).content.decode()
    popolazione = Popolazione.objects.filter(comune=magenta).order_by("-anno").first()
    popolazione.totale = 987654
    popolazione.save()
    after = client.get(ambito_page()).content.decode()
    assert "987.654" not in before
    assert "987.654" in after


def test_a_plan_change_shows_on_the_next_request(udp_user, piano):
    client = browser(udp_user)
    assert "Piano rinominato per la prova" not in client.get(dashboard()).content.decode()
    piano.titolo = "Piano rinominato per la prova"
    piano.save()
    assert "Piano rinominato per la prova" in client.get(dashboard()).content.decode()
    PianoDiZona.objects.filter(pk=piano.pk).update(titolo="Titolo senza versione")  # not versioned: not seen
    assert "Titolo senza versione" not in client.get(dashboard()).content.decode()


@pytest.mark.parametrize("url", [dashboard, ambito_page, quadro], ids=["cruscotto", "ambito", "quadro"])
def test_a_removed_grant_refuses_the_next_request(url, udp_user):
    client = browser(udp_user)
    assert client.get(url()).status_code == 200
    Assegnazione.objects.filter(user=udp_user).delete()
    assert client.get(url()).status_code == 404  # out of the user's scope: as if it did not exist
    Assegnazione.objects.create(user=udp_user, ruolo=Ruolo.UFFICIO_PIANO, ambito=Ambito.objects.get(slug="magentino"))
    assert client.get(url()).status_code == 200  # the refusal was not kept either


def test_a_changed_role_or_name_is_a_new_page(udp_user):
    """Still allowed to read the page, but with other rights (Dirigente: no import) or another name: the page is
    rendered again for them."""
    client = browser(udp_user)
    assert "Nome Nuovo" not in client.get(dashboard()).content.decode()
    assert "Importa popolazione ISTAT" in client.get(ambito_page()).content.decode()
    Assegnazione.objects.filter(user=udp_user).update(ruolo=Ruolo.DIRIGENTE)  # no signal: the user cache is told
    user_cache.user_changed(udp_user.pk)
    assert "Importa popolazione ISTAT" not in client.get(ambito_page()).content.decode()
    udp_user.first_name, udp_user.last_name = "Nome", "Nuovo"
    udp_user.save()
    assert "Nome Nuovo" in client.get(dashboard()).content.decode()


def test_another_user_never_gets_the_first_users_page(udp_user, operatore_user):
    """The Ufficio di Piano of the Magentino and an Operatore of Magenta both read Magenta's scheda: each gets its own
    page (name, menu, header), also when the other's is stored."""
    udp_user.first_name, udp_user.last_name = "Ada", "Uffici"
    udp_user.save()
    operatore_user.first_name, operatore_user.last_name = "Otto", "Comune"
    operatore_user.save()
    udp, operatore = browser(udp_user), browser(operatore_user)
    for _ in range(2):
        udp_page = udp.get(quadro()).content.decode()
        operatore_page = operatore.get(quadro()).content.decode()
        assert "Ada Uffici" in udp_page
        assert "Otto Comune" not in udp_page
        assert "Otto Comune" in operatore_page
        assert "Ada Uffici" not in operatore_page
    assert operatore.get(ambito_page()).status_code == 404  # and the Ambito page is not the other user's


def test_two_users_with_the_same_grants_get_their_own_pages(udp_user, magentino):
    other = user_with_role("secondo-udp", Ruolo.UFFICIO_PIANO, ambito=magentino)
    other.first_name, other.last_name = "Seconda", "Persona"
    other.save()
    browser(udp_user).get(dashboard())
    page = browser(other).get(dashboard()).content.decode()
    assert "Seconda Persona" in page


def add_message(client: Client, text: str) -> None:
    """A message waiting for the next page, as after a redirect (django.contrib.messages' cookie)."""
    client.cookies[CookieStorage.cookie_name] = CookieStorage(None)._encode([Message(INFO, text)])


def test_messages_are_shown_once(udp_user):
    client = browser(udp_user)
    stored = client.get(ambito_page()).content.decode()
    add_message(client, "Messaggio da mostrare una volta")
    assert "Messaggio da mostrare una volta" in client.get(ambito_page()).content.decode()
    again = client.get(ambito_page()).content.decode()
    assert "Messaggio da mostrare una volta" not in again
    assert without_token(again) == without_token(stored)


def test_a_message_after_a_save_is_shown_once(udp_user):
    scheda = magenta_nid()
    client = Client()
    client.force_login(udp_user)
    client.get(quadro(scheda))
    response = client.post(quadro(scheda), entry_post(scheda, {"R05-N25": "555"}), follow=True)
    assert "Quadro 1 salvato" in response.content.decode()
    assert "Quadro 1 salvato" not in client.get(quadro(scheda)).content.decode()


def test_a_page_with_the_users_unsaved_values_is_never_kept(udp_user):
    scheda = magenta_nid()
    client = Client()
    client.force_login(udp_user)
    client.get(quadro(scheda))
    refused = client.post(quadro(scheda), entry_post(scheda, {"R05-N25": "non un numero"}))
    assert refused.status_code == 400
    assert "non un numero" in refused.content.decode()
    assert "non un numero" not in client.get(quadro(scheda)).content.decode()


def test_only_a_200_answer_to_a_get_is_kept(rf):
    """core.page_cache alone: a refusal, an error, a redirect or an answer to a POST is asked of the view every time."""
    answers = []

    def respond(status: int):
        def view():
            answers.append(status)
            return HttpResponse(f"risposta {status}", status=status)

        return view

    for status in (404, 403, 302, 500):
        for _ in range(2):
            assert cached_page(rf.get("/pagina/"), ["lettore", status], respond(status)).status_code == status
    for _ in range(2):
        assert cached_page(rf.post("/pagina/"), ["lettore", "post"], respond(200)).status_code == 200
    assert answers == [404, 404, 403, 403, 302, 302, 500, 500, 200, 200]
    for _ in range(2):
        assert cached_page(rf.get("/pagina/"), ["lettore", "get"], respond(200)).content == b"risposta 200"
    assert len(answers) == 11  # the second GET was the stored page


def test_key_rows_compiled_once_equal_the_orm_rows():
    """The key queries run the SQL the ORM compiled once (core.page_cache.KeyRows), with each request's value."""
    scheda = magenta_nid()
    for key_rows, values in (
        (DASHBOARD_KEY_ROWS, ["magentino", "oglio-po", "nessuno"]),
        (AMBITO_KEY_ROWS, ["magentino"]),
    ):
        for value in values:
            expected = list(key_rows.queryset.filter(**{key_rows.lookup: value}))
            assert [tuple(r) for r in key_rows(value)] == expected, value
        assert key_rows._prepared is True
    assert QUADRO_KEY_ROWS(scheda.pk)[0][:3] == (scheda.versione, scheda.stato, scheda.motivo)
    assert QUADRO_KEY_ROWS(-5) == []


def test_sees_ids_answers_as_scope_for_ambiti_and_schede(admin_user, udp_user, dirigente_user, operatore_user):
    """accounts.scoping.sees_ids (the key queries' check, from the cached grants) keeps what scope() keeps."""
    regione = user_with_role("regione-ids", Ruolo.REGIONE, regione=Regione.objects.get(nome="Lombardia"))
    schede = list(Scheda.objects.values_list("pk", "comune_id", "comune__ambito_id"))
    for user in (admin_user, udp_user, dirigente_user, operatore_user, regione):
        ambiti = set(scope(Ambito.objects.all(), user).values_list("pk", flat=True))
        assert {a for a in Ambito.objects.values_list("pk", flat=True) if sees_ids(user, a)} == ambiti, user
        visible = set(scope(Scheda.objects.all(), user).values_list("pk", flat=True))
        assert {pk for pk, comune, ambito in schede if sees_ids(user, ambito, comune)} == visible, user
        assert visible  # each role sees some schede (the operatore those of Magenta)


def test_the_key_queries_are_prepared_on_postgresql_and_counted_like_any_query():
    """On PostgreSQL a key query is a prepared statement of the connection (core.prepared.prepared_cursor: the plan of
    its joins is made once), Django's own queries are not; on every database it is logged and counted as a query,
    with the same rows as the ORM's."""
    scheda = magenta_nid()
    (expected,) = QUADRO_KEY_ROWS.queryset.filter(pk=scheda.pk)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):
            (row,) = QUADRO_KEY_ROWS(scheda.pk)
            assert row[3].replace(tzinfo=None) == expected[3].replace(tzinfo=None)  # naive from SQLite's cursor
            assert row[:3] + row[4:] == expected[:3] + expected[4:]
    assert len(queries.captured_queries) == 2  # (on PostgreSQL Django logs no text for a prepared statement)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, parameter_types::text FROM pg_prepared_statements")
            prepared = cursor.fetchall()
        assert len(prepared) == 1, prepared  # the key query (psycopg's _pg3_…), run twice; Django's cursor: none
        assert prepared[0][0].startswith("_pg3_"), prepared
    else:
        assert connection.vendor == "sqlite"  # Django's own cursor (SQLite keeps its statements itself)
