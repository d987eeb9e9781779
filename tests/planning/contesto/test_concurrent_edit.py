"""Two people correcting the same context fact at once (a spending fact, a printed figure): only what each one
changed is written, a field changed by both is chosen on the conflict page (core.optimistic)."""

import pytest
from django.urls import reverse

from planning.models import SpesaSociale, ValoreStampato
from tests.two_sessions import (
    EditPage,
    conflict_box,
    different_fields_are_both_kept,
    load,
    outsiders_get_404,
    same_field_is_a_choice,
    sessions,
)

pytestmark = pytest.mark.django_db


def _spesa_url() -> str:
    fact = SpesaSociale.objects.filter(tabella__ambito__slug="magentino").order_by("pk").first()
    return reverse("planning:spesa_update", args=[fact.pk])


def _stampato_url() -> str:
    figure = ValoreStampato.objects.filter(ambito__slug="magentino").order_by("pk").first()
    return reverse("planning:valore_stampato_update", args=[figure.pk])


PAGES = [
    EditPage(
        "dato di spesa sociale",
        _spesa_url,
        "contesto-form",
        x="nota", x_a="Nota di A sul dato", x_b="Nota di B sul dato",
        y="valore", y_b="17.300.000,5",
        shown=lambda v: "17300000.50" if v == "17.300.000,5" else v,
    ),
    EditPage(
        "valore stampato",
        _stampato_url,
        "contesto-form",
        x="nota", x_a="Nota di A sul valore stampato", x_b="Nota di B sul valore stampato",
        y="etichetta", y_b="Totale (etichetta corretta da B)",
    ),
]  # fmt: skip


@pytest.mark.parametrize("edit_page", PAGES, ids=str)
def test_changes_to_different_fields_are_both_kept(two_udp, edit_page):
    different_fields_are_both_kept(edit_page, *two_udp)


@pytest.mark.parametrize("choice", ["altro", "mio"])
@pytest.mark.parametrize("edit_page", PAGES, ids=str)
def test_same_field_changed_by_both_is_chosen_and_nothing_is_lost(two_udp, edit_page, choice):
    same_field_is_a_choice(edit_page, *two_udp, choice)


@pytest.mark.parametrize("edit_page", PAGES, ids=str)
def test_users_outside_the_ambito_and_readers_still_get_404(two_udp, edit_page, udp_oglio, dirigente_user):
    outsiders_get_404(edit_page, two_udp[0], sessions(udp_oglio, dirigente_user))


def test_amount_changed_by_both_shows_both_amounts_the_italian_way(two_udp):
    first, second = two_udp
    url = _spesa_url()
    page_a, page_b = load(first, url, "contesto-form"), load(second, url, "contesto-form")
    page_a["valore"], page_b["valore"] = "17.300.000,5", "18.000.000"
    assert first.post(url, page_a).status_code == 302
    response = second.post(url, page_b)
    assert response.status_code == 409
    box = conflict_box(response.content.decode())
    assert "17.300.000,5" in box
    assert "18.000.000" in box
