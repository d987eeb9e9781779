"""Fixtures of the performance tests: the demo performance plan 2017 (seed 004) and one of its objectives."""

import pytest

from planning.models import ObiettivoOperativo, PianoPerformance


@pytest.fixture
def piano(db):
    """The performance plan (it stands in for the Piano di Zona fixture of tests/conftest.py here)."""
    return PianoPerformance.objects.get(slug="performance-2017-servizi-sociali")


@pytest.fixture
def obiettivo(piano):
    return ObiettivoOperativo.objects.get(strategico__piano=piano, codice="6_1203_0601")
