"""Open data pages: public without login, linked from the footer; the settings page is the Ufficio di Piano's
(scoped with accounts.scoping: the Ufficio di Piano of another Ambito, the Dirigente and the Operatore get 404),
its changes kept in the history."""

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from opendata.models import Pubblicazione
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

SETTINGS = reverse("opendata:impostazioni", args=["magentino"])


def test_public_pages_open_without_login(anonymous):
    for url in (
        reverse("opendata:index"),
        reverse("opendata:ambito", args=["magentino"]),
        reverse("opendata:dataset_csv", args=["magentino", "popolazione"]),
        reverse("opendata:dataset_json", args=["reggio-emilia", "indicatori"]),
        reverse("opendata:catalogo"),
        reverse("opendata:catalogo_ambito", args=["reggio-emilia"]),
    ):
        assert anonymous.get(url).status_code == 200, url


def test_index_lists_the_publishing_ambiti_and_their_datasets(anonymous):
    page = anonymous.get(reverse("opendata:index")).content.decode()
    assert reverse("opendata:ambito", args=["magentino"]) in page
    assert reverse("opendata:ambito", args=["reggio-emilia"]) in page
    assert "Oglio Po" not in page
    assert "Indicatori delle schede di monitoraggio SOSE validate" in page
    assert "UTF-8 senza BOM, separatore virgola" in page


def test_ambito_page_links_the_files_with_italian_numbers(anonymous):
    page = anonymous.get(reverse("opendata:ambito", args=["magentino"])).content.decode()
    assert reverse("opendata:dataset_csv", args=["magentino", "spesa"]) in page
    assert reverse("opendata:dataset_json", args=["magentino", "spesa"]) in page
    assert "c_e801" in page
    assert "CC BY 4.0" in page
    assert "<caption>" in page
    assert 'scope="col"' in page


def test_footer_links_the_open_data_for_everybody(anonymous, client_for, operatore_user):
    assert reverse("opendata:index") in anonymous.get(reverse("opendata:index")).content.decode()
    home = client_for(operatore_user).get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("opendata:index")}">Dati aperti' in home


def test_settings_page_for_the_ufficio_di_piano(client_for, udp_user):
    client = client_for(udp_user)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="popolazione"' in page
    assert "c_e801" in page
    ambito_page = client.get(reverse("planning:ambito_detail", args=["magentino"])).content.decode()
    assert SETTINGS in ambito_page


def _post(client, **changes):
    data = {
        "dataset": ["popolazione", "spesa"], "licenza": "CC0-1.0", "editore": "Comune di Magenta",
        "codice_ipa": "c_e801", "email": "udp@magentino.example.org", "frequenza": "QUARTERLY", **changes,
    }  # fmt: skip
    return client.post(SETTINGS, data)


def test_ufficio_di_piano_changes_what_is_published_with_history(client_for, udp_user, anonymous):
    client = client_for(udp_user)
    response = _post(client)
    assert response.status_code == 302
    p = Pubblicazione.objects.get(ambito__slug="magentino")
    assert (p.dataset, p.licenza, p.frequenza) == (["popolazione", "spesa"], "CC0-1.0", "QUARTERLY")
    assert p.history.first().history_user == udp_user
    page = client.get(SETTINGS).content.decode()  # the change in the page's history: who and what
    assert "Cronologia delle modifiche" in page
    assert "CC0 1.0" in page
    assert anonymous.get(reverse("opendata:dataset_csv", args=["magentino", "indicatori"])).status_code == 404
    catalogue = anonymous.get(reverse("opendata:catalogo_ambito", args=["magentino"])).content.decode()
    assert "A11_CCO10" in catalogue
    assert "frequency/QUARTERLY" in catalogue


def test_settings_errors_name_the_field(client_for, udp_user):
    response = _post(client_for(udp_user), codice_ipa="", email="non-una-email")
    assert response.status_code == 200
    form = response.context["form"]
    assert "codice_ipa" in form.errors
    assert "email" in form.errors
    assert Pubblicazione.objects.get(ambito__slug="magentino").licenza == "CC-BY-4.0"  # nothing saved


@pytest.mark.parametrize("role", ["udp_oglio", "dirigente_user", "operatore_user"])
def test_others_cannot_see_or_change_the_settings(role, request, client_for):
    client = client_for(request.getfixturevalue(role))
    assert client.get(SETTINGS).status_code == 404
    assert _post(client, licenza="CC0-1.0").status_code == 404
    assert Pubblicazione.objects.get(ambito__slug="magentino").licenza == "CC-BY-4.0"


def test_ufficio_di_piano_of_another_ambito_without_link(client_for, udp_oglio, oglio_po):
    client = client_for(udp_oglio)
    assert client.get(reverse("opendata:impostazioni", args=["oglio-po"])).status_code == 200
    dirigente = client_for(user_with_role("dir-oglio", Ruolo.DIRIGENTE, ambito=oglio_po))
    page = dirigente.get(reverse("planning:ambito_detail", args=["oglio-po"])).content.decode()
    assert reverse("opendata:impostazioni", args=["oglio-po"]) not in page


def test_settings_page_needs_login(anonymous):
    response = anonymous.get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_settings_query_count_is_bounded(client_for, udp_user, django_assert_max_num_queries):
    client = client_for(udp_user)
    with django_assert_max_num_queries(20):
        assert client.get(SETTINGS).status_code == 200
