"""Sending a scheda («Invia»): required cells, warnings justified where they are shown, the confirmation step."""

import copy
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Ruolo
from monitoring.models import ModelloScheda, Scheda, Stato, ValoreCella
from monitoring.services import (
    SchedaError,
    SubmitRefused,
    modello_load,
    scheda_compute,
    scheda_create,
    scheda_justify,
    scheda_save,
    scheda_transition,
    submit_check,
)
from tests.factories import user_with_role
from tests.html_forms import page_forms
from tests.schede_helpers import confirm_post, entry_post, fill_required, magenta_nid, reggio, save_comment, stored
from tests.two_sessions import sessions

pytestmark = pytest.mark.django_db


def quadro_1(pk: int) -> str:
    return reverse("monitoring:quadro", args=[pk, 1])


def detail(pk: int) -> str:
    return reverse("monitoring:scheda_detail", args=[pk])


def invio(pk: int) -> str:
    return reverse("monitoring:scheda_invio", args=[pk])


def transition(pk: int) -> str:
    return reverse("monitoring:transition", args=[pk])


def over_100(scheda: Scheda, user) -> Scheda:
    """Magenta's NID26 complete, with more users than children: R21 and R22 (computed) above 100%."""
    fill_required(scheda, user)
    scheda_save(scheda=scheda, user=user, values={("R05", "N25"): "1200"}, expected_version=scheda.versione)
    scheda.refresh_from_db()
    return scheda


# --- 6. No empty submissions ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("without_demo_campaigns")
def test_a_new_soc26_at_zero_completeness_is_not_sent(client_for, operatore_user, magenta):
    soc = ModelloScheda.objects.get(codice="SOC26")
    scheda = scheda_create(modello=soc, comune=magenta, user=operatore_user)
    assert scheda.completezza == 0
    with pytest.raises(SubmitRefused, match="Mancano 39 campi obbligatori: M12/U25 \\(Quadro 1\\)") as exc:
        scheda_transition(scheda=scheda, user=operatore_user, action="invia")
    assert len(exc.value.check.missing) == 39  # Quadro 1; Quadro 3 does not apply (no ministry data)
    client = client_for(operatore_user)
    summary = client.get(detail(scheda.pk)).content.decode()
    assert 'data-testid="n-mancanti">39<' in summary
    assert "Campi obbligatori mancanti" in summary
    response = client.post(transition(scheda.pk), confirm_post(scheda))
    scheda.refresh_from_db()
    assert scheda.stato == Stato.BOZZA
    assert response["Location"] == invio(scheda.pk)
    [flash] = [str(m) for m in get_messages(response.wsgi_request)]
    assert flash.startswith("Mancano 39 campi obbligatori:")
    assert f'<a href="{quadro_1(scheda.pk)}#v-M12-U25">M12/U25 (Quadro 1)</a>' in flash


def test_the_confirmation_page_lists_the_missing_cells_with_links_and_refuses(client_for, operatore_user):
    scheda = magenta_nid()
    page = client_for(operatore_user).get(invio(scheda.pk)).content.decode()
    missing = submit_check(scheda=scheda).missing
    assert len(missing) > 40
    section = page.split('data-testid="invio-mancanti"')[1].split("</section>")[0]
    assert f"Campi obbligatori mancanti: {len(missing)}" in section
    # quadro link, row code and label, column label
    assert f'<a href="{quadro_1(scheda.pk)}#v-R01-S25">Quadro 1</a>' in section
    assert "R01</span> - Posti comunali disponibili (numero)" in section
    assert "2025 - Spazi gioco, nidi domiciliari" in section
    assert 'data-testid="invio-rifiutato"' in page
    assert "Conferma l&#x27;invio" not in page
    assert 'name="conferma"' not in page


def test_invia_goes_through_the_confirmation_step(client_for, operatore_user):
    scheda = magenta_nid()
    fill_required(scheda, operatore_user)
    save_comment(scheda, operatore_user, ("R11", "N25"), "Nido aziendale")
    scheda.refresh_from_db()
    client = client_for(operatore_user)
    summary = client.get(detail(scheda.pk)).content.decode()
    assert f'action="{invio(scheda.pk)}"' in summary
    assert 'data-testid="n-mancanti">0<' in summary
    # The summary's «Invia» only opens the confirmation page; a POST without confirmation sends nothing.
    response = client.post(transition(scheda.pk), {"azione": "invia"})
    assert response["Location"] == invio(scheda.pk)
    scheda.refresh_from_db()
    assert scheda.stato == Stato.BOZZA
    page = client.get(invio(scheda.pk)).content.decode()
    assert "Campi obbligatori mancanti: 0" in page
    avvisi = page.split('data-testid="invio-avvisi"')[1].split("</section>")[0]
    assert "lattanti" in avvisi
    assert "Nido aziendale" in avvisi  # the justified warning
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    # Confirming a page that is out of date (somebody saved meanwhile) is refused.
    scheda_save(scheda=scheda, user=operatore_user, values={("R07", "N25"): "1"}, expected_version=int(version))
    client.post(transition(scheda.pk), {"azione": "invia", "conferma": "1", "version": version})
    scheda.refresh_from_db()
    assert scheda.stato == Stato.BOZZA
    response = client.post(transition(scheda.pk), confirm_post(scheda))
    assert response["Location"] == detail(scheda.pk)
    scheda.refresh_from_db()
    assert scheda.stato == Stato.INVIATA


def test_reggio_acceptance_schede_are_complete_and_sendable(admin_user):
    for code in ("NID26", "SOC26"):
        scheda = reggio(code)
        Scheda.objects.filter(pk=scheda.pk).update(stato=Stato.RIAPERTA)
        scheda.refresh_from_db()
        check = submit_check(scheda=scheda)
        assert (check.missing, check.warnings, check.errors) == ([], [], [])
        scheda_transition(scheda=scheda, user=admin_user, action="invia", expected_version=scheda.versione)
        scheda.refresh_from_db()
        assert scheda.stato == Stato.INVIATA


def test_only_who_can_send_sees_the_confirmation_page(client_for, dirigente_user, operatore_user):
    scheda = magenta_nid()
    response = client_for(dirigente_user).get(invio(scheda.pk))
    assert response.status_code == 302
    assert response["Location"] == detail(scheda.pk)
    other = reggio("NID26")
    assert client_for(operatore_user).get(invio(other.pk)).status_code == 404
    assert (
        client_for(operatore_user).post(reverse("monitoring:justify", args=[other.pk]), {"g-*-*": "x"}).status_code
        == 404
    )


# --- 5. Warnings on computed cells, rows and the scheda are justified where they are shown ------------------


def test_computed_cells_have_a_comment_box_open_when_warned(client_for, operatore_user):
    scheda = over_100(magenta_nid(), operatore_user)
    page = client_for(operatore_user).get(quadro_1(scheda.pk)).content.decode()
    r21 = page.split('id="out-R21-PCT25"')[1].split("</td>")[0]
    assert '<details class="commento small" open>' in r21
    assert 'name="c-R21-PCT25"' in r21
    assert "Commento alla cella R21/PCT25" in r21
    assert "supera il 100%" in r21
    r10 = page.split('id="out-R10-N25"')[1].split("</td>")[0]
    assert 'name="c-R10-N25"' in r10
    assert '<details class="commento small">' in r10  # closed: no warning
    reader = user_with_role("lettore", Ruolo.DIRIGENTE, ambito=scheda.comune.ambito)
    read_only = client_for(reader).get(quadro_1(scheda.pk)).content.decode()
    assert 'name="c-R21-PCT25"' not in read_only


def test_warning_on_a_computed_cell_blocks_until_its_comment_then_sends(client_for, operatore_user):
    scheda = over_100(magenta_nid(), operatore_user)
    with pytest.raises(SubmitRefused) as exc:
        scheda_transition(scheda=scheda, user=operatore_user, action="invia")
    text = str(exc.value)
    assert "riquadro «Commento» della cella" in text
    assert "cella R21/PCT25 (Quadro 1)" in text
    assert "cella R22/PCT25 (Quadro 1)" in text
    client = client_for(operatore_user)
    # The refusal (after «Conferma l'invio») links to the cell's comment box in its quadro.
    response = client.post(transition(scheda.pk), confirm_post(scheda))
    assert response["Location"] == invio(scheda.pk)
    flash = [m for m in get_messages(response.wsgi_request)]
    assert f'<a href="{quadro_1(scheda.pk)}#c-R21-PCT25">cella R21/PCT25 (Quadro 1)</a>' in str(flash[0])
    page = client.get(invio(scheda.pk)).content.decode()
    assert f'href="{quadro_1(scheda.pk)}#c-R21-PCT25"' in page
    # The comment is written on the quadro page like any input cell's (c-ROW-COL) and stored on the cell.
    comments = {"c-R21-PCT25": "Utenza sovracomunale", "c-R22-PCT25": "Come R21"}
    # (and the values outside Magenta's demo history, R05/N25 = 1200 and R11/N25: monitoring.outliers)
    comments |= {"c-R05-N25": "Nuovo nido", "c-R11-N25": "Nido aziendale"}
    scheda.refresh_from_db()
    assert client.post(quadro_1(scheda.pk), entry_post(scheda, {}, **comments)).status_code == 302
    note = ValoreCella.objects.get(scheda=scheda, riga="R21", colonna="PCT25")
    assert (note.valore, note.commento) == ("", "Utenza sovracomunale")
    assert scheda_compute(scheda=scheda).values[("R21", "PCT25")] is not None  # still computed
    scheda.refresh_from_db()
    scheda_transition(scheda=scheda, user=operatore_user, action="invia")
    scheda.refresh_from_db()
    assert scheda.stato == Stato.INVIATA


def test_scheda_save_stores_a_comment_on_a_computed_cell(operatore_user):
    scheda = magenta_nid()
    save_comment(scheda, operatore_user, ("R21", "PCT25"), "Verificato")
    assert stored(scheda, "R21", "PCT25", "commento") == "Verificato"
    scheda.refresh_from_db()
    with pytest.raises(SchedaError, match="non è modificabile"):  # the value of a computed cell is not writable
        scheda_save(
            scheda=scheda, user=operatore_user, values={("R21", "PCT25"): "1"}, expected_version=scheda.versione
        )


def nid27_with_row_and_scheda_rules() -> dict:
    definition = copy.deepcopy(ModelloScheda.objects.get(codice="NID26").definizione)
    definition.update(code="NID27", reference_year=2026, due_date="2027-05-31")
    definition["rules"] = definition["rules"] + [
        {
            "id": "r05_riga",
            "expr": "R05[N25] < 100",
            "severity": "warning",
            "message": "Riga R05 oltre 100.",
            "row": "R05",
        },
        {"id": "generale", "expr": "R06[N25] < 100", "severity": "warning", "message": "Avviso della scheda."},
    ]
    return definition


def test_row_and_scheda_warnings_are_justified_on_the_warning_itself(client_for, operatore_user, magenta):
    modello, _ = modello_load(definition=nid27_with_row_and_scheda_rules())
    scheda = scheda_create(modello=modello, comune=magenta, user=operatore_user)  # copies R05 180, R06 150
    fill_required(scheda, operatore_user)
    on_cells = {w.key: "Verificato" for w in submit_check(scheda=scheda).warnings if w.on_cell}
    assert ("R11", "N25") in on_cells  # (and R21/R22: the ISTAT population of NID27 is not loaded yet)
    scheda_save(scheda=scheda, user=operatore_user, values={}, comments=on_cells, expected_version=scheda.versione)
    check = submit_check(scheda=scheda)
    assert sorted(w.key for w in check.unjustified) == [("*", "*"), ("R05", "*")]
    with pytest.raises(SubmitRefused, match="riga R05 \\(Quadro 1\\), scheda"):
        scheda_transition(scheda=scheda, user=operatore_user, action="invia")
    client = client_for(operatore_user)
    summary = client.get(detail(scheda.pk)).content.decode()
    notes = summary.split('id="giustificazioni"')[1].split("</section>")[0]
    assert 'name="g-R05-*"' in notes
    assert 'name="g-*-*"' in notes
    assert "Riga R05 oltre 100." in notes
    assert "Avviso della scheda." in notes
    quadro = client.get(quadro_1(scheda.pk)).content.decode()
    assert f'href="{detail(scheda.pk)}#giustificazioni">R05 (avviso della riga' in quadro
    response = client.post(
        reverse("monitoring:justify", args=[scheda.pk]),
        {"g-R05-*": "Nuovo nido comunale", "g-*-*": "Dato confermato", "next": "invio"},
    )
    assert response["Location"] == invio(scheda.pk)
    assert stored(scheda, "R05", "*", "commento") == "Nuovo nido comunale"
    result = scheda_compute(scheda=scheda)
    assert not [w for w in result.warnings if "prevista" in w.text or "sconosciuta" in w.text]  # notes are no values
    page = client.get(invio(scheda.pk)).content.decode()
    assert "Nuovo nido comunale" in page
    assert 'name="conferma"' in page
    client.post(transition(scheda.pk), confirm_post(Scheda.objects.get(pk=scheda.pk)))
    scheda.refresh_from_db()
    assert scheda.stato == Stato.INVIATA
    with pytest.raises(SchedaError, match="non è modificabile"):
        scheda_justify(scheda=scheda, user=operatore_user, notes={("*", "*"): "altro"})


def test_justify_accepts_only_row_and_scheda_notes(operatore_user):
    scheda = magenta_nid()
    for key in (("R99", "*"), ("R05", "N25"), ("*", "X")):
        with pytest.raises(SchedaError, match="non è di una riga del modello"):
            scheda_justify(scheda=scheda, user=operatore_user, notes={key: "x"})
    assert scheda_justify(scheda=scheda, user=operatore_user, notes={("R05", "*"): "  "}) == 0
    assert not ValoreCella.objects.filter(scheda=scheda, colonna="*").exists()


# --- Justifications saved by two users at once ------------------------------------------------------------------


def scheda_with_row_and_scheda_notes(user, comune) -> Scheda:
    """A NID27 complete, its warnings on cells commented: the row R05 and the scheda still need their notes."""
    modello, _ = modello_load(definition=nid27_with_row_and_scheda_rules())
    scheda = scheda_create(modello=modello, comune=comune, user=user)
    fill_required(scheda, user)
    on_cells = {w.key: "Verificato" for w in submit_check(scheda=scheda).warnings if w.on_cell}
    scheda_save(scheda=scheda, user=user, values={}, comments=on_cells, expected_version=scheda.versione)
    return scheda


def justify_form(client, scheda: Scheda) -> dict[str, str]:
    """The justification form of the scheda's summary page, as the browser would post it."""
    html = client.get(detail(scheda.pk)).content.decode()
    action = reverse("monitoring:justify", args=[scheda.pk])
    return next(dict(f["fields"]) for f in page_forms(html) if f["action"] == action)


def notes_of(scheda: Scheda) -> dict[str, str]:
    return dict(ValoreCella.objects.filter(scheda=scheda, colonna="*").values_list("riga", "commento"))


@pytest.fixture
def two_operators(operatore_user, magenta):
    return sessions(operatore_user, user_with_role("operatore2", Ruolo.OPERATORE, comune=magenta))


def test_justifications_of_different_warnings_saved_at_once_are_both_kept(two_operators, operatore_user, magenta):
    scheda = scheda_with_row_and_scheda_notes(operatore_user, magenta)
    a, b = two_operators
    page_a, page_b = justify_form(a, scheda), justify_form(b, scheda)
    url = reverse("monitoring:justify", args=[scheda.pk])
    page_a["g-R05-*"] = "Nuovo nido comunale"
    assert a.post(url, page_a).status_code == 302
    page_b["g-*-*"] = "Dato confermato"  # B's page still shows the note of R05 empty
    assert b.post(url, page_b).status_code == 302
    assert notes_of(scheda) == {"R05": "Nuovo nido comunale", "*": "Dato confermato"}


def test_the_same_justification_changed_by_both_is_refused_naming_the_row(two_operators, operatore_user, magenta):
    scheda = scheda_with_row_and_scheda_notes(operatore_user, magenta)
    a, b = two_operators
    page_a, page_b = justify_form(a, scheda), justify_form(b, scheda)
    url = reverse("monitoring:justify", args=[scheda.pk])
    page_a["g-R05-*"] = "Nuovo nido comunale"
    assert a.post(url, page_a).status_code == 302
    page_b["g-R05-*"] = "Nido aziendale aperto"
    page_b["g-*-*"] = "Dato confermato"
    response = b.post(url, page_b)
    assert response.status_code == 302
    assert notes_of(scheda) == {"R05": "Nuovo nido comunale"}  # nothing of B's saved, A's note kept
    [flash] = [str(m) for m in get_messages(response.wsgi_request)]
    assert flash.startswith("Un altro utente ha cambiato le stesse giustificazioni mentre lei lavorava")
    assert "Riga R05 (Quadro 1): testo salvato ora «Nuovo nido comunale», il suo testo «Nido aziendale aperto»" in flash
    assert "Scheda:" not in flash  # the scheda's note was B's alone: no conflict
    page_b = justify_form(b, scheda)  # reloaded: the stored notes, saved as they are changed
    assert page_b["g-R05-*"] == "Nuovo nido comunale"
    page_b["g-*-*"] = "Dato confermato"
    assert b.post(url, page_b).status_code == 302
    assert notes_of(scheda) == {"R05": "Nuovo nido comunale", "*": "Dato confermato"}
