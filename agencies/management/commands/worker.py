"""The background worker. In turns: the jobs a stopped worker left half done are put back in the queue, then
django-tasks-db's worker runs every task queued (`db_worker --batch`); when there is none, it waits a moment."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import autoreload

from agencies.jobs import jobs_resume

# How long the worker waits when the queue is empty.
INTERVAL = 1.0


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
        while True:
            resumed = jobs_resume()
            if resumed:
                self.stdout.write(f"Put {resumed} interrupted job(s) back in the queue.")
            call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
            if batch:
                return
            time.sleep(INTERVAL)
