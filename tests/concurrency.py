"""Requests at the same moment: each in a thread of its own, on its own database connection (tests marked
django_db(transaction=True), so that each sees what the others commit)."""

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

from clients import versions


def at_once[T](*calls: Callable[[], T]) -> list[T]:
    """Run the calls at the same time, each in its own thread and database connection; their results in order."""

    def run(call: Callable[[], T]) -> T:
        try:
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def saves_read_together(monkeypatch) -> None:
    """Make each edit's save wait, once it has read the section as saved, for the other save to have read it too
    (or for a few seconds): without a lock, both read the version their pages were opened on, and both apply."""
    meeting = threading.Barrier(2, timeout=3)
    compare = versions.changes_since

    def meet_then_compare(*args, **kwargs):
        # With the lock, the other save waits for this one to be saved, and then reads its change.
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait()
        return compare(*args, **kwargs)

    monkeypatch.setattr(versions, "changes_since", meet_then_compare)
