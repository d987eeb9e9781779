"""Fixtures of the evaluation tests: the demo plans and their evaluations (loaded with the demo data)."""

import pytest

from planning.models import PianoDiZona, SchedaValutazione

CARD_2 = (
    "Aumento del benessere dei minori e delle loro famiglie attraverso interventi di sostegno e di coinvolgimento "
    "attivo"
)


@pytest.fixture
def piano(db):
    return PianoDiZona.objects.get(slug="magentino-2025-2027")


@pytest.fixture
def piano_oglio(db):
    return PianoDiZona.objects.get(slug="oglio-po-2021-2023")


@pytest.fixture
def scheda2(piano):
    return SchedaValutazione.objects.get(valutazione__piano=piano, obiettivo=CARD_2)
