"""Fixtures for the monitoring tests: the demo schede (Reggio nell'Emilia Validata, Magenta Bozza)."""

import pytest

from monitoring.models import Scheda


@pytest.fixture
def reggio_nid(db) -> Scheda:
    return Scheda.objects.select_related("modello", "comune").get(modello__codice="NID26", comune_id="035033")


@pytest.fixture
def reggio_soc(db) -> Scheda:
    return Scheda.objects.select_related("modello", "comune").get(modello__codice="SOC26", comune_id="035033")


@pytest.fixture
def magenta_nid(db) -> Scheda:
    return Scheda.objects.select_related("modello", "comune").get(modello__codice="NID26", comune_id="015130")
