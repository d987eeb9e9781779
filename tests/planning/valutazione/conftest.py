"""Fixtures of the evaluation tests: an evaluation card of the Magentino plan (loaded with the demo data)."""

import pytest

from planning.models import SchedaValutazione

CARD_2 = (
    "Aumento del benessere dei minori e delle loro famiglie attraverso interventi di sostegno e di coinvolgimento "
    "attivo"
)


@pytest.fixture
def scheda2(piano):
    return SchedaValutazione.objects.get(valutazione__piano=piano, obiettivo=CARD_2)
