"""The values of many schede read at once (monitoring.cell_values): the same as reading them row by row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.cell_values import values_of_schede
from monitoring.models import ValoreCella
from tests.schede_helpers import seed_schede

pytestmark = pytest.mark.django_db

AWKWARD = 'virgolette " e \\ barra, a capo\r\nè più, ☃, \x1f, [1, "a"], {"k": null}, 1.234,56'


def row_by_row(ids) -> dict[int, dict]:
    values: dict[int, dict] = {pk: {} for pk in ids}
    for scheda_id, riga, colonna, valore in ValoreCella.objects.filter(scheda_id__in=ids).values_list(
        "scheda_id", "riga", "colonna", "valore"
    ):
        values[scheda_id][(riga, colonna)] = valore
    return values


def test_the_values_of_many_schede_are_those_read_row_by_row():
    first, second, empty = seed_schede().order_by("pk")
    ValoreCella.objects.create(scheda=first, riga="RX", colonna="NX", valore=AWKWARD)
    ValoreCella.objects.create(scheda=second, riga="RY", colonna="NY", valore="")
    ValoreCella.objects.create(scheda=second, riga='R"1:2.', colonna="3:[N,\\]", valore="9")  # colon, digits
    empty.valori.all().delete()
    ids = [first.pk, second.pk, empty.pk, 0]  # 0: no such scheda
    expected = row_by_row(ids)
    assert len(expected[first.pk]) > 50
    assert expected[first.pk][("RX", "NX")] == AWKWARD
    assert expected[second.pk][('R"1:2.', "3:[N,\\]")] == "9"
    assert expected[empty.pk] == {}
    assert expected[0] == {}

    with CaptureQueriesContext(connection) as queries:
        got = values_of_schede(ids)

    assert got == expected
    assert list(got) == ids
    assert all(type(key) is tuple for values in got.values() for key in values)
    assert len(queries) == 1  # the database groups the values by scheda (SQLite, PostgreSQL)
    assert "GROUP BY" in queries[0]["sql"]


def test_no_schede_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert values_of_schede([]) == {}
    assert len(queries) == 0
