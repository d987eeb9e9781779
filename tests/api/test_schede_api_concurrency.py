"""Two API clients write the same scheda at the same instant, each in a thread with a database connection of its own
(committed transactions, as two web workers): one write goes through, the other gets 409 with the winner's change
in `modifiche`, so no value is lost without the client knowing which cell to read again."""

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from monitoring.models import Scheda, Stato
from territory.models import Comune
from tests import demo_snapshot, schede_helpers
from tests.concurrency import at_once
from tests.factories import user_with_role

from .conftest import api_client_for

pytestmark = pytest.mark.django_db(transaction=True)

REGGIO_NID = {"modello": "NID26", "anno": 2025, "codice_istat": "035033"}
ROUNDS = 3


def test_two_writes_at_once_one_wins_the_other_is_told_what_changed():
    demo_snapshot.load_demo()  # a transactional test flushed it
    reggio = Comune.objects.get(pk="035033")
    users = [user_with_role(f"op-corsa-{i}", Ruolo.OPERATORE, comune=reggio) for i in range(2)]
    clients = [api_client_for(user) for user in users]
    scheda = schede_helpers.reggio("NID26")
    Scheda.objects.filter(pk=scheda.pk).update(stato=Stato.RIAPERTA)
    url = reverse("api_v1:scheda", kwargs=REGGIO_NID)
    cells = [("R05", "N25"), ("R06", "N25")]  # each client its own cell

    for n in range(ROUNDS):
        version = clients[0].get(url).json()["versione"]
        bodies = [{"versione": version, "valori": {r: {c: str(300 + 10 * n + i)}}} for i, (r, c) in enumerate(cells)]
        responses = at_once(lambda pair: pair[0].write("patch", url, pair[1]), list(zip(clients, bodies, strict=True)))
        statuses = sorted(getattr(r, "status_code", repr(r)) for r in responses)
        assert statuses == [200, 409], f"giro {n}: {statuses}"
        winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
        loser = 1 - winner
        conflict = responses[loser].json()
        assert conflict["versione_corrente"] == version + 1
        (riga, colonna), value = cells[winner], str(300 + 10 * n + winner)
        assert [(m["cella"], m["dopo"], m["utente"]) for m in conflict["modifiche"]] == [
            (f"{riga}/{colonna}", value, f"op-corsa-{winner}")
        ]
        assert schede_helpers.stored(scheda, riga, colonna) == value
        lost_riga, lost_colonna = cells[loser]
        assert schede_helpers.stored(scheda, lost_riga, lost_colonna) != str(300 + 10 * n + loser)  # not written
