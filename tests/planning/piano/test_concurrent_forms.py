"""Two people editing the plan's other forms at once (general data, chapters, areas, objectives, yearly targets):
the same rule as the intervention card — only what each one changed is written, overlapping changes are chosen."""

import pytest
from django.urls import reverse

from planning.models import Area, Capitolo, Indicatore, Obiettivo
from tests.two_sessions import EditPage, SameTimeEdits, amount_shown, open_both

pytestmark = pytest.mark.django_db

PIANO = "magentino-2025-2027"


def _first(model, **lookup):
    return model.objects.filter(**lookup).order_by("ordine", "pk").first().pk


PAGES = [
    EditPage(
        "dati generali del piano",
        lambda: reverse("planning:piano_update", args=[PIANO]),
        "piano-form",
        x="titolo", x_a="Piano di Zona: titolo di A", x_b="Piano di Zona: titolo di B",
        y="note", y_b="Note scritte da B",
    ),
    EditPage(
        "capitolo",
        lambda: reverse("planning:capitolo_update", args=[_first(Capitolo, piano__slug=PIANO)]),
        "capitolo-form",
        x="titolo", x_a="Introduzione di A", x_b="Introduzione di B",
        y="corpo", y_b="Testo del capitolo scritto da B.",
    ),
    EditPage(
        "area",
        lambda: reverse("planning:area_update", args=[_first(Area, piano__slug=PIANO)]),
        "struttura-form",
        x="titolo", x_a="Area rinominata da A", x_b="Area rinominata da B",
        y="descrizione", y_b="Descrizione scritta da B",
    ),
    EditPage(
        "obiettivo",
        lambda: reverse("planning:obiettivo_update", args=[_first(Obiettivo, piano__slug=PIANO)]),
        "struttura-form",
        x="titolo", x_a="Obiettivo rinominato da A", x_b="Obiettivo rinominato da B",
        y="descrizione", y_b="Descrizione scritta da B",
    ),
    EditPage(
        "target per anno di un indicatore",
        lambda: reverse("planning:indicatore_target", args=[_first(Indicatore, intervento__piano__slug=PIANO)]),
        "target-form",
        x="target-0-valore", x_a="130,5", x_b="140,25",
        y="target-0-anno", y_b="2026",
        shown=lambda v: v if v.isdigit() else amount_shown(v),
    ),
]  # fmt: skip


class TestPlanFormsEditedAtOnce(SameTimeEdits):
    pages = PAGES


def test_stale_save_writes_only_the_rows_the_user_changed(two_udp):
    """A stale target page does not rewrite (nor sign in the history) the row another user changed."""
    indicatore = Indicatore.objects.get(pk=_first(Indicatore, intervento__piano__slug=PIANO))
    target = indicatore.target.order_by("anno").first()
    page = PAGES[-1]
    url = page.url()
    first, second, page_a, page_b = open_both(two_udp, url, page.form)
    page_a["target-0-valore"] = "99"
    assert first.post(url, page_a).status_code == 302
    versions = target.history.count()
    page_b["target-1-anno"], page_b["target-1-valore"] = "2027", "75"
    assert second.post(url, page_b).status_code == 302
    target.refresh_from_db()
    assert str(target.valore) == "99.00"
    assert target.history.count() == versions
    assert indicatore.target.filter(anno=2027, valore=75).exists()
