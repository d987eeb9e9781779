"""Two people editing the evaluation at once (period and rule, an evaluation card with its actions): only what
each one changed is written, a field changed by both is chosen on the conflict page (core.optimistic)."""

import pytest
from django.urls import reverse

from planning.models import SchedaValutazione, Valutazione
from tests.html_forms import form_fields
from tests.two_sessions import EditPage, SameTimeEdits, conflict_box, open_both, second_save_conflicts

from .conftest import CARD_2

pytestmark = pytest.mark.django_db

PIANO = "magentino-2025-2027"


def _scheda_url() -> str:
    scheda = SchedaValutazione.objects.get(valutazione__piano__slug=PIANO, obiettivo=CARD_2)
    return reverse("planning:scheda_valutazione_update", args=[scheda.pk])


PAGES = [
    EditPage(
        "periodo e regola della valutazione",
        lambda: reverse("planning:valutazione_impostazioni", args=[PIANO]),
        "valutazione-form",
        x="note", x_a="Nota della valutazione scritta da A", x_b="Nota della valutazione scritta da B",
        y="periodo_precedente", y_b="2015-2017",
    ),
    EditPage(
        "scheda di valutazione con le azioni",
        _scheda_url,
        "scheda-valutazione-form",
        x="d1_note", x_a="Note alla dimensione 1 di A", x_b="Note alla dimensione 1 di B",
        y="azioni-0-nota", y_b="Nota all'azione scritta da B",
    ),
    EditPage(
        "azione di una scheda di valutazione",
        _scheda_url,
        "scheda-valutazione-form",
        x="azioni-1-nota", x_a="Azione: nota di A", x_b="Azione: nota di B",
        y="d5_criticita", y_b="Criticità riscritte da B",
    ),
]  # fmt: skip


class TestEvaluationEditedAtOnce(SameTimeEdits):
    pages = PAGES


def test_actions_keep_the_order_another_user_gave_them(two_udp, scheda2):
    """B's stale page does not put back the order of the actions that A changed."""
    url = _scheda_url()
    first, second, page_a, page_b = open_both(two_udp, url, "scheda-valutazione-form")
    ids = [page_a[f"azioni-{i}-id"] for i in range(2)]
    page_a["azioni-0-ordine"], page_a["azioni-1-ordine"] = "2", "1"  # A swaps the first two actions
    assert first.post(url, page_a).status_code == 302
    page_b["d2_utenti"] = "Utenti indicati da B"
    assert second.post(url, page_b).status_code == 302
    order = [str(pk) for pk in scheda2.azioni.order_by("ordine").values_list("pk", flat=True)[:2]]
    assert order == ids[::-1]
    scheda2.refresh_from_db()
    assert scheda2.d2_utenti == "Utenti indicati da B"


def _url_of_new_evaluation() -> str:
    """The evaluation settings of the plan, with its evaluation removed: both users load the creation form."""
    Valutazione.objects.filter(piano__slug=PIANO).delete()
    return reverse("planning:valutazione_impostazioni", args=[PIANO])


def test_first_save_by_both_keeps_what_each_one_wrote(two_udp):
    """B's page was loaded before A created the evaluation: B's save is merged with A's, not written over it."""
    url = _url_of_new_evaluation()
    first, second, page_a, page_b = open_both(two_udp, url, "valutazione-form")
    page_a["periodo_valutato"], page_a["note"] = "2021-2023", "Nota scritta da A"
    assert first.post(url, page_a).status_code == 302
    page_b["periodo_valutato"], page_b["periodo_precedente"] = "2021-2023", "2015-2017"
    response = second.post(url, page_b)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Valutazione.objects.get(piano__slug=PIANO)
    assert (stored.periodo_valutato, stored.periodo_precedente) == ("2021-2023", "2015-2017")
    assert stored.note == "Nota scritta da A"


def test_first_save_by_both_of_the_same_field_is_a_choice(two_udp):
    url = _url_of_new_evaluation()
    first, second, page_a, page_b = open_both(two_udp, url, "valutazione-form")
    page_a["periodo_valutato"] = "2021-2023"
    page_b["periodo_valutato"] = "2020-2022"
    html = second_save_conflicts(first, second, url, page_a, page_b).content.decode()
    assert "2021-2023" in conflict_box(html)
    assert Valutazione.objects.get(piano__slug=PIANO).periodo_valutato == "2021-2023"


def test_creation_page_shown_again_with_errors_keeps_what_it_was_loaded_with(two_udp):
    """B's first save is refused (no period); A then creates the evaluation; B's corrected save keeps A's note."""
    url = _url_of_new_evaluation()
    first, second, page_a, page_b = open_both(two_udp, url, "valutazione-form")
    page_b["periodo_precedente"] = "2015-2017"
    refused = second.post(url, page_b)
    assert refused.status_code == 200
    page_b = form_fields(refused.content.decode(), "valutazione-form")
    page_a["periodo_valutato"], page_a["note"] = "2021-2023", "Nota scritta da A"
    assert first.post(url, page_a).status_code == 302
    page_b["periodo_valutato"] = "2021-2023"
    assert second.post(url, page_b).status_code == 302
    stored = Valutazione.objects.get(piano__slug=PIANO)
    assert (stored.periodo_precedente, stored.note) == ("2015-2017", "Nota scritta da A")
