"""An assignment names exactly the place its role works on: clean() says which one, the database refuses the rest."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Assegnazione, Ruolo
from territory.models import Regione
from tests.factories import AmbitoFactory, ComuneFactory, UserFactory

PLACE_OF_ROLE = {
    Ruolo.UFFICIO_PIANO: "ambito",
    Ruolo.DIRIGENTE: "ambito",
    Ruolo.OPERATORE: "comune",
    Ruolo.REGIONE: "regione",
}
PLACES = [(), ("ambito",), ("comune",), ("regione",), ("ambito", "comune", "regione")]
WRONG = [(ruolo, place, names) for ruolo, place in PLACE_OF_ROLE.items() for names in PLACES if names != (place,)]


@pytest.fixture
def places():
    return {"ambito": AmbitoFactory(), "comune": ComuneFactory(), "regione": Regione.objects.first()}


def assignment(ruolo, places, *names):
    return Assegnazione(user=UserFactory(), ruolo=ruolo, **{name: places[name] for name in names})


@pytest.mark.django_db
@pytest.mark.parametrize(("ruolo", "place"), PLACE_OF_ROLE.items())
def test_the_place_of_the_role_alone_is_valid_and_saved(ruolo, place, places):
    row = assignment(ruolo, places, place)
    row.full_clean()
    row.save()
    assert Assegnazione.objects.filter(pk=row.pk, **{f"{place}__isnull": False}).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("ruolo", "place", "names"), WRONG)
def test_another_place_or_none_is_refused_on_the_place_of_the_role(ruolo, place, names, places):
    row = assignment(ruolo, places, *names)
    with pytest.raises(ValidationError) as error:
        row.clean()
    assert list(error.value.message_dict) == [place]
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.django_db
def test_messages_name_the_place_in_italian(places):
    messages = {}
    for ruolo in (Ruolo.OPERATORE, Ruolo.REGIONE, Ruolo.DIRIGENTE):
        with pytest.raises(ValidationError) as error:
            assignment(ruolo, places).clean()
        messages.update(error.value.message_dict)
    assert messages == {
        "comune": ["L'Operatore comunale va assegnato a un Comune (e non a un Ambito o a una Regione)."],
        "regione": ["Il ruolo Regione va assegnato a una Regione (e non a un Ambito o a un Comune)."],
        "ambito": ["Ufficio di Piano e Dirigente vanno assegnati a un Ambito."],
    }
