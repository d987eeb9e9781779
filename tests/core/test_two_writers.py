"""No value is lost when two people save the same page at once, through a real server (gunicorn, 3 workers).

Each round both users load the page, change two fields each, one of them the same field, and press «Salva» at
the same moment. One save goes through; the other gets the conflict page (409) for the shared field only, chooses
a value (alternately the other's and its own) and saves again. After every round each field holds the value its
writer saved (for the shared field: the value chosen). Before the merge, the second «Salva» re-posted stale copies
of the other user's cells: 15 lost values in 15 rounds.
"""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Ruolo
from monitoring.models import ValoreCella
from planning.models import Azione, Intervento
from territory.models import Ambito, Comune
from tests.concurrency import post_together
from tests.factories import user_with_role
from tests.html_forms import page_forms
from tests.schede_helpers import magenta_nid

ROUNDS = 6  # each round lost a value before the merge: six rounds, three with each choice, show it


def conflict_form(html: str, containing: str) -> dict[str, str]:
    return next(dict(f["fields"]) for f in page_forms(html) if f["method"] == "post" and containing in f["fields"])


def run_rounds(server, clients, url, containing, edits, choice_name, read_back) -> tuple[int, list]:
    """Play ROUNDS two-writer rounds; returns (lost values, statuses per round)."""
    lost, log = 0, []
    for n in range(ROUNDS):
        pages = [c.form(url, containing=containing) for c in clients]
        mine = [edits(n, i) for i in range(2)]
        responses = post_together(clients, url, [{**pages[i], **mine[i]} for i in range(2)])
        statuses = [getattr(r, "status_code", repr(r)) for r in responses]
        assert sorted(statuses) == [302, 409], f"giro {n}: {statuses}\n{server.log_tail()}"
        winner, loser = (0, 1) if statuses[0] == 302 else (1, 0)
        choice = "altro" if n % 2 == 0 else "mio"
        again = conflict_form(responses[loser].text, containing)
        again[choice_name] = choice
        resolved = clients[loser].post(url, data=again)
        assert resolved.status_code == 302, f"giro {n}: dopo la scelta {resolved.status_code}"
        expected = {**mine[winner], **mine[loser]}  # each user's own fields
        shared = next(k for k in mine[0] if k in mine[1])
        expected[shared] = mine[winner][shared] if choice == "altro" else mine[loser][shared]
        stored = read_back()
        lost += sum(1 for k, v in expected.items() if stored[k] != v)
        log.append((tuple(statuses), choice))
    return lost, log


def test_schede_quadro_two_writers_lose_nothing(gunicorn_server):
    user_with_role("due.operatore", Ruolo.OPERATORE, comune=Comune.objects.get(codice_istat="015130"))
    user_with_role("due.udp", Ruolo.UFFICIO_PIANO, ambito=Ambito.objects.get(slug="magentino"))
    scheda = magenta_nid()
    url = reverse("monitoring:quadro", args=[scheda.pk, 1])
    clients = [gunicorn_server.client(), gunicorn_server.client()]
    clients[0].login("due.operatore")
    clients[1].login("due.udp")

    def edits(n: int, i: int) -> dict[str, str]:
        own = "v-R05-N25" if i == 0 else "v-R07-N25"
        return {own: str(300 + 2 * n + i), "v-R06-N25": str(600 + 2 * n + i)}  # R06 is changed by both

    def read_back() -> dict[str, str]:
        cells = ValoreCella.objects.filter(scheda=scheda, riga__in=["R05", "R06", "R07"], colonna="N25")
        return {f"v-{c.riga}-{c.colonna}": c.valore for c in cells}

    lost, log = run_rounds(gunicorn_server, clients, url, "base", edits, "scelta-v.R06.N25", read_back)
    print(f"schede: {ROUNDS} giri a due, valori persi {lost}; stati {log}")
    assert lost == 0


def test_intervention_form_two_writers_lose_nothing(gunicorn_server):
    ambito = Ambito.objects.get(slug="magentino")
    user_with_role("due.udp.a", Ruolo.UFFICIO_PIANO, ambito=ambito)
    user_with_role("due.udp.b", Ruolo.UFFICIO_PIANO, ambito=ambito)
    intervento = Intervento.objects.get(piano__slug="magentino-2025-2027", titolo__contains="domiciliarità")
    azione = intervento.azioni.order_by("ordine").first()
    url = reverse("planning:intervento_update", args=[intervento.pk])
    clients = [gunicorn_server.client(), gunicorn_server.client()]
    clients[0].login("due.udp.a")
    clients[1].login("due.udp.b")
    page = clients[0].form(url, containing="titolo")
    row = next(
        k.split("-")[1]
        for k, v in page.items()
        if k.startswith("azioni-") and k.endswith("-id") and v == str(azione.pk)
    )
    responsabile = f"azioni-{row}-responsabile"

    def edits(n: int, i: int) -> dict[str, str]:
        own = {"descrizione": f"Descrizione di A, giro {n}"} if i == 0 else {responsabile: f"Responsabile B {n}"}
        return {**own, "titolo": f"Domiciliarità — titolo di {'AB'[i]}, giro {n}"}  # the title is changed by both

    def read_back() -> dict[str, str]:
        card = Intervento.objects.get(pk=intervento.pk)
        return {
            "titolo": card.titolo,
            "descrizione": card.descrizione,
            responsabile: Azione.objects.get(pk=azione.pk).responsabile,
        }

    lost, log = run_rounds(gunicorn_server, clients, url, "titolo", edits, "_scelta-titolo", read_back)
    print(f"scheda intervento: {ROUNDS} giri a due, valori persi {lost}; stati {log}")
    assert lost == 0
