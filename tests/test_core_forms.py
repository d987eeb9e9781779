"""Italian number inputs: the accepted forms, and ambiguous input refused instead of silently "corrected"."""

from decimal import Decimal

import pytest
from django import forms

from core.forms import ItalianDecimalField

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234,56", "1234.56"), ("1.234,56", "1234.56"), ("1234.56", "1234.56"), ("1.234", "1234"), ("-5", "-5")],
)
def test_accepted_inputs(text, expected):
    assert ItalianDecimalField(required=False).clean(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1.2.3", "12,3,4", "1,234.56", "abc"])
def test_ambiguous_inputs_are_refused(text):
    # Django's own localized DecimalField reads «1.2.3» as 123; this field refuses it.
    with pytest.raises(forms.ValidationError, match="1.234,56"):
        ItalianDecimalField(required=False).clean(text)


def test_empty_is_none():
    assert ItalianDecimalField(required=False).clean("") is None


def test_territory_filter_refuses_ambiguous_population(client_for, udp_user):
    client = client_for(udp_user)
    response = client.get("/territorio/ambiti/magentino/", {"pop_min": "1.2.3"})
    assert "Valore non numerico" in response.content.decode()
    assert client.get("/territorio/ambiti/magentino/", {"pop_min": "12.000"}).context["totals"].comuni == 5


def test_resource_amount_refuses_ambiguous_number():
    from planning.piano.forms import AmountField

    field = AmountField(required=False)
    assert field.clean("1.234,50") == Decimal("1234.50")
    with pytest.raises(forms.ValidationError):
        field.clean("1.2.3")
