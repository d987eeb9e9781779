"""Fixtures of the Piano di Zona tests: the demo plans (loaded with the demo territory), users, helpers."""

import datetime

import pytest

from planning.models import Intervento, ModelloIntervento
from planning.piano.services import piano_transition


@pytest.fixture
def domiciliarita(piano):
    return Intervento.objects.get(piano=piano, titolo="Interventi a sostegno della domiciliarità")


@pytest.fixture
def lombardia(db):
    return ModelloIntervento.objects.get(codice="LOMB-2025-2027")


def approva(piano, **extra):
    """Bring the plan to Approvato through the workflow service."""
    if piano.stato == "bozza":
        piano = piano_transition(piano=piano, stato="in_approvazione")
    return piano_transition(
        piano=piano,
        stato="approvato",
        atto_approvazione=extra.get("atto", "Deliberazione dell'Assemblea dei Sindaci n. 5"),
        data_approvazione=extra.get("data", datetime.date(2025, 1, 20)),
    )


def intervento_post(
    piano, *, titolo="Nuovo intervento di prova", obiettivo=None, azioni=(), indicatori=(), risorse=(), **extra
):
    """POST data for the intervention form (Lombardy template) with inline rows."""
    obiettivo = obiettivo or piano.obiettivi.first()
    data = {
        "modello": "LOMB-2025-2027",
        "obiettivo": obiettivo.pk,
        "codice": extra.get("codice", ""),
        "titolo": titolo,
        "stato": extra.get("stato", "programmato"),
        "target": extra.get("target", "Famiglie con minori"),
        "risorse_descrizione": "",
        "personale": "",
        "descrizione": "",
    }
    for name, value in extra.get("campi", {}).items():
        data[f"campo-{name}"] = value
    for prefix, rows in (("azioni", azioni), ("indicatori", indicatori), ("risorse", risorse)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    for key in ("fondi", "leps"):
        if key in extra:
            data[key] = extra[key]
    return data
