"""Recompute-all stores, chunk by chunk, the same results as recomputing each scheda on its own."""

import gc
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.indicators import SUMS_KEY, indicator_facts
from monitoring.services import compute, normalise, scheda_recompute, schede_recompute_all
from tests.schede_helpers import seed_schede

pytestmark = pytest.mark.django_db

FIELDS = ["risultati", "indicatori", "n_errori", "n_avvisi", "completezza"]


def stored() -> dict[int, tuple]:
    return {row[0]: row[1:] for row in seed_schede().order_by("pk").values_list("pk", *FIELDS)}


def test_recompute_all_gives_the_results_of_per_scheda_recompute(monkeypatch):
    # the three schede of monitoring/demo.py (not those of the demo campaigns): two chunks below
    for scheda in seed_schede().select_related("modello"):
        scheda_recompute(scheda=scheda)
    expected = stored()
    assert len(expected) == 3
    assert all(row[0] and row[1] for row in expected.values())
    seed_schede().update(risultati={}, indicatori={}, n_errori=99, n_avvisi=99, completezza=0)
    monkeypatch.setattr(compute, "RECOMPUTE_CHUNK", 2)  # two chunks: 2 schede, then 1
    calls = []
    assert schede_recompute_all(seed_schede(), progress=lambda *args: calls.append(args)) == 3
    assert stored() == expected
    assert calls == [(2, 3, "Ricalcolate 2 schede su 3"), (3, 3, "Ricalcolate 3 schede su 3")]


def test_recompute_all_queries_per_chunk_not_per_scheda(monkeypatch):
    schede_recompute_all(seed_schede())  # warm: templates compiled
    monkeypatch.setattr(compute, "RECOMPUTE_CHUNK", 1)
    with CaptureQueriesContext(connection) as one_per_chunk:
        schede_recompute_all(seed_schede())
    monkeypatch.setattr(compute, "RECOMPUTE_CHUNK", 3)
    with CaptureQueriesContext(connection) as one_chunk:
        schede_recompute_all(seed_schede())
    assert len(one_per_chunk) > len(one_chunk)  # the chunks are what costs queries
    assert len(one_chunk) <= 8  # ids, schede, templates, values, savepoint and update of the one chunk


def test_recompute_all_leaves_the_long_lived_objects_out_of_the_collector_and_puts_them_back(monkeypatch):
    """The chunks run with the objects alive at the start frozen (gc.freeze: the collector's passes skip them), and
    they are unfrozen at the end, after a failed chunk too; objects frozen by someone else stay frozen."""
    schede = seed_schede()
    seen = []
    original = compute._recompute_chunk
    monkeypatch.setattr(compute, "_recompute_chunk", lambda *a: seen.append(gc.get_freeze_count()) or original(*a))
    assert gc.get_freeze_count() == 0
    schede_recompute_all(schede)
    assert seen
    assert all(count > 0 for count in seen)
    assert gc.get_freeze_count() == 0

    def failing(*args):
        raise RuntimeError("chunk")

    monkeypatch.setattr(compute, "_recompute_chunk", failing)
    with pytest.raises(RuntimeError):
        schede_recompute_all(schede)
    assert gc.get_freeze_count() == 0

    gc.freeze()  # e.g. a server that froze its start-up objects before forking
    try:
        frozen = gc.get_freeze_count()
        monkeypatch.setattr(compute, "_recompute_chunk", original)
        schede_recompute_all(schede)
        assert gc.get_freeze_count() > frozen // 2  # still frozen (less the frozen objects freed meanwhile)
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("SI", "SI"),
        (Decimal("1234.56"), "1234,56"),
        (Decimal("-0.50"), "-0,50"),
        (Decimal("0"), "0"),
        (Decimal("1E+2"), "100"),  # str() would write 1E+2
        (Decimal("1E-7"), "0,0000001"),  # str() would write 1E-7
        (Decimal("0E-7"), "0,0000000"),
        (Decimal("123456789012345678901234567.8"), "123456789012345678901234567,8"),
    ],
)
def test_normalise_writes_plain_numbers_with_a_decimal_comma(value, text):
    assert normalise(value) == text


def test_the_indicator_facts_from_the_engine_values_are_those_from_the_stored_text():
    """apply_result gives indicator_facts the engine's Decimals; the facts read back from the stored text (what a
    page or an older scheda has) are the same, addends included."""
    schede = list(seed_schede().select_related("modello"))
    for scheda in schede:
        scheda_recompute(scheda=scheda)
    for scheda in schede:
        scheda.refresh_from_db()
        from_text = indicator_facts(scheda.modello.indicator_definition(), scheda.risultati)
        assert from_text == scheda.indicatori
        assert SUMS_KEY in from_text
        assert any(fact["num"] for code, fact in from_text.items() if code != SUMS_KEY)


def test_the_results_written_in_bulk_read_back_as_written():
    """_store_results writes the JSON fields with orjson, and with the json module what orjson cannot write."""
    scheda = seed_schede().order_by("pk").first()
    scheda.risultati = {"R01.N01": "1234,5", "R02.N01": 'è ☃ "tra virgolette" \\ a\ncapo'}
    scheda.indicatori = {"IND": {"num": "1", "den": None, "targets": [None, ["33", "1"]]}, "big": 2**70}
    scheda.n_errori, scheda.n_avvisi, scheda.completezza = 1, 2, Decimal("87.5")
    compute._store_results([scheda])
    assert stored()[scheda.pk] == (scheda.risultati, scheda.indicatori, 1, 2, Decimal("87.5"))


def test_the_results_are_written_by_a_prepared_update_on_postgresql():
    """On PostgreSQL the UPDATE of the results is a prepared statement of the connection (core.prepared), planned once
    for the whole chunk, and Django still counts it as a query; the rows read back as written on every database."""
    first, second = seed_schede().order_by("pk")[:2]
    for n, scheda in enumerate((first, second)):
        scheda.risultati, scheda.indicatori = {"R01.N01": str(n)}, {}
        scheda.n_errori, scheda.n_avvisi, scheda.completezza = n, 0, Decimal("50.0")
    with CaptureQueriesContext(connection) as queries:
        compute._store_results([first, second])
    assert len(queries.captured_queries) == 1
    rows = stored()
    assert rows[first.pk] == ({"R01.N01": "0"}, {}, 0, 0, Decimal("50.0"))
    assert rows[second.pk] == ({"R01.N01": "1"}, {}, 1, 0, Decimal("50.0"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        assert any(s.startswith('UPDATE "monitoring_scheda" SET') for s in prepared), prepared
    else:
        assert connection.vendor == "sqlite"
