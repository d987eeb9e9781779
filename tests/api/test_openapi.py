"""The OpenAPI 3 document is valid, and the interactive documentation loads its assets from the portal itself."""

import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.urls import reverse
from jsonschema import Draft202012Validator
from schemathesis.specs.openapi.definitions import OPENAPI_31

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid_openapi_31(client):
    response = client.get(reverse("api_v1:openapi-json"))
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(OPENAPI_31).iter_errors(document)]
    assert errors == []
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    loaded = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in loaded.get_all_operations()]
    assert len(operations) == 21


def test_docs_page_uses_local_assets_only(client):
    response = client.get(reverse("api_v1:openapi-view"))
    assert response.status_code == 200  # public, like the schema: the data need a token
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(s.startswith("/static/") for s in sources), sources
    assert "cdn" not in page.lower()
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), source
