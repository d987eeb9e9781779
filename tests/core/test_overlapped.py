"""core.overlapped: the chunks of a bulk job, two at a time in two threads; each chunk once, `after` one call at a
time, the first error raised in the caller and no chunk taken after it."""

import threading
import time

import pytest

from core.overlapped import THREADS, run_overlapped


def test_every_chunk_runs_once_two_at_a_time_and_after_is_called_one_at_a_time():
    chunks = list(range(12))
    worked, after, inside = [], [], []
    both = threading.Barrier(THREADS, timeout=10)  # passes only if two chunks are in work at the same moment

    def work(chunk: int) -> None:
        if chunk < THREADS:
            both.wait()
        worked.append((chunk, threading.current_thread().name))

    def done(chunk: int) -> None:
        inside.append(chunk)
        time.sleep(0.001)  # another call entering now would be seen below
        assert inside == [chunk]
        inside.clear()
        after.append(chunk)

    run_overlapped(chunks, work, done)

    assert sorted(c for c, _ in worked) == chunks
    assert sorted(after) == chunks
    assert len({name for _, name in worked}) == THREADS
    assert threading.main_thread().name not in {name for _, name in worked}


def test_the_first_error_is_raised_and_no_chunk_is_taken_after_it():
    worked = []

    def work(chunk: int) -> None:
        worked.append(chunk)
        if chunk == 3:
            raise RuntimeError("chunk 3")
        time.sleep(0.01)

    with pytest.raises(RuntimeError, match="chunk 3"):
        run_overlapped(range(100), work, lambda chunk: None)
    assert 3 in worked
    assert len(worked) <= 3 + THREADS  # at most the chunk the other thread had at hand
