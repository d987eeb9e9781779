"""Two people on the status form of the same plan: a page loaded before the other's change neither moves the plan
from a state it has left nor writes back the approval details it merely displayed."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from planning.models import PianoDiZona, StatoPiano
from planning.piano.services import piano_transition
from tests.html_forms import page_forms
from tests.two_sessions import sessions

from .conftest import approva

pytestmark = pytest.mark.django_db

STALE = "Mentre lei lavorava lo stato del piano è cambiato da «Approvato» a «Vigente»: nulla è stato salvato."


def status_form(client, piano) -> dict[str, str]:
    """The fields of the status form on the plan's page, as a browser would post them."""
    page = client.get(piano.get_absolute_url()).content.decode()
    action = reverse("planning:piano_stato", args=[piano.slug])
    return next(dict(form["fields"]) for form in page_forms(page) if form["action"] == action)


def test_stale_status_page_does_not_move_the_plan_nor_undo_the_corrected_act(two_udp, piano):
    piano = approva(piano, atto="Delibera 10/2025", data=datetime.date(2025, 3, 1))
    a, b = two_udp
    url = reverse("planning:piano_stato", args=[piano.slug])
    page_a, page_b = status_form(a, piano), status_form(b, piano)
    page_a["stato"], page_a["atto_approvazione"] = StatoPiano.VIGENTE, "Delibera 12/2025 (rettifica)"
    assert a.post(url, page_a).status_code == 302
    page_b["stato"] = StatoPiano.CONCLUSO  # B's page still shows «Approvato» and the old act
    response = b.post(url, page_b, follow=True)
    assert STALE in html.unescape(response.content.decode())
    stored = PianoDiZona.objects.get(pk=piano.pk)
    assert stored.stato == StatoPiano.VIGENTE
    assert stored.atto_approvazione == "Delibera 12/2025 (rettifica)"


def test_status_page_writes_only_the_details_the_user_changed(udp_user, piano):
    piano = approva(piano, atto="Delibera 10/2025", data=datetime.date(2025, 3, 1))
    (client,) = sessions(udp_user)
    page = status_form(client, piano)
    # Meanwhile a superuser corrects the act in the admin, without changing the state.
    PianoDiZona.objects.filter(pk=piano.pk).update(
        atto_approvazione="Delibera 12/2025 (rettifica)", accordo_programma="Accordo di programma 2025"
    )
    page["stato"], page["data_approvazione"] = StatoPiano.VIGENTE, "2025-03-05"
    assert client.post(reverse("planning:piano_stato", args=[piano.slug]), page).status_code == 302
    stored = PianoDiZona.objects.get(pk=piano.pk)
    assert stored.stato == StatoPiano.VIGENTE
    assert stored.data_approvazione == datetime.date(2025, 3, 5)  # the user's own change
    assert stored.atto_approvazione == "Delibera 12/2025 (rettifica)"  # not the act the page displayed
    assert stored.accordo_programma == "Accordo di programma 2025"


def test_transition_from_a_state_the_plan_has_left_is_refused(piano):
    piano = approva(piano)
    piano_transition(piano=piano, stato=StatoPiano.VIGENTE)
    with pytest.raises(ValidationError, match="nulla è stato salvato"):
        piano_transition(piano=piano, stato=StatoPiano.CONCLUSO, da_stato=StatoPiano.APPROVATO)
    assert PianoDiZona.objects.get(pk=piano.pk).stato == StatoPiano.VIGENTE
