"""Schede through the API: read by codes, write with the engine's validation, the workflow and the version check."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Ruolo
from monitoring.models import Scheda, Stato, ValoreCella
from tests import schede_helpers
from tests.factories import AmbitoFactory, user_with_role

pytestmark = pytest.mark.django_db

REGGIO_NID = {"modello": "NID26", "anno": 2025, "codice_istat": "035033"}
SCHEDA = reverse("api_v1:scheda", kwargs=REGGIO_NID)


def _reopen(code: str = "NID26") -> Scheda:
    scheda = schede_helpers.reggio(code)
    Scheda.objects.filter(pk=scheda.pk).update(stato=Stato.RIAPERTA)
    scheda.refresh_from_db()
    return scheda


def test_read_gives_every_value_by_row_and_column_with_computed_cells_marked(api_for, operatore_reggio):
    body = api_for(operatore_reggio).get(SCHEDA).json()
    assert (body["modello"], body["anno"], body["codice_istat"], body["stato"]) == ("NID26", 2025, "035033", "validata")
    valori = body["valori"]
    assert valori["R05"]["N25"] == {"valore": "748", "tipo": "input", "calcolata": False, "unita": "numero"}
    assert valori["R10"]["N25"]["valore"] == "748" or valori["R10"]["N25"]["calcolata"] is True
    r21 = next(iter(valori["R21"].values()))
    assert r21["calcolata"] is True
    assert r21["tipo"] == "computed"
    assert "51,80" in [c["valore"] for c in valori["R21"].values()]  # DOMAIN.md: 1800 / 3475 × 100
    assert "52,46" in [c["valore"] for c in valori["R22"].values()]  # (1800 + 519 − 496) / 3475 × 100
    assert body["versione"] >= 1
    assert body["indicatori"]
    assert body["indicatori"][0]["codice"]


def test_round_trip_write_returns_recomputed_r21_r22_then_stale_version_gets_409(api_for, operatore_reggio):
    scheda = _reopen()
    client = api_for(operatore_reggio)
    read = client.get(SCHEDA).json()
    version = read["versione"]
    assert read["valori"]["R05"]["N25"]["valore"] == "748"

    body = {"versione": version, "valori": {"R05": {"N25": "758"}}}
    response = client.write("patch", SCHEDA, body)
    assert response.status_code == 200, response.content
    written = response.json()
    assert written["versione"] == version + 1
    assert written["valori"]["R05"]["N25"]["valore"] == "758"
    # R10 = R05 + … + R09 = 1810; R21 = 1810 / 3475 × 100; R22 = (1810 + 519 − 496) / 3475 × 100
    recomputed = written["celle_ricalcolate"]
    assert "1810" in recomputed["R10"].values()
    assert "52,09" in recomputed["R21"].values()
    assert "52,75" in recomputed["R22"].values()
    assert schede_helpers.stored(scheda, "R05", "N25") == "758"

    again = client.write("patch", SCHEDA, body)  # the same write with the version read before
    assert again.status_code == 409
    assert again.json()["versione_corrente"] == version + 1
    assert "versione attuale" in again.json()["detail"]
    assert schede_helpers.stored(scheda, "R05", "N25") == "758"


def test_a_stale_write_lists_what_others_changed_since_the_version_it_sent(api_for, operatore_reggio, reggio):
    """The 409 of a stale version says which cells changed since that version, from what to what, by whom (as the
    form's conflict message does); the cells of the version the client read are not listed."""
    _reopen()
    first = api_for(operatore_reggio)
    version = first.get(SCHEDA).json()["versione"]
    mine = first.write("patch", SCHEDA, {"versione": version, "valori": {"R05": {"N25": "750"}}}).json()["versione"]
    colleague = api_for(user_with_role("op-reggio-2", Ruolo.OPERATORE, comune=reggio))
    theirs = colleague.write("patch", SCHEDA, {"versione": mine, "valori": {"R06": {"N25": "12"}}})
    assert theirs.status_code == 200, theirs.content

    stale = first.write("patch", SCHEDA, {"versione": mine, "valori": {"R05": {"N25": "760"}}})
    assert stale.status_code == 409
    body = stale.json()
    assert body["versione_corrente"] == mine + 1
    changes = [(m["cella"], m["dopo"], m["utente"]) for m in body["modifiche"]]
    assert changes == [("R06/N25", "12", "op-reggio-2")]  # not R05, the client's own change of the version it read
    assert body["modifiche"][0]["prima"] != "12"
    assert schede_helpers.stored(schede_helpers.reggio("NID26"), "R05", "N25") == "750"  # nothing written


def test_a_version_the_scheda_never_had_gets_409_without_changes(api_for, operatore_reggio):
    _reopen()
    response = api_for(operatore_reggio).write("patch", SCHEDA, {"versione": 999, "valori": {"R05": {"N25": "1"}}})
    assert response.status_code == 409
    assert response.json()["modifiche"] == []


def test_write_is_recorded_in_history_with_the_tokens_user(api_for, operatore_reggio):
    scheda = _reopen()
    client = api_for(operatore_reggio)
    client.write("put", SCHEDA, {"versione": scheda.versione, "valori": {"R05": {"N25": "750"}}})
    record = ValoreCella.history.filter(scheda_id=scheda.pk, riga="R05", colonna="N25").latest("history_date")
    assert record.valore == "750"
    assert record.history_user == operatore_reggio
    scheda.refresh_from_db()
    assert scheda.modificata_da == operatore_reggio
    assert scheda.history.latest("history_date").history_user == operatore_reggio


def test_invalid_value_gets_422_naming_the_cell_and_saves_nothing(api_for, operatore_reggio):
    scheda = _reopen()
    response = api_for(operatore_reggio).write(
        "patch", SCHEDA, {"versione": scheda.versione, "valori": {"R05": {"N25": "dodici"}, "R06": {"N25": "1"}}}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Scheda non salvata")
    assert [(e["riga"], e["colonna"]) for e in body["errori"]] == [("R05", "N25")]
    assert schede_helpers.stored(scheda, "R06", "N25") == "556"
    assert Scheda.objects.get(pk=scheda.pk).versione == scheda.versione


def test_computed_cell_is_not_writable(api_for, operatore_reggio):
    scheda = _reopen()
    response = api_for(operatore_reggio).write(
        "patch", SCHEDA, {"versione": scheda.versione, "valori": {"R10": {"N25": "1"}}}
    )
    assert response.status_code == 422
    assert response.json()["errori"][0]["messaggio"] == "La cella R10/N25 non è modificabile."


def test_validated_scheda_is_read_only_409(api_for, operatore_reggio):
    scheda = schede_helpers.reggio("NID26")
    assert scheda.stato == Stato.VALIDATA
    response = api_for(operatore_reggio).write(
        "patch", SCHEDA, {"versione": scheda.versione, "valori": {"R05": {"N25": "1"}}}
    )
    assert response.status_code == 409
    assert "non è modificabile" in response.json()["detail"]


def test_reader_without_edit_right_gets_403(api_for, reggio):
    """A Dirigente of an Ambito that holds Reggio reads its schede but changes nothing."""
    _reopen()
    ambito = AmbitoFactory()
    reggio.ambito = ambito
    reggio.save()
    dirigente = user_with_role("dir-reggio", Ruolo.DIRIGENTE, ambito=ambito)
    client = api_for(dirigente)
    assert client.get(SCHEDA).status_code == 200
    scheda = schede_helpers.reggio("NID26")
    response = client.write("patch", SCHEDA, {"versione": scheda.versione, "valori": {"R05": {"N25": "1"}}})
    assert response.status_code == 403
    assert response.json()["detail"] == "Non può modificare questa scheda."


def test_list_filters_by_template_year_comune_and_state(api_for, admin_user):
    client = api_for(admin_user)
    url = reverse("api_v1:schede")
    body = client.get(url, modello="NID26", comune="035033").json()
    assert body["count"] == 1
    assert body["items"][0]["codice_istat"] == "035033"
    states = {s["stato"] for s in client.get(url, stato="validata", page_size=200).json()["items"]}
    assert states == {"validata"}
    years = {s["anno"] for s in client.get(url, anno=2025, page_size=200).json()["items"]}
    assert years == {2025}
    assert client.get(url, anno=1999).json()["count"] == 0
    wrong = client.get(url, stato="chiusa")
    assert wrong.status_code == 422
    assert wrong.json()["errori"][0]["campo"] == "query.stato"


def test_scheda_read_and_list_queries_do_not_grow(api_for, admin_user, django_assert_max_num_queries):
    client = api_for(admin_user)
    client.get(SCHEDA)  # the compiled template is cached per process
    with django_assert_max_num_queries(8):
        assert client.get(SCHEDA).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("api_v1:schede"), page_size=200).status_code == 200


def test_write_needs_no_csrf_token_only_the_api_token(api_for, operatore_reggio):
    """Token authentication only (no session): a client that enforces CSRF checks writes with the token alone."""
    scheda = _reopen()
    client = api_for(operatore_reggio)
    client.client = Client(enforce_csrf_checks=True)
    response = client.write("patch", SCHEDA, {"versione": scheda.versione, "valori": {"R05": {"N25": "749"}}})
    assert response.status_code == 200
