"""Status workflow, the approved-plan lock and the logged «variazione»."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from planning.models import Intervento, PianoDiZona
from planning.piano.services import piano_transition, variazione_open

from .conftest import approva, intervento_post

pytestmark = pytest.mark.django_db


def test_approval_requires_act_and_date(piano):
    with pytest.raises(ValidationError, match="atto e la data di approvazione"):
        piano_transition(piano=piano, stato="approvato")
    piano.refresh_from_db()
    assert piano.stato == "in_approvazione"


def test_workflow_refuses_skipping_steps(piano):
    with pytest.raises(ValidationError, match="non si può passare"):
        piano_transition(piano=piano, stato="concluso")


def test_approving_through_the_page_records_the_details(client_for, udp_user, piano):
    response = client_for(udp_user).post(
        reverse("planning:piano_stato", args=[piano.slug]),
        {
            "stato": "approvato",
            "atto_approvazione": "Delibera Assemblea dei Sindaci n. 3",
            "data_approvazione": "2025-01-20",
        },
    )
    assert response.status_code == 302
    piano.refresh_from_db()
    assert piano.stato == "approvato"
    assert piano.data_approvazione == datetime.date(2025, 1, 20)
    page = client_for(udp_user).get(piano.get_absolute_url()).content.decode()
    assert "20/01/2025" in page
    assert "sola lettura" in page


def test_approved_plan_is_read_only(client_for, udp_user, piano, domiciliarita):
    approva(piano)
    client = client_for(udp_user)
    edit_url = reverse("planning:intervento_update", args=[domiciliarita.pk])
    assert client.get(edit_url).status_code == 403
    response = client.post(
        edit_url, intervento_post(piano, titolo="Titolo cambiato", obiettivo=domiciliarita.obiettivo)
    )
    assert response.status_code == 403
    domiciliarita.refresh_from_db()
    assert domiciliarita.titolo == "Interventi a sostegno della domiciliarità"
    for url in (
        reverse("planning:intervento_create", args=[piano.slug]),
        reverse("planning:piano_update", args=[piano.slug]),
        reverse("planning:capitolo_update", args=[piano.capitoli.first().pk]),
        reverse("planning:area_create", args=[piano.slug]),
    ):
        assert client.get(url).status_code == 403, url
    page = client.get(domiciliarita.get_absolute_url()).content.decode()
    assert "Modifica la scheda" not in page


def test_variazione_opens_a_logged_edit_window_and_closing_relocks(client_for, udp_user, piano, domiciliarita):
    approva(piano)
    client = client_for(udp_user)
    response = client.post(
        reverse("planning:variazione_apri", args=[piano.slug]),
        {"motivazione": "Nuove risorse FNPS 2026", "atto": "Delibera n. 12"},
    )
    assert response.status_code == 302
    variazione = piano.variazioni.get()
    assert variazione.numero == 1
    assert variazione.aperta_da == udp_user

    edit_url = reverse("planning:intervento_update", args=[domiciliarita.pk])
    assert client.get(edit_url).status_code == 200
    data = intervento_post(
        piano, titolo="Interventi a sostegno della domiciliarità (variato)", obiettivo=domiciliarita.obiettivo
    )
    assert client.post(edit_url, data).status_code == 302
    domiciliarita.refresh_from_db()
    assert domiciliarita.titolo.endswith("(variato)")
    record = domiciliarita.history.order_by("-history_date").first()
    assert record.history_user == udp_user
    assert record.history_change_reason == "Variazione n. 1: Nuove risorse FNPS 2026"

    card = client.get(domiciliarita.get_absolute_url()).content.decode()
    assert "Variazione n. 1: Nuove risorse FNPS 2026" in card
    assert "Interventi a sostegno della domiciliarità → Interventi a sostegno della domiciliarità (variato)" in card

    assert client.post(reverse("planning:variazione_chiudi", args=[piano.slug])).status_code == 302
    variazione.refresh_from_db()
    assert variazione.chiusa_il is not None
    assert variazione.chiusa_da == udp_user
    assert client.get(edit_url).status_code == 403


def test_variazione_only_on_approved_plans_and_one_at_a_time(piano, udp_user):
    with pytest.raises(ValidationError, match="solo su un piano approvato"):
        variazione_open(piano=piano, user=udp_user, motivazione="x")
    approva(piano)
    variazione_open(piano=PianoDiZona.objects.get(pk=piano.pk), user=udp_user, motivazione="prima")
    with pytest.raises(ValidationError, match="già una variazione aperta"):
        variazione_open(piano=PianoDiZona.objects.get(pk=piano.pk), user=udp_user, motivazione="seconda")


def test_status_cannot_change_while_a_variazione_is_open(piano, udp_user):
    approva(piano)
    variazione_open(piano=piano, user=udp_user, motivazione="correzione")
    with pytest.raises(ValidationError, match="Chiudere la variazione"):
        piano_transition(piano=PianoDiZona.objects.get(pk=piano.pk), stato="vigente")


def test_history_shows_who_changed_what_on_a_draft_plan(client_for, udp_user, piano, domiciliarita):
    client = client_for(udp_user)
    data = intervento_post(piano, titolo=domiciliarita.titolo, obiettivo=domiciliarita.obiettivo, stato="in_corso")
    assert client.post(reverse("planning:intervento_update", args=[domiciliarita.pk]), data).status_code == 302
    page = client.get(domiciliarita.get_absolute_url()).content.decode()
    storia = page[page.index('data-testid="storia"') :]
    assert "udp" in storia
    assert "<strong>stato</strong>: Programmato → In corso" in storia
    assert Intervento.objects.get(pk=domiciliarita.pk).history.first().history_user == udp_user
