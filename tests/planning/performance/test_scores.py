"""Performance plan (seed 004): totals computed from risultato + qualitativa (100 and 95 as printed), bounds refused
with an Italian message, missione/programma decoded from the strategic code."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from planning.models import ObiettivoOperativo, ObiettivoStrategico
from planning.models.performance import codice_missione_programma
from planning.performance.forms import ObiettivoOperativoForm
from planning.performance.services import programma_da_codice

pytestmark = pytest.mark.django_db


def test_seed_004_has_8_operational_objectives_with_totals_100_and_95(piano):
    operativi = ObiettivoOperativo.objects.filter(strategico__piano=piano).order_by("ordine")
    assert operativi.count() == 8
    assert piano.obiettivi_strategici.count() == 6
    totals = {o.codice: o.totale for o in operativi}
    assert totals["2_1201_0401"] == Decimal("100")
    assert totals["6_1203_0601"] == Decimal("95")
    assert totals["8_1204_0201"] == Decimal("95")
    assert sorted(set(totals.values())) == [Decimal("95"), Decimal("100")]
    assert all(o.totale == o.totale_stampato and not o.totale_difforme for o in operativi)


def test_the_total_is_computed_never_stored():
    o = ObiettivoOperativo(valutazione_risultato=Decimal("72"), valutazione_qualitativa=None)
    assert o.totale == Decimal("72")
    assert ObiettivoOperativo(valutazione_risultato=None, valutazione_qualitativa=None).totale is None
    assert "totale" not in {f.name for f in ObiettivoOperativo._meta.get_fields()}


@pytest.mark.parametrize(
    ("risultato", "qualitativa", "field", "message"),
    [
        ("81", "20", "valutazione_risultato", "La valutazione di risultato va da 0 a 80 punti."),
        ("80", "21", "valutazione_qualitativa", "La valutazione qualitativa va da 0 a 20 punti."),
        ("-1", "10", "valutazione_risultato", "La valutazione di risultato non può essere negativa."),
    ],
)
def test_scores_out_of_range_are_refused_with_a_message(piano, risultato, qualitativa, field, message):
    o = ObiettivoOperativo.objects.filter(strategico__piano=piano).first()
    o.valutazione_risultato, o.valutazione_qualitativa = Decimal(risultato), Decimal(qualitativa)
    with pytest.raises(ValidationError) as exc:
        o.full_clean()
    assert message in exc.value.message_dict[field]


def test_form_refuses_81_and_21_in_italian(piano):
    o = ObiettivoOperativo.objects.filter(strategico__piano=piano).first()
    data = {
        "strategico": o.strategico_id, "codice": o.codice, "dirigente_nome": "Conti", "ordine": 1,
        "valutazione_risultato": "81", "valutazione_qualitativa": "20,5",
    }  # fmt: skip
    form = ObiettivoOperativoForm(data, instance=o, piano=piano)
    assert not form.is_valid()
    assert form.errors["valutazione_risultato"] == ["«Valutazione di risultato» va da 0 a 80 punti: indicato 81."]
    assert form.errors["valutazione_qualitativa"] == ["«Valutazione qualitativa» va da 0 a 20 punti: indicato 20,5."]


def test_database_refuses_out_of_range_scores(piano):
    o = ObiettivoOperativo.objects.filter(strategico__piano=piano).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ObiettivoOperativo.objects.filter(pk=o.pk).update(valutazione_qualitativa=Decimal("25"))


def test_missione_programma_decoded_from_the_code(piano):
    assert codice_missione_programma("2_1201_0") == ("12", "01")
    assert codice_missione_programma("8_0401") == ("04", "01")
    assert codice_missione_programma("2-1201") is None
    p = programma_da_codice("2_1201_0")
    assert (
        p.etichetta
        == "Diritti sociali, politiche sociali e famiglia / Interventi per l'infanzia e i minori e per asili nido"
    )
    s = ObiettivoStrategico.objects.get(piano=piano, codice="8_0401")
    assert s.programma.etichetta == "Istruzione e diritto allo studio / Istruzione prescolastica"
    with pytest.raises(ValidationError):
        ObiettivoStrategico(piano=piano, codice="abc", testo="x").full_clean()
