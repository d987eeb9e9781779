"""The longest tests start first, one queue each, so that none of them is left to run alone at the end of a run.

pytest-xdist's ``worksteal`` scheduler gives each test process a contiguous quarter of the collected tests (the
first ``n // 4``, a third of the rest, …); a process that runs out steals from the end of the longest queue. A
20-minute run ended with the layout migration test (3 minutes on a 2-core machine) started last, alone: it was
at the end of its quarter. ``place`` moves the modules of `LONG` to the head of the queues, each to the queue
with the least long work so far, and keeps every other test in its order; a module stays whole (its module-scoped
fixtures are built once), except those of `ONE_BY_ONE`, whose tests (one per role) go to the queues one by one.
Outside xdist the order does not change.
"""

from __future__ import annotations

from itertools import islice

# Test modules that take a minute or more of one process (seconds on a 2-core machine, four processes), longest
# first.
LONG: dict[str, int] = {
    "tests/e2e/test_main_pages_browser.py": 550,
    "tests/reports/test_piano_tipi.py": 330,
    "tests/portal/test_navigation.py": 200,
    "tests/territory/test_layout_migration.py": 170,
    "tests/api/test_schemathesis.py": 100,
    "tests/jobs/test_worker.py": 70,
}
ONE_BY_ONE = {"tests/e2e/test_main_pages_browser.py", "tests/portal/test_navigation.py"}


def _queue_sizes(total: int, workers: int) -> list[int]:
    """The sizes of the queues worksteal gives at the start: each takes its share of what is left."""
    sizes, left = [], total
    for k in range(workers):
        sizes.append(left // (workers - k))
        left -= sizes[-1]
    return sizes


def place(items: list, workers: int) -> list:
    """`items` reordered: the modules of `LONG` at the head of the `workers` queues, the rest in order."""
    if workers < 2:
        return items
    heads: list[list] = [[] for _ in range(workers)]
    load = [0] * workers
    groups: list[tuple[int, list]] = []
    for module, seconds in LONG.items():
        chosen = [item for item in items if item.nodeid.split("::")[0] == module]
        if chosen and module in ONE_BY_ONE:
            groups += [(seconds // len(chosen), [item]) for item in chosen]
        elif chosen:
            groups.append((seconds, chosen))
    for seconds, group in sorted(groups, key=lambda g: g[0], reverse=True):
        k = load.index(min(load))
        heads[k] += group
        load[k] += seconds
    placed = {id(item) for head in heads for item in head}
    rest = iter([item for item in items if id(item) not in placed])
    ordered: list = []
    for head, size in zip(heads, _queue_sizes(len(items), workers), strict=True):
        ordered += head + list(islice(rest, max(0, size - len(head))))  # a few tests: heads longer than queues
    return ordered + list(rest)
