"""The read API other parts of the portal (the Piano di Zona PDF, the dashboard) build on."""

import pytest

from monitoring.snapshots.selectors import latest_snapshot
from planning.contesto.selectors import per_capita, spending_tables
from planning.valutazione.selectors import schede_esiti, sintesi, valutazione_del_piano

pytestmark = pytest.mark.django_db


def test_evaluation_cards_and_summary(piano, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        valutazione = valutazione_del_piano(piano)
        cards = schede_esiti(valutazione)
    assert len(cards) == 8
    card = cards[1]
    assert card.righe[0][0].startswith("1. Grado di raggiungimento")
    assert card.righe[0][1].startswith("75,0% (le azioni parzialmente realizzate contano come realizzate)")
    assert all(isinstance(v, str) for _, v in card.righe)
    assert len(card.azioni) == 12
    assert card.azioni[3] == ("Rivisitazione del Servizio affidi in collaborazione con ASCSP", "Non realizzata")
    summary = sintesi(cards)
    assert summary["schede"] == 8
    assert summary["conteggi"].totale == 52
    assert valutazione.get_regola_parziali_display() == "le azioni parzialmente realizzate contano come realizzate"


def test_context_and_snapshot_api(piano, magentino):
    assert [t.codice for t in spending_tables(magentino)] == [
        "Tab. 8",
        "Tab. 10",
        "Tab. 11",
        "Tab. 12",
        "Tab. 13",
        "Tab. 14",
    ]
    assert [a.anno for a in per_capita(magentino).anni] == [2019, 2020, 2021, 2022]
    assert latest_snapshot(piano).codice == "2025-T2"
