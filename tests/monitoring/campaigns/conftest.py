"""Fixtures of the campaign tests: a Regione user over Lombardia (Magentino, Oglio Po) and one over Emilia-Romagna."""

import pytest

from accounts.models import Ruolo
from territory.models import Regione
from tests.factories import user_with_role

from .helpers import remove_demo_campaigns


@pytest.fixture
def lombardia(db) -> Regione:
    return Regione.objects.get(nome="Lombardia")


@pytest.fixture
def regione_user(lombardia):
    return user_with_role("regione-lombardia", Ruolo.REGIONE, regione=lombardia)


@pytest.fixture
def regione_emilia(db):
    return user_with_role("regione-emilia", Ruolo.REGIONE, regione=Regione.objects.get(nome="Emilia-Romagna"))


@pytest.fixture(autouse=True)
def without_demo_campaigns(db):
    """These tests open their own campaigns on the demo Ambiti: the demo campaigns are removed first."""
    remove_demo_campaigns()
