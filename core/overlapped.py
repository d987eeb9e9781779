"""The chunks of a bulk job run two at a time, each in a thread with its own database connection, so that one
chunk's waits on the database overlap the other's work in Python.

A chunk of recompute-all waits on PostgreSQL for about a quarter of its time (locking its rows, reading their values,
writing the results), while its other three quarters are Python with the GIL held. With two threads, the database
works on one chunk on the second core while the first thread computes the other. Each chunk is its own transaction
in its thread's connection: the callers keep the order of their locks (the rows of the chunk, then what they share,
as every other writer), so two chunks wait on each other and never deadlock.

Only outside a transaction: another connection would not see what the caller's transaction holds, nor be undone
with it. SQLite lets one connection write at a time: the callers run their chunks one after the other there.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")
THREADS = 2


def can_overlap() -> bool:
    """Whether chunks can run in connections of their own: on PostgreSQL, outside any transaction."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def run_overlapped(chunks: Iterable[T], work: Callable[[T], None], after: Callable[[T], None]) -> None:
    """`work(chunk)` for every chunk, two at a time in threads with their own connections (closed at the end);
    `after(chunk)` once each chunk's work is done, one call at a time. The first error lets the threads finish the
    chunk at hand, takes no other chunk, and is raised here."""
    lock = threading.Lock()
    pending = iter(chunks)
    errors: list[BaseException] = []

    def take() -> list[T]:
        """[the next chunk], or [] when there is none or a chunk failed."""
        with lock:
            return [] if errors else list(itertools.islice(pending, 1))

    def worker() -> None:
        try:
            while taken := take():
                work(taken[0])
                with lock:
                    after(taken[0])
        except BaseException as exc:  # raised again by the calling thread
            with lock:
                errors.append(exc)
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=worker, name=f"overlapped-{n}") for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
