"""Helpers of the open data tests: the public pages read with an anonymous client."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from opendata.models import Pubblicazione


@pytest.fixture
def anonymous(db):
    return Client()


def csv_rows(client, slug: str, dataset: str) -> list[dict[str, str]]:
    response = client.get(reverse("opendata:dataset_csv", args=[slug, dataset]))
    assert response.status_code == 200, (slug, dataset)
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def publish(slug: str, *datasets: str) -> Pubblicazione:
    """The Ambito of `slug` publishes only `datasets` (its demo settings, or new ones)."""
    p = Pubblicazione.objects.filter(ambito__slug=slug).first()
    if p is None:
        from territory.models import Ambito  # noqa: PLC0415 - only for an Ambito without demo settings

        p = Pubblicazione(ambito=Ambito.objects.get(slug=slug), editore="Ente", codice_ipa="ente_x", email="a@b.it")
    p.dataset = list(datasets)
    p.save()
    return p


def everything_published(client, slug: str) -> str:
    """The text of every page, file and catalogue an Ambito exposes (404 bodies left out)."""
    urls = [reverse("opendata:index"), reverse("opendata:catalogo"), reverse("opendata:ambito", args=[slug])]
    urls.append(reverse("opendata:catalogo_ambito", args=[slug]))
    for code in ("popolazione", "indicatori", "spesa", "obiettivi", "interventi"):
        urls += [reverse(f"opendata:dataset_{ext}", args=[slug, code]) for ext in ("csv", "json")]
    parts = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            parts.append(response.content.decode("utf-8"))
    return "\n".join(parts)
