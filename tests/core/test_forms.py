"""Italian number inputs (the accepted forms, ambiguous input refused instead of silently "corrected") and the
Bootstrap Italia look given once by the kit's base form and filterset."""

import re
from decimal import Decimal

import django_filters
import pytest
from django import forms
from django.urls import reverse

from core.forms import ItalianDecimalField, PortalFilterSet, PortalForm
from monitoring.snapshots.forms import NuovaRilevazioneForm
from planning.filtersets import ComuneFilterSet
from planning.piano.forms import AmountField, VariazioneForm
from territory.models import Comune

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
    with pytest.raises(forms.ValidationError, match=re.escape("1.234,56")):
        ItalianDecimalField(required=False).clean(text)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [(Decimal("2685.54"), "2.685,54"), (Decimal("412600.00"), "412.600,00"), (Decimal(0), "0"), (-5, "-5")],
)
def test_a_stored_number_is_shown_the_italian_way_and_read_back(stored, shown):
    class AmountForm(forms.Form):
        importo = AmountField(required=False)

    assert f'value="{shown}"' in str(AmountForm(initial={"importo": stored})["importo"])
    typed_back = AmountForm({"importo": shown})
    assert typed_back.is_valid()
    assert typed_back.cleaned_data["importo"] == stored


def test_what_the_user_typed_is_shown_as_typed():
    class AmountForm(forms.Form):
        importo = AmountField(required=False, min_value=0)

    form = AmountForm({"importo": "1.234,5"})
    assert 'value="1.234,5"' in str(form["importo"])


def test_empty_is_none():
    assert ItalianDecimalField(required=False).clean("") is None


def test_territory_filter_refuses_ambiguous_population(client_for, udp_user):
    client = client_for(udp_user)
    url = reverse("planning:ambito_detail", kwargs={"slug": "magentino"})
    response = client.get(url, {"pop_min": "1.2.3"})
    assert "Valore non numerico" in response.content.decode()
    assert client.get(url, {"pop_min": "12.000"}).context["totals"].comuni == 5


def test_resource_amount_refuses_ambiguous_number():
    field = AmountField(required=False)
    assert field.clean("1.234,50") == Decimal("1234.50")
    with pytest.raises(forms.ValidationError):
        field.clean("1.2.3")


def test_portal_form_renders_bootstrap_italia_classes():
    html = VariazioneForm().as_div()
    assert '<textarea name="motivazione" cols="40" rows="3" class="form-control" required id="id_motivazione">' in html
    assert '<input type="text" name="atto" maxlength="300" class="form-control" id="id_atto">' in html


def test_small_widgets_render_the_sm_variants():
    html = NuovaRilevazioneForm().as_div()
    assert 'name="anno" min="2000" max="2100" class="form-control form-control-sm" required' in html
    assert '<select name="trimestre" class="form-select form-select-sm" id="id_trimestre">' in html


def test_filter_form_renders_bootstrap_italia_classes():
    html = ComuneFilterSet(queryset=Comune.objects.none()).form.as_div()
    assert '<input type="text" name="q" class="form-control" id="id_q">' in html
    assert '<select name="sigla_provincia" class="form-select" id="id_sigla_provincia">' in html
    assert 'name="pop_min" inputmode="decimal" class="form-control" id="id_pop_min">' in html


class _KitForm(PortalForm):
    nome = forms.CharField()
    scelta = forms.ChoiceField(choices=[("a", "A")])
    note = forms.CharField(widget=forms.Textarea(attrs={"class": "form-control font-monospace"}))
    conferma = forms.BooleanField(required=False)
    modo = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    nascosto = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aggiunto"] = forms.CharField()  # added after the base's __init__, as the typed questions are


def test_portal_form_styles_fields_added_in_init_and_keeps_explicit_classes():
    form = _KitForm()
    assert 'class="form-control"' in str(form["aggiunto"])
    assert 'class="form-select"' in str(form["scelta"])
    assert 'class="form-control font-monospace"' in str(form["note"])


def test_check_boxes_radio_buttons_and_hidden_inputs_stay_unstyled():
    form = _KitForm()
    for name in ("conferma", "modo", "nascosto"):
        assert "class=" not in str(form[name]), name


class _KitFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="nome", lookup_expr="icontains")

    class Meta:
        model = Comune
        fields = ["q", "sigla_provincia"]


def test_portal_filterset_form_is_a_portal_form():
    form = _KitFilterSet(queryset=Comune.objects.none()).form
    assert isinstance(form, PortalForm)
    assert 'class="form-control"' in str(form["q"])
