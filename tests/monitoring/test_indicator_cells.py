"""The cells of the indicator tables, written by monitoring.templatetags.indicatori: numbers in Italian in the
indicator's unit, the target check in words and colour."""

from datetime import UTC, datetime
from decimal import Decimal

from django.utils import dateformat

from monitoring.indicators import IndicatorValue, TargetCheck
from monitoring.templatetags.indicatori import date_writer, indicator_cell, target_cell


def indicator(unit: str, value, decimals: int = 2) -> IndicatorValue:
    return IndicatorValue("R21", "Copertura", unit, decimals, value, None, None)


def test_a_value_is_written_in_its_unit():
    assert indicator_cell(indicator("%", Decimal("73.333"))) == '<td class="text-end">73,3%</td>'
    assert indicator_cell(indicator("abitanti", Decimal("4321.6"))) == '<td class="text-end">1 ogni 4.322</td>'
    assert indicator_cell(indicator("ore", Decimal("2319.794"))) == '<td class="text-end">2.319,79</td>'
    assert indicator_cell(indicator("%", None), "totale-NID26-R21") == (
        '<td class="text-end" data-testid="totale-NID26-R21">—</td>'
    )


def test_a_target_check_says_whether_it_is_met_with_the_target_in_the_unit():
    percent = indicator("%", Decimal(50))
    assert target_cell(TargetCheck("33%", Decimal(33), True), percent) == (
        '<td class="text-success">✔ raggiunto <span class="small text-muted">(33,0%)</span></td>'
    )
    assert target_cell(TargetCheck("ore", Decimal("1234.5"), False), indicator("ore", Decimal(1))) == (
        '<td class="text-danger fw-bold">✘ non raggiunto <span class="small text-muted">(1.234,50)</span></td>'
    )
    assert target_cell(TargetCheck("33%", None, None), percent) == '<td class="">—</td>'


def test_the_date_writer_writes_a_date_as_django_does():
    """The overview's rows write their dates with strftime where the format allows it, else with Django's own
    formatter: the same text either way."""
    when = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    for django_format in ("d/m/Y H:i", "Y-m-d H:i:s", "j N Y", r"d\m", "d/m %Y"):
        assert date_writer(django_format)(when) == dateformat.format(when, django_format), django_format
    assert date_writer("d/m/Y H:i")(when) == "04/03/2026 05:06"
    assert date_writer("j F Y")(when) == "4 Marzo 2026"  # no strftime twin: Django's (Italian) month name
