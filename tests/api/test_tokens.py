"""Personal API tokens: created on the portal page (secret shown once, stored hashed), revoked, 401 and 429."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.api import api
from api.models import TokenAPI
from api.services import token_create
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

AMBITI = reverse("api_v1:ambiti")


def _secret_in(html: str) -> str:
    start = html.index('id="segreto"')
    value = html.index('value="', start) + len('value="')
    return html[value : html.index('"', value)]


def test_token_page_shows_the_secret_once_and_stores_only_its_hash(client_for, udp_user):
    client = client_for(udp_user)
    response = client.post(reverse("api:token_list"), {"nome": "Gestionale", "durata": "90"})
    assert response.status_code == 200
    secret = _secret_in(response.content.decode())
    token = TokenAPI.objects.get(utente=udp_user)
    assert token.hash_segreto == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefisso)
    stored = [str(v) for v in TokenAPI.objects.filter(pk=token.pk).values().get().values()]
    assert all(secret not in v for v in stored)
    assert token.scade_il is not None
    assert token.scade_il > timezone.now() + timedelta(days=89)
    page = client.get(reverse("api:token_list")).content.decode()
    assert "Gestionale" in page
    assert token.prefisso in page
    assert secret not in page
    assert ApiClient(secret).get(AMBITI).status_code == 200


def test_token_page_requires_a_name(client_for, udp_user):
    response = client_for(udp_user).post(reverse("api:token_list"), {"nome": "  "})
    assert response.status_code == 400
    assert not TokenAPI.objects.exists()


def test_token_page_requires_login(client):
    response = client.get(reverse("api:token_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_user_menu_links_the_token_page(client_for, udp_user):
    page = client_for(udp_user).get(reverse("portal:home")).content.decode()
    assert reverse("api:token_list") in page
    assert "I miei token API" in page


def test_revoked_token_gets_401(client_for, udp_user):
    new = token_create(user=udp_user, nome="da revocare")
    assert ApiClient(new.segreto).get(AMBITI).status_code == 200
    client_for(udp_user).post(reverse("api:token_revoke", args=[new.token.pk]))
    new.token.refresh_from_db()
    assert new.token.revocato_il is not None
    response = ApiClient(new.segreto).get(AMBITI)
    assert response.status_code == 401
    assert "revocato" in response.json()["detail"]


def test_user_cannot_revoke_another_users_token(client_for, udp_user, udp_oglio):
    other = token_create(user=udp_oglio, nome="altrui")
    client_for(udp_user).post(reverse("api:token_revoke", args=[other.token.pk]))
    other.token.refresh_from_db()
    assert other.token.revocato_il is None


@pytest.mark.parametrize(
    "header",
    [None, "Bearer pas_sconosciuto", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"],
    ids=["missing", "unknown", "empty", "other-scheme", "basic"],
)
def test_missing_or_unknown_token_gets_401_in_italian(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(AMBITI, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Token mancante, sconosciuto, scaduto o revocato."}


def test_expired_token_gets_401(udp_user):
    new = token_create(user=udp_user, nome="scaduto", giorni=1)
    TokenAPI.objects.filter(pk=new.token.pk).update(scade_il=timezone.now() - timedelta(seconds=1))
    assert ApiClient(new.segreto).get(AMBITI).status_code == 401


def test_token_of_inactive_user_gets_401(udp_user):
    new = token_create(user=udp_user, nome="utente disattivato")
    udp_user.is_active = False
    udp_user.save()
    assert ApiClient(new.segreto).get(AMBITI).status_code == 401


def test_session_login_does_not_authenticate_the_api(client_for, udp_user):
    """Only tokens: a browser session gives no access (so no CSRF exposure)."""
    assert client_for(udp_user).get(AMBITI).status_code == 401


def test_token_records_its_last_use(udp_user):
    new = token_create(user=udp_user, nome="uso")
    assert new.token.usato_il is None
    ApiClient(new.segreto).get(AMBITI)
    new.token.refresh_from_db()
    assert new.token.usato_il is not None


def test_rate_limit_answers_429(api_for, udp_user, monkeypatch):
    throttle = api.throttle[0]
    monkeypatch.setattr(throttle, "num_requests", 3)
    client = api_for(udp_user)
    codes = [client.get(AMBITI).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get(AMBITI)
    assert response.status_code == 429
    assert response.json()["detail"] == "Troppe richieste: riprovare tra poco."
    assert int(response["Retry-After"]) >= 1
    assert api_for(udp_user).get(AMBITI).status_code == 200  # the limit is per token


def test_admin_lists_tokens_without_their_secret_and_cannot_create_one(client, admin_user, udp_user):
    new = token_create(user=udp_user, nome="Gestionale")
    client.force_login(admin_user)
    page = client.get(reverse("admin:api_tokenapi_changelist")).content.decode()
    assert "Gestionale" in page
    assert new.token.prefisso in page
    assert new.segreto not in page
    assert client.get(reverse("admin:api_tokenapi_add")).status_code == 403


def test_every_operation_answers_401_without_a_token(client):
    """The API is outside the login of the pages (no redirect to the login page): its token or 401."""
    paths = api.get_openapi_schema()["paths"]
    for path, item in paths.items():
        url = path.format(
            slug="magentino", codice_istat="015130", modello="NID26", anno=2025, intervento_id=1, campagna_id=1
        )
        for method in item:
            send = getattr(client, method)
            response = send(url) if method == "get" else send(url, "{}", content_type="application/json")
            assert response.status_code == 401, (method, url)
            assert response.json()["detail"] == "Token mancante, sconosciuto, scaduto o revocato."
    assert len(paths) == 19  # 21 operations: the scheda path has GET, PUT and PATCH
