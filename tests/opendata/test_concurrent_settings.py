"""Two members of the Ufficio di Piano open the open-data settings of an Ambito that has none yet: the first save
creates them, the second (from the page loaded before) is merged with it field by field (core.optimistic)."""

import pytest
from django.urls import reverse

from opendata.models import Pubblicazione
from tests.two_sessions import EditPage, SameTimeEdits, load_both

pytestmark = pytest.mark.django_db


def _url_of_new_settings() -> str:
    """The settings page of the Magentino, with its settings removed: both users load the creation form."""
    Pubblicazione.objects.filter(ambito__slug="magentino").delete()
    return reverse("opendata:impostazioni", args=["magentino"])


PAGES = [
    EditPage(
        "impostazioni dei dati aperti salvate per la prima volta",
        _url_of_new_settings,
        "opendata-form",
        x="email", x_a="ufficio.a@example.it", x_b="ufficio.b@example.it",
        y="codice_ipa", y_b="c_b123",
    ),
]  # fmt: skip


class TestFirstSettingsSavedByBoth(SameTimeEdits):
    pages = PAGES


def test_stale_creation_page_does_not_overwrite_the_settings_created_meanwhile(two_udp):
    a, b = two_udp
    url = _url_of_new_settings()
    page_a, page_b = load_both(a, b, url, "opendata-form")
    page_a["email"], page_a["editore"] = "ufficio.a@example.it", "Comune di Magenta (A)"
    assert a.post(url, page_a).status_code == 302
    page_b["codice_ipa"] = "c_b123"  # B's page still shows the defaults of a new one
    assert b.post(url, page_b).status_code == 302
    stored = Pubblicazione.objects.get(ambito__slug="magentino")
    assert (stored.email, stored.editore, stored.codice_ipa) == (
        "ufficio.a@example.it", "Comune di Magenta (A)", "c_b123",
    )  # fmt: skip
