"""Two people editing the same intervention card: nobody's change is lost, overlapping changes are chosen."""

import pytest
from django.urls import reverse

from planning.models import Azione, Intervento
from tests.html_forms import form_fields
from tests.two_sessions import choose_and_save, conflict_box, open_both, second_save_conflicts

pytestmark = pytest.mark.django_db

FORM = "intervento-form"


def url_of(intervento):
    return reverse("planning:intervento_update", args=[intervento.pk])


def row_index(fields, prefix, pk) -> str:
    """The formset index of the row holding object `pk`."""
    ids = (k for k, v in fields.items() if k.startswith(prefix + "-") and k.endswith("-id") and v == str(pk))
    return next(ids).split("-")[1]


def test_edits_to_different_fields_and_rows_are_both_kept(two_udp, domiciliarita):
    url = url_of(domiciliarita)
    first, second, page_a, page_b = open_both(two_udp, url, FORM)
    azione = domiciliarita.azioni.order_by("ordine").first()
    i = row_index(page_a, "azioni", azione.pk)

    page_a["titolo"] = "Domiciliarità: nuovo titolo"
    assert first.post(url, page_a).status_code == 302

    page_b[f"azioni-{i}-responsabile"] = "Servizio sociale di Magenta"
    response = second.post(url, page_b)
    assert response.status_code == 302, response.content.decode()[:2000]

    domiciliarita.refresh_from_db()
    azione.refresh_from_db()
    assert domiciliarita.titolo == "Domiciliarità: nuovo titolo"  # not overwritten by the stale page
    assert azione.responsabile == "Servizio sociale di Magenta"


def both_retitled(two_udp, intervento):
    """Both users load the card's form and each types a title of their own: (first, second, url, A's, B's page)."""
    url = url_of(intervento)
    first, second, page_a, page_b = open_both(two_udp, url, FORM)
    page_a["titolo"] = "Titolo di A"
    page_b["titolo"] = "Titolo di B"
    return first, second, url, page_a, page_b


def test_same_field_changed_by_both_shows_both_values_and_saves_nothing(two_udp, domiciliarita):
    first, second, url, page_a, page_b = both_retitled(two_udp, domiciliarita)
    azione = domiciliarita.azioni.order_by("ordine").first()
    i = row_index(page_b, "azioni", azione.pk)
    page_b[f"azioni-{i}-responsabile"] = "Responsabile di B"
    html = second_save_conflicts(first, second, url, page_a, page_b).content.decode()
    box = conflict_box(html)
    assert "Titolo di A" in box
    assert "Titolo di B" in box
    assert "Il valore salvato da udp il " in box  # who saved the other value (first user is "udp")
    domiciliarita.refresh_from_db()
    azione.refresh_from_db()
    assert domiciliarita.titolo == "Titolo di A"
    assert azione.responsabile != "Responsabile di B"  # nothing of B's was saved

    # The page keeps B's own changes; without a choice it cannot be saved.
    again = form_fields(html, FORM)
    assert again["titolo"] == "Titolo di B"
    assert again[f"azioni-{i}-responsabile"] == "Responsabile di B"
    assert second.post(url, again).status_code == 409
    domiciliarita.refresh_from_db()
    assert domiciliarita.titolo == "Titolo di A"

    again["_scelta-titolo"] = "altro"
    assert second.post(url, again).status_code == 302
    domiciliarita.refresh_from_db()
    azione.refresh_from_db()
    assert domiciliarita.titolo == "Titolo di A"
    assert azione.responsabile == "Responsabile di B"


def test_choosing_my_value_overwrites_after_the_choice(two_udp, domiciliarita):
    first, second, url, page_a, page_b = both_retitled(two_udp, domiciliarita)
    conflict = second_save_conflicts(first, second, url, page_a, page_b)
    choose_and_save(second, url, conflict, FORM, "_scelta-titolo", "mio")
    assert Intervento.objects.get(pk=domiciliarita.pk).titolo == "Titolo di B"


def test_row_added_by_another_user_survives_a_stale_save(two_udp, domiciliarita):
    url = url_of(domiciliarita)
    first, second, page_a, page_b = open_both(two_udp, url, FORM)
    total = int(page_a["azioni-TOTAL_FORMS"])
    page_a[f"azioni-{total}-titolo"] = "Azione aggiunta da A"
    page_a[f"azioni-{total}-stato"] = "programmata"
    page_a["azioni-TOTAL_FORMS"] = str(total + 1)
    assert first.post(url, page_a).status_code == 302
    page_b["descrizione"] = (page_b.get("descrizione") or "") + " Aggiornata da B."
    assert second.post(url, page_b).status_code == 302
    assert Azione.objects.filter(intervento=domiciliarita, titolo="Azione aggiunta da A").exists()
