"""«Carry forward»: an evaluated objective, an objective or an intervention of the previous plan copied into the
new plan with a kept link, so the continuity answers are known (dimension 8, «in continuità» of the card)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from planning.models import Continuita, Intervento, Obiettivo, PianoDiZona, ValoreCampo
from planning.piano.services import piano_create
from planning.valutazione.selectors import esito
from planning.valutazione.services import intervento_copy, obiettivo_copy, scheda_valutazione_carry_forward

from ..piano.conftest import approva

pytestmark = pytest.mark.django_db


def test_reproposing_a_card_creates_the_objective_and_keeps_the_link(udp_user, piano, scheda2):
    area = piano.aree.get(codice="A")
    obiettivo = scheda_valutazione_carry_forward(scheda=scheda2, area=area, user=udp_user)
    assert obiettivo.piano == piano
    assert obiettivo.area == area
    assert obiettivo.titolo == scheda2.obiettivo
    link = Continuita.objects.get(obiettivo=obiettivo)
    assert link.da_scheda == scheda2
    assert link.creato_da == udp_user
    scheda2.refresh_from_db()
    e = esito(scheda2)
    d8 = e.dimensioni[-1]
    assert d8.numero == 8
    assert d8.valore == "Sì"
    assert "riproposto nel Piano di Zona 2025-2027" in d8.derivata_testo
    assert obiettivo.history.first().history_change_reason == "Riproposto dalla valutazione 2021-2023"
    with pytest.raises(ValidationError):
        scheda_valutazione_carry_forward(scheda=scheda2, area=area, user=udp_user)


def test_reproposing_through_the_page(client_for, udp_user, piano, scheda2):
    client = client_for(udp_user)
    area = piano.aree.get(codice="B")
    response = client.post(
        reverse("planning:scheda_valutazione_riproponi", args=[scheda2.pk]), {"area": area.pk, "titolo": ""}
    )
    assert response.status_code == 302
    assert Obiettivo.objects.filter(piano=piano, area=area, titolo=scheda2.obiettivo).exists()
    page = client.get(scheda2.get_absolute_url()).content.decode()
    assert 'data-testid="continuita-nota"' in page
    assert "Noto dal collegamento" in page
    continuita = client.get(reverse("planning:continuita", args=[piano.slug])).content.decode()
    assert scheda2.obiettivo[:40] in continuita


def test_locked_plan_refuses_carry_forward(udp_user, piano, scheda2):
    approva(piano)
    piano.refresh_from_db()
    with pytest.raises(PermissionDenied):
        scheda_valutazione_carry_forward(scheda=scheda2, area=None, user=udp_user)


@pytest.fixture
def nuovo_oglio(oglio_po):
    return piano_create(ambito=oglio_po, titolo="Piano di Zona 2024-2026 – Oglio Po", anno_inizio=2024, anno_fine=2026)


def test_intervention_carried_forward_knows_its_continuity(udp_oglio, piano_oglio, nuovo_oglio):
    vecchio = Intervento.objects.filter(piano=piano_oglio, modello__campi__chiave="continuita").first()
    obiettivo = Obiettivo.objects.create(piano=nuovo_oglio, titolo="Integrazione sociosanitaria")
    nuovo = intervento_copy(intervento=vecchio, obiettivo=obiettivo, user=udp_oglio)
    assert nuovo.piano == nuovo_oglio
    assert nuovo.titolo == vecchio.titolo
    assert nuovo.modello == vecchio.modello
    assert nuovo.continuita.da_intervento == vecchio
    assert nuovo.azioni.count() == vecchio.azioni.count()
    valore = ValoreCampo.objects.get(intervento=nuovo, campo__chiave="continuita")
    assert valore.si_no is True
    assert vecchio.titolo in valore.testo
    assert "ripreso con il portale" in valore.testo
    with pytest.raises(ValidationError):
        intervento_copy(intervento=vecchio, obiettivo=obiettivo, user=udp_oglio)


def test_card_page_shows_where_the_intervention_comes_from(client_for, udp_oglio, piano_oglio, nuovo_oglio):
    vecchio = Intervento.objects.filter(piano=piano_oglio).first()
    obiettivo = Obiettivo.objects.create(piano=nuovo_oglio, titolo="Obiettivo ripreso")
    nuovo = intervento_copy(intervento=vecchio, obiettivo=obiettivo, user=udp_oglio)
    page = client_for(udp_oglio).get(nuovo.get_absolute_url()).content.decode()
    assert 'data-testid="ripreso-da"' in page
    assert piano_oglio.titolo in page
    fresh = client_for(udp_oglio).get(vecchio.get_absolute_url()).content.decode()
    assert 'data-testid="ripreso-da"' not in fresh


def test_only_from_an_earlier_plan_of_the_same_ambito(udp_user, piano, piano_oglio, nuovo_oglio):
    obiettivo = Obiettivo.objects.create(piano=nuovo_oglio, titolo="Obiettivo")
    with pytest.raises(ValidationError):
        intervento_copy(intervento=piano.interventi.first(), obiettivo=obiettivo, user=udp_user)
    with pytest.raises(ValidationError):  # the «previous» plan must come before
        obiettivo_copy(
            obiettivo=nuovo_oglio.obiettivi.first() or obiettivo, piano=piano_oglio, area=None, user=udp_user
        )


def test_carry_forward_page_for_an_objective(client_for, udp_oglio, piano_oglio, nuovo_oglio):
    client = client_for(udp_oglio)
    page = client.get(reverse("planning:continuita", args=[nuovo_oglio.slug])).content.decode()
    assert "Riprendi l'intervento" in page
    vecchio = piano_oglio.obiettivi.first()
    response = client.post(
        reverse("planning:continuita_riprendi", args=[nuovo_oglio.slug]), {"tipo": "obiettivo", "obiettivo": vecchio.pk}
    )
    assert response.status_code == 302
    nuovo = Continuita.objects.get(piano=nuovo_oglio, da_obiettivo=vecchio).obiettivo
    assert nuovo.titolo == vecchio.titolo
    assert nuovo.piano == nuovo_oglio
    assert PianoDiZona.objects.get(pk=piano_oglio.pk).obiettivi.filter(pk=vecchio.pk).exists()  # the origin stays


def test_carry_forward_page_names_the_area_a_specific_objective_takes_from_its_strategic_one(
    client_for, udp_user, piano, scheda2
):
    """An objective carried forward and then placed, without an area of its own, under a strategic objective of
    area D is listed «(area D)», the area the budget, filters and API give it (Obiettivo.area_effettiva)."""
    obiettivo = scheda_valutazione_carry_forward(scheda=scheda2, area=piano.aree.get(codice="A"), user=udp_user)
    strategico = Obiettivo.objects.create(
        piano=piano, area=piano.aree.get(codice="D"), livello=Obiettivo.Livello.STRATEGICO, codice="9", titolo="S"
    )
    Obiettivo.objects.filter(pk=obiettivo.pk).update(
        area=None, parent=strategico, livello=Obiettivo.Livello.SPECIFICO, codice="9.a"
    )
    page = client_for(udp_user).get(reverse("planning:continuita", args=[piano.slug])).content.decode()
    row = next(r for r in page.split("<tr>") if scheda2.obiettivo[:40] in r)
    assert "(area D)" in row
