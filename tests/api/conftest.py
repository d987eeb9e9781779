"""Fixtures of the API tests: a personal token per role and a client that sends it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.models import Ruolo
from api.services import token_create
from tests.factories import user_with_role


class ApiClient:
    """Django's test client with `Authorization: Bearer <token>` on every request (no session)."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, url: str, **params):
        return self.client.get(url, params, headers=self.headers)

    def write(self, method: str, url: str, body: dict):
        send = getattr(self.client, method)
        return send(url, json.dumps(body), content_type="application/json", headers=self.headers)


def api_client_for(user) -> ApiClient:
    return ApiClient(token_create(user=user, nome="test").segreto)


@pytest.fixture
def api_for():
    """api_for(user) -> an ApiClient with a new token of `user`."""
    return api_client_for


@pytest.fixture
def operatore_reggio(reggio):
    return user_with_role("op-reggio", Ruolo.OPERATORE, comune=reggio)
