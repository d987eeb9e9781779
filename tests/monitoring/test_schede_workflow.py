"""Schede: permissions of every view, saving, workflow by role, optimistic locking, copy from the previous year."""

import copy
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from monitoring.models import ModelloScheda, Scheda, Stato
from monitoring.services import SchedaError, modello_load, scheda_create, scheda_save, scheda_transition
from tests.schede_helpers import confirm_post, entry_post, fill_required, magenta_nid, reggio, result, stored

pytestmark = pytest.mark.django_db


def scheda_urls(pk: int) -> list[str]:
    return [
        reverse("monitoring:scheda_detail", args=[pk]),
        reverse("monitoring:quadro", args=[pk, 1]),
        reverse("monitoring:storico", args=[pk]),
        reverse("monitoring:xlsx", args=[pk]),
        reverse("monitoring:pdf", args=[pk]),
        reverse("monitoring:xlsx_upload", args=[pk]),
    ]


@pytest.mark.parametrize("index", range(6))
def test_operator_cannot_open_another_comune_scheda(client_for, operatore_user, index):
    url = scheda_urls(reggio("NID26").pk)[index]
    assert client_for(operatore_user).get(url).status_code == 404


@pytest.mark.parametrize(("name", "extra"), [("compute", []), ("transition", []), ("quadro", [1]), ("xlsx_upload", [])])
def test_operator_cannot_post_to_another_comune_scheda(client_for, operatore_user, name, extra):
    scheda = reggio("NID26")
    url = reverse(f"monitoring:{name}", args=[scheda.pk, *extra])
    response = client_for(operatore_user).post(url, {"azione": "invia"})
    assert response.status_code == 404


def test_operator_cannot_see_ambito_overview(client_for, operatore_user):
    client = client_for(operatore_user)
    assert client.get(reverse("monitoring:overview", args=["magentino"])).status_code == 404
    assert client.get(reverse("monitoring:overview", args=["magentino"]) + "?_export=xlsx").status_code == 404


def test_udp_of_other_ambito_gets_404(client_for, udp_user):
    scheda = reggio("SOC26")
    client = client_for(udp_user)
    for url in scheda_urls(scheda.pk)[:3]:
        assert client.get(url).status_code == 404
    assert client.get(reverse("monitoring:overview", args=["reggio-emilia"])).status_code == 404


def test_operator_edits_own_comune_scheda(client_for, operatore_user):
    scheda = magenta_nid()
    client = client_for(operatore_user)
    response = client.post(reverse("monitoring:quadro", args=[scheda.pk, 1]), entry_post(scheda, {"R07-N25": "1.234"}))
    assert response.status_code == 302
    assert stored(scheda, "R07", "N25") == "1234"
    assert result(scheda, "R10.N25") == "1600"  # 180 + 150 + 1234 + 36


def test_dirigente_reads_but_cannot_edit(client_for, dirigente_user):
    scheda = magenta_nid()
    client = client_for(dirigente_user)
    page = client.get(reverse("monitoring:quadro", args=[scheda.pk, 1])).content.decode()
    assert 'name="v-R05-N25"' not in page
    assert (
        client.post(reverse("monitoring:quadro", args=[scheda.pk, 1]), entry_post(scheda, {"R05-N25": "1"})).status_code
        == 403
    )
    assert client.get(reverse("monitoring:xlsx_upload", args=[scheda.pk])).status_code == 403
    client.post(reverse("monitoring:transition", args=[scheda.pk]), {"azione": "invia"})
    scheda.refresh_from_db()
    assert scheda.stato == Stato.BOZZA


@pytest.mark.parametrize("value", ["1234,5", "1.234,56", "1234.56"])
def test_inputs_accept_italian_and_plain_decimals(client_for, udp_user, value):
    scheda = magenta_nid()
    client_for(udp_user).post(reverse("monitoring:quadro", args=[scheda.pk, 1]), entry_post(scheda, {"R04-N25": value}))
    saved = stored(scheda, "R04", "N25")
    assert saved == {"1234,5": "1234,5", "1.234,56": "1234,56", "1234.56": "1234,56"}[value]


@pytest.mark.parametrize(
    ("value", "message"),
    [("abc", "Valore non numerico"), ("-5", "non può essere negativo"), ("1,2,3", "Valore non numerico")],
)
def test_bad_input_is_refused_at_the_cell_and_nothing_saved(client_for, udp_user, value, message):
    scheda = magenta_nid()
    before = list(scheda.valori.values_list("riga", "colonna", "valore"))
    response = client_for(udp_user).post(
        reverse("monitoring:quadro", args=[scheda.pk, 1]), entry_post(scheda, {"R06-N25": "151", "R05-N25": value})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page.split('id="msg-R05-N25"')[1].split("</ul>")[0]
    assert f'value="{value}"' in page  # the user's input stays on the page
    assert list(scheda.valori.values_list("riga", "colonna", "valore")) == before


def test_text_limit_of_the_report(client_for, udp_user):
    scheda = magenta_nid()
    response = client_for(udp_user).post(
        reverse("monitoring:quadro", args=[scheda.pk, 4]), entry_post(scheda, {"R61-TXT": "x" * 6001})
    )
    assert response.status_code == 400
    assert "supera il limite di 6.000 caratteri" in response.content.decode()
    ok = client_for(udp_user).post(
        reverse("monitoring:quadro", args=[scheda.pk, 4]), entry_post(scheda, {"R61-TXT": "x" * 6000})
    )
    assert ok.status_code == 302


def test_concurrent_edit_second_save_is_refused_and_input_kept(client, udp_user, operatore_user):
    scheda = magenta_nid()
    stale = entry_post(scheda, {"R05-N25": "999"})  # the Ufficio di Piano loaded the page
    other = Client()
    other.force_login(operatore_user)
    assert (
        other.post(
            reverse("monitoring:quadro", args=[scheda.pk, 1]), entry_post(scheda, {"R06-N25": "160"})
        ).status_code
        == 302
    )
    client.force_login(udp_user)
    response = client.post(reverse("monitoring:quadro", args=[scheda.pk, 1]), stale)
    assert response.status_code == 409
    page = response.content.decode()
    conflict = page.split('data-testid="conflitto"')[1].split("</table>")[0]
    assert "R06/N25" in conflict
    assert "150" in conflict
    assert "160" in conflict
    assert "operatore" in conflict
    assert 'value="999"' in page
    assert stored(scheda, "R05", "N25") == "180"


def test_workflow_submit_validate_return_reopen(client_for, operatore_user, udp_user):
    scheda = magenta_nid()
    operator, udp = client_for(operatore_user), None
    # «Invia» leads to the confirmation page; the draft has empty required cells and a warning on R11.
    response = operator.post(reverse("monitoring:transition", args=[scheda.pk]), {"azione": "invia"})
    assert response["Location"] == reverse("monitoring:scheda_invio", args=[scheda.pk])
    operator.post(reverse("monitoring:transition", args=[scheda.pk]), confirm_post(scheda))
    scheda.refresh_from_db()
    assert scheda.stato == Stato.BOZZA
    operator.post(
        reverse("monitoring:quadro", args=[scheda.pk, 1]),
        entry_post(scheda, {}, **{"c-R11-N25": "Comprende i bambini del nido aziendale"}),
    )
    fill_required(scheda, operatore_user)
    operator.post(reverse("monitoring:transition", args=[scheda.pk]), confirm_post(scheda))
    scheda.refresh_from_db()
    assert scheda.stato == Stato.INVIATA
    # The operator cannot validate; the scheda is no longer editable.
    with pytest.raises(PermissionDenied):
        scheda_transition(scheda=scheda, user=operatore_user, action="valida")
    with pytest.raises(SchedaError, match="non è modificabile"):
        scheda_save(scheda=scheda, user=operatore_user, values={("R05", "N25"): "1"}, expected_version=scheda.versione)
    udp = client_for(udp_user)
    udp.post(reverse("monitoring:transition", args=[scheda.pk]), {"azione": "rimanda", "motivo": ""})
    scheda.refresh_from_db()
    assert scheda.stato == Stato.INVIATA  # a reason is required
    udp.post(reverse("monitoring:transition", args=[scheda.pk]), {"azione": "rimanda", "motivo": "Verificare R11"})
    scheda.refresh_from_db()
    assert (scheda.stato, scheda.motivo) == (Stato.RIMANDATA, "Verificare R11")
    scheda_transition(scheda=scheda, user=operatore_user, action="invia")
    scheda_transition(scheda=scheda, user=udp_user, action="valida")
    scheda.refresh_from_db()
    assert scheda.stato == Stato.VALIDATA
    with pytest.raises(SchedaError):
        scheda_save(scheda=scheda, user=udp_user, values={("R05", "N25"): "1"}, expected_version=scheda.versione)
    scheda_transition(scheda=scheda, user=udp_user, action="riapri", reason="Correzione richiesta dal Comune")
    scheda.refresh_from_db()
    assert scheda.stato == Stato.RIAPERTA
    assert scheda.modificabile
    storico = udp.get(reverse("monitoring:storico", args=[scheda.pk])).content.decode()
    for label in ("Inviata", "Rimandata", "Validata", "Riaperta", "Verificare R11"):
        assert label in storico


def test_submit_refused_with_errors(udp_user):
    scheda = magenta_nid()
    scheda_save(
        scheda=scheda,
        user=udp_user,
        values={("R30", "COM"): "Robecco", ("R30", "UNR"): "3"},
        expected_version=scheda.versione,
    )
    # R60 (3) differs from R17 (empty): an error blocks the submission.
    with pytest.raises(SchedaError, match="errori"):
        scheda_transition(scheda=scheda, user=udp_user, action="invia")


def test_history_records_who_and_old_new(client_for, udp_user):
    scheda = magenta_nid()
    client = client_for(udp_user)
    client.post(reverse("monitoring:quadro", args=[scheda.pk, 1]), entry_post(scheda, {"R05-N25": "181"}))
    page = client.get(reverse("monitoring:storico", args=[scheda.pk])).content.decode()
    row = next(r for r in page.split("<tr>") if "Cella R05/N25" in r)
    assert "udp" in row
    assert "180" in row
    assert "181" in row


def nid27_definition() -> dict:
    definition = copy.deepcopy(ModelloScheda.objects.get(codice="NID26").definizione)
    definition.update(
        code="NID27", reference_year=2026, due_date="2027-05-31", title=definition["title"].replace("2025", "2026")
    )
    return definition


def test_new_year_template_is_data_and_copy_marks_prefilled(udp_user, magenta):
    modello, created = modello_load(definition=nid27_definition())
    assert created
    assert modello.anno_riferimento == 2026
    scheda = scheda_create(modello=modello, comune=magenta, user=udp_user)
    assert scheda.copiata_da == magenta_nid()
    copied = {(v.riga, v.colonna): v for v in scheda.valori.all()}
    assert copied[("R05", "N25")].valore == "180"
    assert copied[("R05", "N25")].precompilato
    assert ("R10", "N25") not in copied  # computed cells are recomputed, not copied
    assert scheda.risultati["R10.N25"] == "366"
    scheda_save(scheda=scheda, user=udp_user, values={("R05", "N25"): "190"}, expected_version=scheda.versione)
    assert not stored(scheda, "R05", "N25", "precompilato")
    assert stored(scheda, "R06", "N25", "precompilato")


def test_create_view_for_operator(client_for, operatore_user):
    modello, _ = modello_load(definition=nid27_definition())
    client = client_for(operatore_user)
    response = client.post(
        reverse("monitoring:scheda_create"), {"modello": modello.pk, "comune": "015130", "copia": "on"}
    )
    scheda = Scheda.objects.get(modello=modello, comune_id="015130")
    assert response["Location"] == scheda.get_absolute_url()
    assert scheda.valori.filter(precompilato=True).count() == 8  # the 8 input cells; R19 (ISTAT) is precompiled
    response = client.post(reverse("monitoring:scheda_create"), {"modello": modello.pk, "comune": "035033"})
    assert not Scheda.objects.filter(modello=modello, comune_id="035033").exists()


def test_operator_role_cannot_validate_even_own(operatore_user):
    scheda = magenta_nid()
    Scheda.objects.filter(pk=scheda.pk).update(stato=Stato.INVIATA)
    scheda.refresh_from_db()
    with pytest.raises(PermissionDenied):
        scheda_transition(scheda=scheda, user=operatore_user, action="valida")


def test_page_round_trip_with_a_large_version_number(client_for, udp_user):
    scheda = magenta_nid()
    Scheda.objects.filter(pk=scheda.pk).update(versione=1234)
    client = client_for(udp_user)
    page = client.get(reverse("monitoring:quadro", args=[scheda.pk, 4])).content.decode()
    version = re.search(r'name="version" value="([^"]*)"', page).group(1)
    loaded_at = re.search(r'name="loaded_at" value="([^"]*)"', page).group(1)
    assert version == "1234"  # not localised as 1.234
    assert 'data-max-length="6000"' in page
    response = client.post(
        reverse("monitoring:quadro", args=[scheda.pk, 4]),
        {"version": version, "loaded_at": loaded_at, "v-R61-TXT": "Relazione"},
    )
    assert response.status_code == 302
