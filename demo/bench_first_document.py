"""The first document a server process prints, beside the next ones: `make bench` starts a fresh process
(`manage.py bench_first_document`) that loads the WSGI application as gunicorn does, warm-up included, then
prints the Registration Receipt once and again."""

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from demo.bench import BenchContext, receipt_render, receipt_setup


@dataclass(frozen=True)
class FirstDocumentResult:
    startup_s: float  # loading the WSGI application, with its warm-up
    first_ms: float
    warm_median_ms: float

    @property
    def ratio(self) -> float:
        return self.first_ms / self.warm_median_ms


def first_document_measure(runs: int) -> dict:
    """In this process, fresh: start as a server process does, then time the first receipt and `runs` more."""
    start = time.perf_counter()
    import ocms.wsgi  # noqa: F401 - what gunicorn loads in each of its processes

    startup = time.perf_counter() - start
    context = BenchContext()
    receipt_setup(context)
    # The test client's handler loads the middleware on its first request; gunicorn's loaded them as the application
    # did above (WhiteNoise indexing the static files among them), so that is no part of its first document either.
    context.client.handler.load_middleware()
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        receipt_render(context)
        times.append((time.perf_counter() - start) * 1000)
    return {"startup_s": startup, "first_ms": times[0], "warm_median_ms": statistics.median(times[1:])}


def database_url() -> str:
    """This process's database, for the fresh process to use the same one."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def first_document_bench(runs: int = 20) -> FirstDocumentResult:
    """Run the measure in a fresh process on this database."""
    env = os.environ | {"DATABASE_URL": database_url()}
    completed = subprocess.run(
        [sys.executable, "manage.py", "bench_first_document", "--runs", str(runs)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return FirstDocumentResult(**json.loads(completed.stdout.strip().splitlines()[-1]))
