"""Rules that keep the budget's past true when something it rests on changes: a co-financing rule never takes a
share below what its Comune already paid, an allocation never moves its year or its areas away from its lines, and
commitments and payments protect their line from deletion (with its intervention, or with the whole plan)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from planning.bilancio import services
from planning.models import Intervento, Movimento, QuotaComune, RegolaQuote, RigaBilancio
from tests.html_forms import form_fields

from .conftest import assegna, movimento, riga

pytestmark = pytest.mark.django_db

ARLUNO_BELOW = "Arluno 2025: la nuova quota 9,46 € è inferiore a quanto già versato, 2.685,54 €."


def shares(piano) -> dict[tuple[str, int], Decimal]:
    return {(q.comune_id, q.anno): q.dovuto for q in QuotaComune.objects.filter(piano=piano)}


# --- The Comuni's shares ---------------------------------------------------------------------------------------


def test_a_rule_that_takes_shares_below_what_was_paid_is_refused_and_saves_nothing(piano):
    """The demo: eight Comuni paid their whole 2025 share; 100,00 € a year would leave Arluno 9,46 € to owe."""
    before = shares(piano)
    regola = RegolaQuote.objects.get(piano=piano)
    regola.importo_annuo = Decimal("100.00")
    with pytest.raises(ValidationError) as refused:
        services.regola_save(piano=piano, regola=regola)
    messages = refused.value.messages
    assert ARLUNO_BELOW in messages
    assert len(messages) == 1 + 8  # the lead, then each Comune that paid (2025 only: 2026 and 2027 are unpaid)
    assert all(" 2025: la nuova quota " in m for m in messages[1:])
    assert RegolaQuote.objects.get(piano=piano).importo_annuo == Decimal("28397.00")
    assert shares(piano) == before


def test_the_rule_form_names_comune_and_year_below_their_payments(client_for, udp_user, piano):
    url = reverse("planning:quote_comuni", args=[piano.slug])
    client = client_for(udp_user)
    data = form_fields(client.get(url).content.decode(), "regola-form")
    before = shares(piano)
    data["importo_annuo"] = "100,00"
    response = client.post(url, data)
    assert response.status_code == 200
    assert ARLUNO_BELOW in response.context["form"].non_field_errors()
    assert ARLUNO_BELOW in response.content.decode()
    assert RegolaQuote.objects.get(piano=piano).importo_annuo == Decimal("28397.00")
    assert shares(piano) == before


# --- An allocation and its lines -------------------------------------------------------------------------------


def test_an_allocation_cannot_move_to_a_year_after_its_lines(piano, without_demo_budget, intervento):
    fnps = assegna(piano, "FNPS", 2025, "10000.00")
    early = riga(piano, fnps, intervento, "1000.00", anno=2025)
    riga(piano, fnps, intervento, "1000.00", anno=2027)  # still admissible in 2027: not named
    fnps.anno = 2027
    with pytest.raises(ValidationError) as refused:
        services.assegnazione_save(assegnazione=fnps)
    assert refused.value.message_dict["anno"] == [
        f"La riga «{early}» non sarebbe più ammissibile. Il fondo FNPS dell'annualità 2027 non può finanziare "
        "spese del 2025."
    ]
    fnps.refresh_from_db()
    assert fnps.anno == 2025


def test_an_allocation_cannot_leave_out_the_area_of_its_lines(piano, without_demo_budget, intervento):
    """The service checks the areas it is given before saving anything; the line's area is its objective's."""
    area = intervento.obiettivo.area_effettiva
    other = piano.aree.exclude(pk=area.pk).order_by("codice").first()
    fnps = assegna(piano, "FNPS", 2025, "10000.00")
    line = riga(piano, fnps, intervento, "1000.00")
    with pytest.raises(ValidationError) as refused:
        services.assegnazione_save(assegnazione=fnps, aree=[other])
    assert refused.value.message_dict["aree"] == [
        f"La riga «{line}» non sarebbe più ammissibile. FNPS 2025 non può finanziare l'area «{area}» "
        f"(aree ammissibili: {other.codice})."
    ]
    assert not fnps.aree.exists()
    services.assegnazione_save(assegnazione=fnps, aree=[area, other])  # the line's area among them: accepted
    assert set(fnps.aree.all()) == {area, other}


def test_the_allocation_form_refuses_areas_and_year_that_drop_its_lines(
    client_for, udp_user, piano, without_demo_budget, intervento
):
    fondo = assegna(piano, "FDN", 2026, "1000.00")
    line = riga(piano, fondo, intervento, "100.00", anno=2026)
    other = piano.aree.exclude(pk=intervento.obiettivo.area_effettiva.pk).order_by("codice").first()
    url = reverse("planning:assegnazione_update", args=[fondo.pk])
    client = client_for(udp_user)
    data = {**form_fields(client.get(url).content.decode(), "bilancio-form"), "aree": [other.pk], "anno": "2027"}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert f"La riga «{line}» non sarebbe più ammissibile" in errors["aree"][0]
    assert "non può finanziare spese del 2026" in errors["anno"][0]
    fondo.refresh_from_db()
    assert (fondo.anno, list(fondo.aree.all())) == (2026, [])


# --- Deleting what has movements -------------------------------------------------------------------------------


def _line_with_a_commitment(piano, intervento) -> tuple[RigaBilancio, Movimento]:
    fnps = assegna(piano, "FNPS", 2025, "10000.00")
    line = riga(piano, fnps, intervento, "1000.00")
    return line, movimento(line, "impegno", "nuovo", datetime.date(2025, 3, 1), "Det. 1/2025", "800")


def test_the_admin_refuses_to_delete_an_intervention_with_movements(
    client_for, admin_user, piano, without_demo_budget, intervento
):
    """An intervention not yet in a quarterly rilevazione (whose rows the admin never deletes): its commitment is
    what stops its deletion, on the admin's «Impossibile cancellare» page."""
    intervento.azioni.all().delete()  # with their states and values in the demo's rilevazioni
    intervento.indicatori.all().delete()
    line, commitment = _line_with_a_commitment(piano, intervento)
    url = reverse("admin:planning_intervento_delete", args=[intervento.pk])
    client = client_for(admin_user)
    page = client.get(url).content.decode()
    assert "Impossibile cancellare intervento" in page
    assert str(Movimento.objects.get(pk=commitment.pk)) in page  # listed among the protected objects
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Intervento.objects.filter(pk=intervento.pk).exists()
    assert RigaBilancio.objects.filter(pk=line.pk).exists()
    assert Movimento.objects.filter(pk=commitment.pk).exists()


def test_only_movements_protect_lines_an_intervention_without_them_goes_with_its_lines(
    piano, without_demo_budget, intervento
):
    line, commitment = _line_with_a_commitment(piano, intervento)
    with pytest.raises(ProtectedError):
        intervento.delete()
    assert Movimento.objects.filter(pk=commitment.pk).exists()
    Movimento.objects.filter(pk=commitment.pk).delete()
    intervento.delete()
    assert not RigaBilancio.objects.filter(pk=line.pk).exists()


def test_a_plan_with_movements_cannot_be_deleted_and_names_them(piano):
    """A whole plan (admin) is refused too: its movements are among the objects that protect it."""
    commitments = set(Movimento.objects.filter(riga__piano=piano))
    assert commitments
    with pytest.raises(ProtectedError) as refused:
        piano.delete()
    assert commitments <= set(refused.value.protected_objects)
