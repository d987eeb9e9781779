"""Two people correcting the same context fact at once (a spending fact, a printed figure): only what each one
changed is written, a field changed by both is chosen on the conflict page (core.optimistic)."""

import pytest
from django.urls import reverse

from planning.models import SpesaSociale, ValoreStampato
from tests.two_sessions import EditPage, SameTimeEdits, conflict_box, open_both, second_save_conflicts

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
        shown=lambda v: "17.300.000,50" if v == "17.300.000,5" else v,
    ),
    EditPage(
        "valore stampato",
        _stampato_url,
        "contesto-form",
        x="nota", x_a="Nota di A sul valore stampato", x_b="Nota di B sul valore stampato",
        y="etichetta", y_b="Totale (etichetta corretta da B)",
    ),
]  # fmt: skip


class TestContextFactsEditedAtOnce(SameTimeEdits):
    pages = PAGES


def test_amount_changed_by_both_shows_both_amounts_the_italian_way(two_udp):
    url = _spesa_url()
    first, second, page_a, page_b = open_both(two_udp, url, "contesto-form")
    page_a["valore"], page_b["valore"] = "17.300.000,5", "18.000.000"
    response = second_save_conflicts(first, second, url, page_a, page_b)
    box = conflict_box(response.content.decode())
    assert "17.300.000,5" in box
    assert "18.000.000" in box
