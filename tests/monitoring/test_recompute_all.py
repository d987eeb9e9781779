"""Recompute-all stores, chunk by chunk, the same results as recomputing each scheda on its own."""

import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.services import compute, scheda_recompute, schede_recompute_all
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
