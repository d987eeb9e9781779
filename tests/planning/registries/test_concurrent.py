"""Two members of the Ufficio di Piano editing the same registry row at once: only what each one changed is written,
a field both changed is a choice (core.optimistic, as for the interventions and the plan's other forms)."""

import pytest
from django.test import Client
from django.urls import reverse

from planning.models import LineaPNRR, OrganismoGovernance, Progetto, ServizioAssociato
from tests.two_sessions import EditPage, SameTimeEdits, sessions

pytestmark = pytest.mark.django_db

PIANO = "magentino-2025-2027"


def _first(model, **lookup):
    return model.objects.filter(piano__slug=PIANO, **lookup).order_by("ordine", "pk").first().pk


PAGES = [
    EditPage(
        "progetto",
        lambda: reverse("planning:progetto_update", args=[_first(Progetto)]),
        "registro-form",
        x="titolo", x_a="Progetto rinominato da A", x_b="Progetto rinominato da B",
        y="capofila", y_b="Capofila scritto da B",
    ),
    EditPage(
        "linea PNRR",
        lambda: reverse("planning:linea_pnrr_update", args=[_first(LineaPNRR)]),
        "registro-form",
        x="titolo", x_a="Linea rinominata da A", x_b="Linea rinominata da B",
        y="voci-0-nome", y_b="Voce rinominata da B",
    ),
    EditPage(
        "servizio in gestione associata",
        lambda: reverse("planning:servizio_associato_update", args=[_first(ServizioAssociato)]),
        "registro-form",
        x="nome", x_a="Servizio rinominato da A", x_b="Servizio rinominato da B",
        y="tempistica", y_b="Fino al 2027",
    ),
    EditPage(
        "organismo di governance",
        lambda: reverse("planning:organismo_governance_update", args=[_first(OrganismoGovernance)]),
        "registro-form",
        x="nome", x_a="Organismo rinominato da A", x_b="Organismo rinominato da B",
        y="composizione", y_b="Composizione scritta da B",
    ),
]  # fmt: skip


class TestRegistriesEditedAtOnce(SameTimeEdits):
    pages = PAGES

    @pytest.fixture
    def outsiders(self, udp_oglio, operatore_user) -> list[Client]:
        # The Dirigente reads the plan and gets 403 on these pages (tests/planning/registries/test_registries.py).
        return sessions(udp_oglio, operatore_user)
