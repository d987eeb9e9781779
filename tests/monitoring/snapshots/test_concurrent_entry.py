"""Two people filling the same quarterly rilevazione at once: each row carries its values as loaded, a save
writes only what the user changed (states, values, comments), a cell changed by both is chosen (core.optimistic)."""

import pytest
from django.urls import reverse

from monitoring.models import Rilevazione, StatoAzioneRilevato, ValoreIndicatoreRilevato
from tests.two_sessions import EditPage, SameTimeEdits, conflict_box, load, open_both, second_save_conflicts

pytestmark = pytest.mark.django_db

FORM = "rilevazione-form"


def _t2() -> Rilevazione:
    return Rilevazione.objects.get(piano__slug="magentino-2025-2027", anno=2025, trimestre=2)


def _url() -> str:
    return reverse("monitoring:rilevazione_compila", args=[_t2().pk])


PAGES = [
    EditPage(
        "commenti di indicatori e azioni",
        _url,
        FORM,
        x="indicatori-0-commento", x_a="Commento di A", x_b="Commento di B",
        y="azioni-1-commento", y_b="Azione commentata da B",
    ),
    EditPage(
        "valore di un indicatore",
        _url,
        FORM,
        x="indicatori-1-valore", x_a="41", x_b="44,5",
        y="indicatori-1-commento", y_b="Valore verificato da B",
        shown=lambda v: {"41": "41,00", "44,5": "44,50"}.get(v, v),
    ),
    EditPage(
        "stato di un'azione",
        _url,
        FORM,
        x="azioni-0-stato", x_a="in_corso", x_b="non_realizzata",
        y="azioni-0-commento", y_b="Stato verificato da B",
        boxed=lambda v: {"in_corso": "In corso", "non_realizzata": "Non realizzata"}[v],
    ),
]  # fmt: skip


class TestRilevazioneFilledAtOnce(SameTimeEdits):
    pages = PAGES


def test_stale_page_leaves_alone_the_rows_another_user_saved(two_udp):
    """B's stale page rewrites neither A's action state nor its history; B's own value is stored and signed."""
    url = _url()
    first, second, page_a, page_b = open_both(two_udp, url, FORM)
    stato = StatoAzioneRilevato.objects.get(pk=page_a["azioni-0-id"])
    valore = ValoreIndicatoreRilevato.objects.get(pk=page_a["indicatori-0-id"])
    page_a["azioni-0-stato"] = "sospesa" if stato.stato != "sospesa" else "in_corso"
    assert first.post(url, page_a).status_code == 302
    versions = stato.history.count()

    page_b["indicatori-0-valore"] = "52"
    response = second.post(url, page_b, follow=True)
    assert "Rilevazione salvata: 1 righe modificate." in response.content.decode()
    stato.refresh_from_db()
    valore.refresh_from_db()
    assert stato.stato == page_a["azioni-0-stato"]
    assert stato.history.count() == versions
    assert str(valore.valore) == "52.00"
    assert valore.history.first().history_user.username == "udp2"


def test_conflict_names_the_row(two_udp):
    url = _url()
    first, second, page_a, page_b = open_both(two_udp, url, FORM)
    page_a["azioni-0-commento"], page_b["azioni-0-commento"] = "Commento di A", "Commento di B"
    response = second_save_conflicts(first, second, url, page_a, page_b)
    titolo = StatoAzioneRilevato.objects.get(pk=page_a["azioni-0-id"]).azione.titolo
    assert f"Commento: {titolo[:40]}" in conflict_box(response.content.decode())


def test_closed_rilevazione_still_refuses_the_save(two_udp):
    first, _second = two_udp
    url = _url()
    loaded = load(first, url, FORM)
    Rilevazione.objects.filter(pk=_t2().pk).update(stato="chiusa")
    loaded["indicatori-0-commento"] = "Dopo la chiusura"
    assert first.post(url, loaded).status_code == 403
