"""The order of the tests across xdist's queues (tests/long_tests_first.py): every test kept once, the long
modules at the heads of the queues, whatever the selection."""

from dataclasses import dataclass

import pytest

from tests.long_tests_first import LONG, _queue_sizes, place

BROWSER = "tests/e2e/test_main_pages_browser.py"
TIPI = "tests/reports/test_piano_tipi.py"


@dataclass(frozen=True)
class Item:
    nodeid: str


def _items(n_short: int) -> list[Item]:
    short = [Item(f"tests/a/test_{i}.py::test") for i in range(n_short)]
    return [
        *short[: n_short // 2],
        *(Item(f"{BROWSER}::test[{role}]") for role in ("admin", "udp", "dirigente", "operatore", "regione")),
        *(Item(f"{TIPI}::test_{i}") for i in range(3)),
        *short[n_short // 2 :],
    ]


@pytest.mark.parametrize("n_short", [0, 3, 40, 1000])
@pytest.mark.parametrize("workers", [1, 2, 4])
def test_every_test_is_kept_once(n_short, workers):
    items = _items(n_short)
    ordered = place(items, workers)
    assert sorted(i.nodeid for i in ordered) == sorted(i.nodeid for i in items)


def test_long_modules_head_the_queues_and_the_rest_keeps_its_order():
    items = _items(1000)
    ordered = place(items, 4)
    starts = [sum(_queue_sizes(len(items), 4)[:k]) for k in range(4)]
    heads = [ordered[s].nodeid.split("::")[0] for s in starts]
    assert heads[0] == TIPI  # the largest group first (330 s), to the first queue
    assert heads[1:] == [BROWSER] * 3  # the browser test split one by one over the other queues
    assert [i for i in ordered if i.nodeid.split("::")[0] not in LONG] == [
        i for i in items if i.nodeid.split("::")[0] not in LONG
    ]
    assert [i.nodeid for i in ordered if i.nodeid.startswith(TIPI)] == [f"{TIPI}::test_{i}" for i in range(3)]


def test_outside_xdist_the_order_does_not_change():
    items = _items(40)
    assert place(items, 1) == items
