"""Approval by level: the Ufficio di Piano presents the Ambito's validated set, the Regione approves it or sends it
back; approved schede are read-only until the approval is revoked; a Regione user sees only its own Ambiti."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from monitoring.campaigns.services import CampagnaError, campagna_transition
from monitoring.models import Scheda
from monitoring.services import SchedaError, scheda_save, scheda_transition
from tests.schede_helpers import magenta_nid

from .helpers import open_campaign, set_states

pytestmark = pytest.mark.django_db


@pytest.fixture
def campagna(magentino, udp_user):
    return open_campaign(magentino, udp_user, copia_anno_precedente=False)


def _post(client, campagna, azione, motivo=""):
    campagna.refresh_from_db()
    url = reverse("monitoring:campagna_transition", args=[campagna.pk])
    return client.post(url, {"azione": azione, "motivo": motivo, "version": campagna.versione}, follow=True)


def test_presenting_needs_every_scheda_validated(campagna, udp_user):
    comuni = list(campagna.comuni.order_by("nome"))
    set_states(campagna, "validata", comuni[1:])
    with pytest.raises(CampagnaError, match=f"Mancano 1 Comuni: {comuni[0].nome}"):
        campagna_transition(campagna=campagna, user=udp_user, action="presenta")
    set_states(campagna, "validata", comuni[:1])
    assert campagna_transition(campagna=campagna, user=udp_user, action="presenta").stato == "presentata"


def test_the_regione_approves_and_the_schede_become_read_only(campagna, udp_user, regione_user, operatore_user):
    set_states(campagna, "validata", campagna.comuni.all())
    campagna_transition(campagna=campagna, user=udp_user, action="presenta")
    with pytest.raises(PermissionDenied):
        campagna_transition(campagna=campagna, user=udp_user, action="approva")
    approved = campagna_transition(campagna=campagna, user=regione_user, action="approva")
    assert approved.stato == "approvata"
    assert approved.approvata_da == regione_user
    scheda = magenta_nid()
    with pytest.raises(SchedaError, match="sola lettura"):
        scheda_transition(scheda=scheda, user=udp_user, action="riapri", reason="errore")
    Scheda.objects.filter(pk=scheda.pk).update(stato="bozza")  # even a scheda put back in Bozza stays locked
    with pytest.raises(SchedaError, match="sola lettura"):
        scheda_save(scheda=scheda, user=operatore_user, values={("R05", "N25"): "1"}, expected_version=scheda.versione)
    with pytest.raises(CampagnaError, match="motivazione"):
        campagna_transition(campagna=campagna, user=regione_user, action="revoca")
    campagna_transition(campagna=campagna, user=regione_user, action="revoca", reason="Dati da rivedere")
    campagna_transition(campagna=campagna, user=regione_user, action="restituisci", reason="Correggere Magenta")
    scheda.refresh_from_db()
    scheda_save(scheda=scheda, user=operatore_user, values={("R05", "N25"): "1"}, expected_version=scheda.versione)
    states = list(campagna.history.order_by("history_date").values_list("stato", "motivo"))
    assert states == [
        ("aperta", ""),
        ("presentata", ""),
        ("approvata", ""),
        ("presentata", "Dati da rivedere"),
        ("restituita", "Correggere Magenta"),
    ]


def test_approval_through_the_pages(client, campagna, udp_user, regione_user):
    set_states(campagna, "validata", campagna.comuni.all())
    client.force_login(udp_user)
    page = _post(client, campagna, "presenta")
    assert "Presentata alla Regione" in page.content.decode()
    assert "Approva" not in [label for _a, label in page.context["transitions"]]
    client.force_login(regione_user)
    page = client.get(campagna.get_absolute_url())
    assert [a for a, _label in page.context["transitions"]] == ["approva", "restituisci"]
    page = _post(client, campagna, "restituisci")
    assert "Indicare la motivazione" in page.content.decode()
    page = _post(client, campagna, "approva")
    assert 'data-testid="stato-campagna">Approvata dalla Regione' in page.content.decode()


def test_a_stale_page_cannot_approve(client, campagna, udp_user, regione_user):
    set_states(campagna, "validata", campagna.comuni.all())
    campagna_transition(campagna=campagna, user=udp_user, action="presenta")
    with pytest.raises(CampagnaError, match="modificata da un altro utente"):
        campagna_transition(campagna=campagna, user=regione_user, action="approva", expected_version=1)


def test_the_regione_sees_only_its_own_ambiti(client, campagna, regione_user, regione_emilia, magentino):
    reggio_page = reverse("monitoring:overview", args=["reggio-emilia"])
    client.force_login(regione_user)
    assert client.get(campagna.get_absolute_url()).status_code == 200
    assert client.get(reverse("monitoring:overview", args=[magentino.slug])).status_code == 200
    assert client.get(magenta_nid().get_absolute_url()).status_code == 200
    assert client.get(reggio_page).status_code == 404
    client.force_login(regione_emilia)
    assert client.get(campagna.get_absolute_url()).status_code == 404
    assert client.get(reggio_page).status_code == 200
    with pytest.raises(PermissionDenied):
        campagna_transition(campagna=campagna, user=regione_emilia, action="approva")


def test_the_regione_changes_no_data(campagna, regione_user):
    scheda = magenta_nid()
    with pytest.raises(PermissionDenied):
        scheda_save(scheda=scheda, user=regione_user, values={("R05", "N25"): "1"}, expected_version=scheda.versione)
    with pytest.raises(PermissionDenied):
        campagna_transition(campagna=campagna, user=regione_user, action="presenta")
