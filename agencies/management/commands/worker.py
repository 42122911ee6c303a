"""The background worker. In turns: the jobs a stopped worker left half done are put back in the queue, then
django-tasks-db's worker runs every task queued; when there is none, it waits a moment.

SIGTERM or SIGINT (systemd stopping the service, Ctrl+C) stops it once the task it is running is done; a second one
stops that task at once (the job then says it failed, and can be retried). The command owns these signals for its
whole run: django-tasks-db's `db_worker` command would install its own on each call, and a stop would end only that
call, the loop starting the next.
"""

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django.utils import autoreload
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from agencies.jobs import jobs_resume

# How long the worker waits when the queue is empty.
INTERVAL = 1.0
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def stop_signals_caught(worker: Worker) -> Iterator[None]:
    """While inside: a first stop signal lets the running task finish and no other start; a second one ends the
    task (SystemExit, which the task records as its failure)."""

    def stop(signum: int, frame: object) -> None:
        if not worker.running:
            raise SystemExit(1)
        worker.running = False

    if threading.current_thread() is not threading.main_thread():
        # Under --reload the work runs in a thread, and Django's reloader answers the signals itself.
        yield
        return
    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Command(BaseCommand):
    help = "Run OCMS's background worker (iCARE files, returned files): resume interrupted jobs, then work."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued now, then stop.")
        parser.add_argument("--reload", action="store_true", help="Restart when the code changes (development).")

    def handle(self, *args, batch: bool, reload: bool, **options) -> None:
        if reload:
            autoreload.run_with_reloader(self.work, batch=batch)
        else:
            self.work(batch=batch)

    def work(self, *, batch: bool) -> None:
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            excluded_queue_names=[],
            interval=0,
            batch=True,  # each turn runs what is queued, then returns here
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
        )
        with stop_signals_caught(worker):
            while worker.running:
                resumed = jobs_resume()
                if resumed:
                    self.stdout.write(f"Put {resumed} interrupted job(s) back in the queue.")
                worker.run()
                if batch or not worker.running:
                    return
                time.sleep(INTERVAL)
