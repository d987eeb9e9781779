"""Lists of the API: paginated, filtered by the fields of the pages, and in a number of queries that does not grow
with the rows; the intervention card and the campaign states."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import Campagna
from planning.models import Area, Fondo, Intervento

pytestmark = pytest.mark.django_db

PIANO = {"slug": "magentino-2025-2027"}
LIST_URLS = [
    ("ambiti", {}),
    ("comuni", {}),
    ("popolazione", {}),
    ("schede", {}),
    ("modelli", {}),
    ("piani", {}),
    ("campagne", {}),
    ("aree", PIANO),
    ("obiettivi", PIANO),
    ("interventi", PIANO),
    ("azioni", PIANO),
    ("indicatori", PIANO),
    ("risorse", PIANO),
]


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "kwargs"), LIST_URLS, ids=[n for n, _ in LIST_URLS])
def test_list_queries_do_not_grow_with_the_rows(api_for, admin_user, name, kwargs):
    client = api_for(admin_user)
    url = reverse(f"api_v1:{name}", kwargs=kwargs)
    client.get(url)  # the token's last use is written once a minute: not inside the measures
    assert _queries(client, url, page_size=1) == _queries(client, url, page_size=200)


def test_lists_are_paginated(api_for, udp_user):
    client = api_for(udp_user)
    url = reverse("api_v1:interventi", kwargs=PIANO)
    first = client.get(url, page_size=5).json()
    second = client.get(url, page_size=5, page=2).json()
    assert first["count"] == second["count"] == 18
    assert len(first["items"]) == len(second["items"]) == 5
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    assert client.get(url, page=1000).json() == {"items": [], "count": 18}
    assert client.get(url, page_size=201).status_code == 422


def test_interventi_take_the_filters_of_the_page(api_for, udp_user):
    client = api_for(udp_user)
    url = reverse("api_v1:interventi", kwargs=PIANO)
    area = Area.objects.get(piano__slug=PIANO["slug"], codice="B")
    in_area = client.get(url, area=area.pk, page_size=200).json()
    assert in_area["count"]
    assert {i["area"] for i in in_area["items"]} == {"B"}
    fnps = Fondo.objects.get(codice="FNPS")
    with_fnps = client.get(url, fondo=fnps.pk, page_size=200).json()["items"]
    assert with_fnps
    assert all("FNPS" in i["fondi"] for i in with_fnps)
    searched = client.get(url, q="genitorialità").json()["items"]
    assert [i["titolo"] for i in searched][:1] == [
        "Sostegno alla genitorialità e conciliazione dei tempi di vita e di lavoro delle famiglie"
    ]
    not_of_the_plan = Area.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    refused = client.get(url, area=not_of_the_plan)
    assert refused.status_code == 422
    assert refused.json()["errori"][0]["campo"] == "query.area"


def test_intervento_card_has_every_field_of_its_template_in_order(api_for, udp_user, django_assert_max_num_queries):
    client = api_for(udp_user)
    intervento = Intervento.objects.filter(piano__slug=PIANO["slug"]).order_by("ordine").first()
    url = reverse("api_v1:intervento", kwargs={**PIANO, "intervento_id": intervento.pk})
    client.get(url)
    with django_assert_max_num_queries(16):
        body = client.get(url).json()
    campi = body["campi"]
    assert len(campi) == 25
    assert campi[0]["etichetta"] == "TITOLO INTERVENTO"
    assert campi[0]["testo"] == intervento.titolo
    assert campi[-1]["etichetta"].startswith("QUALE IMPATTO")
    assert [c["ordine"] for c in campi] == sorted(c["ordine"] for c in campi)
    assert len(body["azioni"]) == intervento.azioni.count() == body["n_azioni"]
    assert "&#x27;" not in " ".join(c["testo"] for c in campi)


def test_campaign_lists_the_state_of_each_expected_comune(api_for, udp_user, django_assert_max_num_queries):
    client = api_for(udp_user)
    campagna = Campagna.objects.filter(ambito__slug="magentino", modello__codice="NID26").get()
    url = reverse("api_v1:campagna", kwargs={"campagna_id": campagna.pk})
    client.get(url)
    with django_assert_max_num_queries(8):
        body = client.get(url).json()
    assert len(body["comuni"]) == campagna.comuni.count() == body["n_comuni"]
    magenta = next(c for c in body["comuni"] if c["codice_istat"] == "015130")
    assert magenta["stato"] == "bozza"
    assert body["scadenza_invio"] == "2026-05-31"


def test_comune_gives_its_population_by_year(api_for, udp_user):
    body = api_for(udp_user).get(reverse("api_v1:comune", kwargs={"codice_istat": "015130"})).json()
    assert body["nome"] == "Magenta"
    assert body["ambito"] == "magentino"
    years = [p["anno"] for p in body["popolazione"]]
    assert years
    assert years == sorted(years)
    assert all(p["codice_istat"] == "015130" for p in body["popolazione"])
