"""Fixtures of the quarterly snapshot tests: the Magentino plan with the demo snapshots 2025-T1 (closed), 2025-T2."""

import pytest

from monitoring.models import Rilevazione


@pytest.fixture
def t1(piano):
    return Rilevazione.objects.get(piano=piano, anno=2025, trimestre=1)


@pytest.fixture
def t2(piano):
    return Rilevazione.objects.get(piano=piano, anno=2025, trimestre=2)
