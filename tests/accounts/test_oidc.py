"""SPID/CIE login against a real OpenID Connect provider on loopback (oidc-provider-mock in a thread).

The Django test client drives the portal; `requests` plays the browser at the provider (authorization form, end of
session). The provider's user claims are set with an HTTP PUT, as an SPID/CIE proxy would send them.
"""

from __future__ import annotations

import socket
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from oidc_provider_mock import run_server_in_thread

from accounts import oidc
from accounts.models import Profilo, Ruolo
from tests.factories import TEST_PASSWORD, user_with_role

pytestmark = pytest.mark.django_db

CLIENT_ID = "portale-ambiti"
CF_MAGENTA = "PRTMGN85D50E801E"  # the Operatore of Magenta
CF_SCONOSCIUTO = "RSSMRA85T10A562S"


class Provider:
    """The loopback provider: users' claims, and the browser's steps on its pages."""

    def __init__(self, url: str) -> None:
        self.url = url

    def set_user(self, sub: str, claims: dict) -> None:
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        assert response.status_code == 204, response.text

    def authorize(self, authorization_url: str, sub: str) -> str:
        """The user `sub` consents on the provider's page: the portal's callback address (with code and state)."""
        assert authorization_url.startswith(f"{self.url}/"), authorization_url
        response = requests.post(authorization_url, data={"sub": sub}, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@pytest.fixture(scope="module")
def provider_url():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def spid(settings, provider_url):
    """SPID/CIE configured as by the environment variables of the README, towards the loopback provider."""
    settings.OIDC_ISSUER = provider_url
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = "segreto-di-prova"
    return Provider(provider_url)


@pytest.fixture
def operatore_magenta(magenta):
    user = user_with_role("op-spid-magenta", Ruolo.OPERATORE, comune=magenta)
    Profilo.objects.create(user=user, codice_fiscale=CF_MAGENTA)
    return user


def replace_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def start(client, next_url: str | None = None) -> str:
    """The portal's redirect to the provider's authorization endpoint."""
    response = client.get(reverse("oidc_login"), {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return response["Location"]


def callback(client, callback_url: str):
    parts = urlsplit(callback_url)
    assert parts.path == reverse("oidc_callback")
    return client.get(f"{parts.path}?{parts.query}")


def spid_login(client, spid: Provider, sub: str, claims: dict, next_url: str | None = None):
    spid.set_user(sub, claims)
    return callback(client, spid.authorize(start(client, next_url), sub))


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- Login ---------------------------------------------------------------------------------------------------


def test_known_fiscal_code_logs_in_and_sees_only_its_comune(client, spid, operatore_magenta):
    response = spid_login(client, spid, "op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}", "name": "Operatrice"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert logged_in_user_id(client) == str(operatore_magenta.pk)
    assert client.get(reverse("planning:comune_detail", args=["015130"])).status_code == 200
    assert client.get(reverse("planning:comune_detail", args=["015010"])).status_code == 404  # Arluno
    assert client.get(reverse("planning:comune_detail", args=["035033"])).status_code == 404  # Reggio nell'Emilia
    assert client.get(reverse("planning:ambito_detail", args=["magentino"])).status_code == 404


def test_login_returns_to_the_page_asked_for(client, spid, operatore_magenta):
    page = reverse("planning:comune_detail", args=["015130"])
    response = spid_login(client, spid, "op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}"}, next_url=page)
    assert response["Location"] == page


def test_fiscal_code_claim_is_matched_in_any_case_and_name_is_configurable(client, spid, settings, operatore_magenta):
    settings.OIDC_CLAIM_FISCAL_CODE = "codice_fiscale"
    spid_login(client, spid, "op-2", {"codice_fiscale": f"tinit-{CF_MAGENTA.lower()}"})
    assert logged_in_user_id(client) == str(operatore_magenta.pk)


def test_unknown_fiscal_code_gets_italian_page_and_no_account(client, spid):
    users = get_user_model().objects.count()
    response = spid_login(client, spid, "sconosciuto", {"fiscalNumber": f"TINIT-{CF_SCONOSCIUTO}"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Accesso non consentito" in page
    assert CF_SCONOSCIUTO in page
    assert "deve essere creato dall'<strong>amministratore del portale</strong>" in page
    assert get_user_model().objects.count() == users
    assert not Profilo.objects.filter(codice_fiscale=CF_SCONOSCIUTO).exists()
    assert logged_in_user_id(client) is None


def test_inactive_account_is_refused(client, spid, operatore_magenta):
    operatore_magenta.is_active = False
    operatore_magenta.save()
    response = spid_login(client, spid, "op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}"})
    assert response.status_code == 403
    assert "è disattivato" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_deactivating_the_account_ends_an_open_spid_session(client, spid, operatore_magenta):
    spid_login(client, spid, "op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}"})
    assert client.get(reverse("portal:home")).status_code == 200
    operatore_magenta.is_active = False
    operatore_magenta.save()
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_answer_without_fiscal_code_is_refused(client, spid, operatore_magenta):
    response = spid_login(client, spid, "senza-cf", {"email": "x@example.org"})
    assert response.status_code == 403
    assert "non ha comunicato il codice fiscale" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_login_gives_no_role(client, spid, operatore_magenta):
    spid_login(client, spid, "op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}", "groups": ["admin"]})
    operatore_magenta.refresh_from_db()
    assert not operatore_magenta.is_superuser
    assert not operatore_magenta.is_staff
    assert list(operatore_magenta.assegnazioni.values_list("ruolo", "comune_id")) == [(Ruolo.OPERATORE, "015130")]


# --- Tampering -----------------------------------------------------------------------------------------------


def test_tampered_state_is_refused(client, spid, operatore_magenta, caplog):
    spid.set_user("op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}"})
    callback_url = spid.authorize(start(client), "op-1")
    response = callback(client, replace_query(callback_url, state="stato-inventato"))
    assert response.status_code == 400
    assert "state not found" in caplog.text
    assert "per sicurezza l'accesso è stato rifiutato" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_tampered_nonce_is_refused(client, spid, operatore_magenta, caplog):
    """The provider signs an ID token for another nonce than the one the portal kept in the session."""
    spid.set_user("op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}"})
    authorization_url = replace_query(start(client), nonce="nonce-di-un-altro")
    response = callback(client, spid.authorize(authorization_url, "op-1"))
    assert response.status_code == 400
    assert "Nonce verification failed" in caplog.text
    assert logged_in_user_id(client) is None


def test_callback_cannot_be_replayed(client, spid, operatore_magenta):
    spid.set_user("op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}"})
    callback_url = spid.authorize(start(client), "op-1")
    assert callback(client, callback_url).status_code == 302
    client.logout()
    replay = callback(client, callback_url)  # no state of this session any more: back to the login page
    assert (replay.status_code, replay["Location"]) == (302, reverse("login"))
    assert logged_in_user_id(client) is None


def test_code_issued_to_another_client_is_refused(client, spid, operatore_magenta):
    spid.set_user("op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}"})
    authorization_url = replace_query(start(client), client_id="un-altro-portale")
    response = callback(client, spid.authorize(authorization_url, "op-1"))
    assert response.status_code == 400
    assert logged_in_user_id(client) is None


@pytest.mark.parametrize(
    ("claims", "problem"),
    [
        ({"iss": "http://altro-fornitore.example", "aud": CLIENT_ID}, "another issuer"),
        ({"aud": ["un-altro-portale"]}, "another client"),
    ],
)
def test_id_token_of_another_issuer_or_client_is_refused(spid, monkeypatch, claims, problem):
    """The signature is checked by mozilla-django-oidc; the portal also checks who issued the token, and for whom."""
    payload = {"iss": spid.url, **claims}
    monkeypatch.setattr(OIDCAuthenticationBackend, "get_payload_data", lambda self, token, key: payload)
    with pytest.raises(SuspiciousOperation, match=problem):
        oidc.PortalOIDCBackend().get_payload_data("token", "key")


def test_userinfo_of_another_subject_is_refused(spid, monkeypatch):
    userinfo = {"sub": "un-altro", "fiscalNumber": f"TINIT-{CF_MAGENTA}"}
    monkeypatch.setattr(OIDCAuthenticationBackend, "get_userinfo", lambda self, access, id_token, payload: userinfo)
    backend = oidc.PortalOIDCBackend()
    backend.OIDC_OP_USER_ENDPOINT = f"{spid.url}/userinfo"
    with pytest.raises(SuspiciousOperation, match="another subject"):
        backend.get_userinfo("access", "id-token", {"sub": "op-1"})


def test_denied_consent_returns_to_login_page(client, spid):
    authorization_url = start(client)
    answer = requests.post(authorization_url, data={"action": "deny"}, allow_redirects=False, timeout=10)
    response = callback(client, answer.headers["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert logged_in_user_id(client) is None


# --- Logout --------------------------------------------------------------------------------------------------


def test_logout_ends_the_provider_session_then_returns_to_login(client, spid, provider_url, operatore_magenta):
    spid_login(client, spid, "op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}"})
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider_url}/oauth2/end_session"
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver" + reverse("login")]
    assert logged_in_user_id(client) is None
    # at the provider: its end-of-session page, then back to the portal's login page
    assert requests.get(response["Location"], timeout=10).status_code == 200
    confirm = requests.post(
        f"{provider_url}/oauth2/end_session/confirm",
        data={"redirect_uri": query["post_logout_redirect_uri"][0]},
        allow_redirects=False,
        timeout=10,
    )
    assert confirm.headers["Location"] == "http://testserver" + reverse("login")


def test_logout_after_password_login_stays_local(client, spid, operatore_magenta):
    client.post(reverse("login"), {"username": operatore_magenta.username, "password": TEST_PASSWORD})
    assert logged_in_user_id(client) == str(operatore_magenta.pk)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_logout_stays_local_when_oidc_logout_is_off(client, spid, settings, operatore_magenta):
    spid_login(client, spid, "op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}"})
    settings.OIDC_LOGOUT = False
    assert client.post(reverse("logout"))["Location"] == reverse("login")


# --- Configuration -------------------------------------------------------------------------------------------


def test_without_configuration_no_spid_button_and_no_route(client, settings):
    settings.OIDC_ISSUER = ""
    settings.OIDC_CLIENT_ID = ""
    page = client.get(reverse("login")).content.decode()
    assert "Entra con SPID / CIE" not in page
    assert 'name="password"' in page
    assert client.get(reverse("oidc_login")).status_code == 404
    assert client.get(reverse("oidc_callback"), {"code": "x", "state": "y"}).status_code == 404


def test_login_page_offers_spid_and_keeps_password_form(client, spid):
    response = client.get(reverse("login"), {"next": "/territorio/"})
    page = response.content.decode()
    assert "Entra con SPID / CIE" in page
    assert f'href="{reverse("oidc_login")}?next=/territorio/"' in page
    assert 'name="password"' in page


def test_provider_unreachable_gives_italian_page(client, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.OIDC_ISSUER = f"http://127.0.0.1:{port}"
    settings.OIDC_CLIENT_ID = CLIENT_ID
    response = client.get(reverse("oidc_login"))
    assert response.status_code == 502
    assert "non risponde" in response.content.decode()


def test_discovery_is_read_once(client, spid, monkeypatch, operatore_magenta):
    oidc._discovered.clear()
    calls = []
    real_get = requests.get

    def counting_get(url, *args, **kwargs):
        calls.append(url)
        return real_get(url, *args, **kwargs)

    monkeypatch.setattr(oidc.requests, "get", counting_get)
    start(client)
    start(client)
    assert [url for url in calls if url.endswith("/.well-known/openid-configuration")] == [
        f"{spid.url}/.well-known/openid-configuration"
    ]


# --- django-axes ---------------------------------------------------------------------------------------------


def test_refused_spid_logins_do_not_lock_out_the_address(client, spid, operatore_magenta, settings, caplog):
    """Colleagues behind one address: unknown codici fiscali are logged, and lock nobody out (django-axes)."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = spid_login(client, spid, "sconosciuto", {"fiscalNumber": f"TINIT-{CF_SCONOSCIUTO}"})
        assert response.status_code == 403
    assert not AccessAttempt.objects.exists()
    assert f"codice fiscale {CF_SCONOSCIUTO}" in caplog.text
    spid_login(client, spid, "op-1", {"fiscalNumber": f"TINIT-{CF_MAGENTA}"})
    assert logged_in_user_id(client) == str(operatore_magenta.pk)
    assert AccessLog.objects.filter(username=operatore_magenta.username).exists()  # axes logs the login


def test_password_login_still_locked_by_axes(client, spid, operatore_magenta, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": operatore_magenta.username, "password": "sbagliata-1234"})
    response = client.post(reverse("login"), {"username": operatore_magenta.username, "password": TEST_PASSWORD})
    assert "Accesso temporaneamente bloccato" in response.content.decode()
    assert logged_in_user_id(client) is None
