"""Login everywhere, roles and data scoping: nobody sees or changes what is not assigned."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Ruolo
from accounts.scoping import EDIT, MANAGE, VIEW, scope
from territory.models import Ambito, Comune
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PUBLIC = {"login", "portal:healthz"}
SPID = {"oidc_login", "oidc_callback"}  # without login, and absent (404) while SPID/CIE is not configured
#: Open data: public (no login), 200 or 404 when the Ambito publishes nothing; its settings page needs login.
OPEN_DATA = {"opendata:index", "opendata:ambito", "opendata:catalogo", "opendata:catalogo_ambito",
             "opendata:dataset_csv", "opendata:dataset_json"}  # fmt: skip
HOME = reverse("portal:home")


def ambito_url(slug: str, query: str = "") -> str:
    return reverse("planning:ambito_detail", args=[slug]) + query


def comune_url(codice_istat: str) -> str:
    return reverse("planning:comune_detail", args=[codice_istat])


def import_url(slug: str) -> str:
    return reverse("planning:popolazione_import", args=[slug])


SAMPLE_KWARGS = {"slug": "magentino", "codice_istat": "015130", "pk": 1, "number": 1, "dataset": "popolazione"}


def project_url_names():
    """Every named URL of the project's own apps (the admin is checked separately; the REST API, which answers 401
    without its token instead of the login page, in tests/api/test_tokens.py)."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("admin", "api_v1"):
                    continue
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)

    return sorted(set((name, tuple(args)) for name, args in walk(get_resolver().url_patterns)))


def test_url_walk_finds_the_pages():
    names = {name for name, _ in project_url_names()}
    assert {"portal:home", "planning:ambito_detail", "planning:comune_detail", "planning:popolazione_import"} <= names


@pytest.mark.parametrize(("name", "args"), project_url_names())
def test_anonymous_is_redirected_to_login_except_public_pages(client, settings, name, args):
    settings.OIDC_CLIENT_ID = ""  # SPID/CIE off (tests/accounts/test_oidc.py covers it on)
    url = reverse(name, kwargs={a: SAMPLE_KWARGS[a] for a in args})
    response = client.get(url)
    if name in PUBLIC:
        assert response.status_code == 200
    elif name in SPID:
        assert response.status_code == 404
    elif name in OPEN_DATA:
        assert response.status_code in (200, 404), url
    else:
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_anonymous_cannot_export(client):
    response = client.get(reverse("planning:ambito_detail", args=["magentino"]) + "?_export=xlsx")
    assert response.status_code == 302


def test_admin_requires_login(client):
    url = reverse("admin:territory_comune_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert f"next={url}" in response["Location"]


# --- Operatore comunale ---------------------------------------------------------------------------


def test_operator_sees_own_comune(client_for, operatore_user):
    response = client_for(operatore_user).get(reverse("planning:comune_detail", args=["015130"]))
    assert response.status_code == 200
    assert "Comune di Magenta" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        comune_url("015010"),  # Arluno, same Ambito
        comune_url("035033"),  # Reggio nell'Emilia, another Ambito
        ambito_url("magentino"),
        ambito_url("magentino", "?_export=xlsx"),
        ambito_url("magentino", "?_export=csv"),
        ambito_url("reggio-emilia"),
        ambito_url("reggio-emilia", "?_export=xlsx"),
        import_url("magentino"),
    ],
)
def test_operator_gets_404_outside_own_comune(client_for, operatore_user, url):
    assert client_for(operatore_user).get(url).status_code == 404


def test_operator_home_lists_only_own_comune(client_for, operatore_user):
    page = client_for(operatore_user).get(HOME).content.decode()
    assert "Magenta" in page
    assert "Arluno" not in page
    assert "Ambito Oglio Po" not in page


# --- Ufficio di Piano and Dirigente --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        ambito_url("oglio-po"),
        ambito_url("casalasco"),
        ambito_url("reggio-emilia", "?_export=xlsx"),
        comune_url("035033"),
        import_url("reggio-emilia"),
    ],
)
def test_ufficio_di_piano_gets_404_for_other_ambiti(client_for, udp_user, url):
    assert client_for(udp_user).get(url).status_code == 404


def test_ufficio_di_piano_of_parent_sees_sub_ambiti(client_for, oglio_po):
    user = user_with_role("udp-op", Ruolo.UFFICIO_PIANO, ambito=oglio_po)
    client = client_for(user)
    page = client.get(ambito_url("oglio-po")).content.decode()
    assert "Viadana" in page
    assert "Casalmaggiore" in page
    assert client.get(ambito_url("viadanese")).status_code == 200
    assert client.get(ambito_url("magentino")).status_code == 404


def test_dirigente_reads_but_cannot_reach_edit_views(client_for, dirigente_user):
    client = client_for(dirigente_user)
    assert client.get(ambito_url("magentino")).status_code == 200
    assert client.get(ambito_url("magentino", "?_export=xlsx")).status_code == 200
    assert client.get(import_url("magentino")).status_code == 404
    assert client.post(import_url("magentino"), {"anno": "2024"}).status_code == 404
    assert "Importa popolazione ISTAT" not in client.get(ambito_url("magentino")).content.decode()
    assert (
        client.get(reverse("admin:territory_comune_change", args=["015130"])).status_code == 302
    )  # not staff: admin login


def test_ufficio_di_piano_sees_import_link(client_for, udp_user):
    page = client_for(udp_user).get(ambito_url("magentino")).content.decode()
    assert "Importa popolazione ISTAT" in page


def test_scope_helper_by_role(udp_user, dirigente_user, operatore_user, admin_user, magentino):
    comuni = Comune.objects.all()
    assert scope(comuni, udp_user, VIEW).count() == 13
    assert scope(comuni, udp_user, MANAGE).count() == 13
    assert scope(comuni, dirigente_user, VIEW).count() == 13
    assert scope(comuni, dirigente_user, EDIT).count() == 0
    assert list(scope(comuni, operatore_user, VIEW).values_list("pk", flat=True)) == ["015130"]
    assert list(scope(comuni, operatore_user, EDIT).values_list("pk", flat=True)) == ["015130"]
    assert scope(comuni, operatore_user, MANAGE).count() == 0
    assert scope(Ambito.objects.all(), operatore_user).count() == 0
    assert scope(comuni, admin_user, MANAGE).count() == comuni.count()


def test_user_without_assignment_sees_nothing(client_for):
    client = client_for(UserFactory(username="senza-ruolo"))
    page = client.get(HOME).content.decode()
    assert "non è ancora assegnato" in page
    assert client.get(ambito_url("magentino")).status_code == 404


# --- Admin: territory editable by the Amministratore only -----------------------------------------


def test_admin_superuser_can_edit_territory(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get(reverse("admin:territory_comune_change", args=["015130"])).status_code == 200
    assert client.get(reverse("admin:territory_ambito_changelist")).status_code == 200


def test_staff_without_superuser_cannot_edit_territory(client_for):
    staff = UserFactory(username="staff", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=["territory", "planning"]))
    client = client_for(staff)
    response = client.get(reverse("admin:territory_comune_change", args=["015130"]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()  # read-only view
    assert client.post(reverse("admin:territory_comune_change", args=["015130"]), {"nome": "X"}).status_code == 403


# --- Login throttling (django-axes) ---------------------------------------------------------------


def test_login_lockout_after_repeated_failures(client, settings):
    UserFactory(username="mario")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "mario", "password": "sbagliata"})
        assert response.status_code == 200
        assert "Nome utente o password non corretti" in response.content.decode()
    response = client.post(reverse("login"), {"username": "mario", "password": "sbagliata"})
    assert response.status_code == 429
    assert "Accesso temporaneamente bloccato" in response.content.decode()
    # Even the right password is refused while locked out.
    response = client.post(reverse("login"), {"username": "mario", "password": "password-di-prova-123"})
    assert response.status_code == 429


def test_login_page_in_italian_and_login_works(client):
    UserFactory(username="lucia")
    page = client.get(reverse("login")).content.decode()
    assert "Accesso al portale" in page
    assert 'lang="it"' in page
    response = client.post(reverse("login"), {"username": "lucia", "password": "password-di-prova-123"})
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_logout_requires_post_and_logs_out(client_for, udp_user):
    client = client_for(udp_user)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(HOME).status_code == 302


def test_csrf_is_enforced():
    UserFactory(username="csrf")
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("login"), {"username": "csrf", "password": "password-di-prova-123"}).status_code == 403
