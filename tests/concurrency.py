"""Doing several things at the same instant: one thread each, released together by a barrier (simultaneous requests,
two web workers saving at once)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection


def at_once(action: Callable[[Any], Any], items: Sequence[Any], *, timeout: float = 120) -> list[Any]:
    """action(item) for every item, each in a thread of its own, all started at the same moment.

    Returns what each call returned, in the order of `items`; where a call raised, the exception instead (for the
    caller's assertions); None where a thread had not finished after `timeout` seconds. Each thread closes its own
    database connection at the end (Django opens one per thread).
    """
    barrier = threading.Barrier(len(items))
    results: list[Any] = [None] * len(items)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = action(items[i])
        except Exception as exc:  # returned to the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(items))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def raised(results: list[Any]) -> list[Exception]:
    """The exceptions among the results of `at_once`."""
    return [result for result in results if isinstance(result, Exception)]


def post_together(clients: Sequence[Any], url: str, datas: Sequence[dict], *, timeout: float = 120) -> list[Any]:
    """Each client POSTs its form data (`datas`, in the same order) to `url` at the same instant: the responses, or
    the exceptions (test clients, or the live server's sessions of tests.live_gunicorn)."""
    return at_once(lambda i: clients[i].post(url, data=datas[i]), range(len(clients)), timeout=timeout)
