import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Page


@pytest.fixture(autouse=True)
def quick_failures(page: Page) -> None:
    """A missing element fails in seconds, not after Playwright's default half minute."""
    page.set_default_timeout(15_000)


@pytest.fixture
def worker(monkeypatch):
    """OCMS's background worker beside the live server, in a thread of the test's process (so that it writes
    where the test's settings say), asking for work every tenth of a second until the test ends."""
    # Signals are for a worker that is a process of its own; a thread may not set them.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.Worker.configure_signals", lambda worker: None)
    stop = threading.Event()

    def work() -> None:
        try:
            while not stop.is_set():
                call_command("worker", batch=True, stdout=StringIO())
                stop.wait(0.1)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, name="worker")
    thread.start()
    yield
    stop.set()
    thread.join()
