"""Fixtures for the monitoring tests: the demo schede (Reggio nell'Emilia Validata, Magenta Bozza)."""

import pytest

from monitoring.models import Scheda
from tests import schede_helpers


@pytest.fixture
def reggio_nid(db) -> Scheda:
    return schede_helpers.reggio("NID26")


@pytest.fixture
def reggio_soc(db) -> Scheda:
    return schede_helpers.reggio("SOC26")


@pytest.fixture
def magenta_nid(db) -> Scheda:
    return schede_helpers.magenta_nid()
