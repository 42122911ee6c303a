"""The load run `make bench` ends with: OCMS served by gunicorn (3 workers) on this database, simulated caseworkers
(locust, headless, in a process of its own: demo/locustfile.py) doing a day's mix for a while, beside the same users
asking only for the bare view, so their throughputs compare on the same busy machine.

The bare view is asked twice: by the same logged-in users (their session and user read, as on every page: the
ratio's basis), and without a login (the server's own floor). The mix: Find Client (names with a typo, phones,
identifiers), client profiles, every wizard step read and posted with Next (each user its own draft), and the
Registration Receipt PDF. Users are logged in beforehand (a session made as the test client's force_login makes one):
the login form would time password hashing, and its lockouts would refuse a crowd logging in from one address.
"""

import csv
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client as TestClient
from django.utils.crypto import get_random_string

from agencies.models import Agency
from clients.models import Client, Identifier
from demo.bench import BenchmarkError, draft_steps, draft_walk
from demo.bench_first_document import database_url
from demo.bench_search import bench_agency, fill_to, samples
from demo.generate import with_typo

WORKERS = 3
BARE = "/health/"
# What the mix asks for, in the order the table shows it (the names demo/locustfile.py gives its requests).
MIX_PARTS = [
    "Find Client",
    "client profile",
    "wizard step (GET)",
    "wizard step (POST, Next)",
    "Registration Receipt (PDF)",
]
STEPS_READ = [
    "privacy",
    "primary",
    "immigration",
    "identification",
    "contact",
    "employment",
    "language",
    "sensitive",
    "consent",
    "summary",
]


@dataclass(frozen=True)
class LoadResult:
    name: str
    requests: int
    errors: int
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float


@dataclass(frozen=True)
class LoadRun:
    users: int
    seconds: int
    clients: int
    anonymous: LoadResult
    bare: LoadResult
    mix: LoadResult
    parts: list[LoadResult]
    error_examples: list[str]

    @property
    def ratio(self) -> float:
        """The mix's throughput over the bare view's, asked by the same logged-in users."""
        return self.mix.per_second / self.bare.per_second if self.bare.per_second else 0.0

    @property
    def anonymous_ratio(self) -> float:
        return self.mix.per_second / self.anonymous.per_second if self.anonymous.per_second else 0.0


def seat_make(agency: Agency, index: int) -> dict:
    """A caseworker of the load agency, logged in, with a draft walked through every step."""
    _agency, staff = bench_agency(agency.name, username=f"load-caseworker-{index}")
    client = TestClient()
    client.force_login(staff.user)
    draft = draft_walk(client, staff, draft_steps(staff))
    csrf = get_random_string(32)  # a CSRF secret of the cookie's form: sent back as the header, as a page's JS does
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "csrf": csrf,
        "draft": draft,
    }


def load_plan(*, users: int, clients: int, report: Callable[[str], None]) -> dict:
    """The agency under load filled to at least `clients`, its users' seats, and the pages they ask for."""
    agency, staff = bench_agency()
    seconds = fill_to(agency, staff, clients)
    if seconds > 1:
        report(f"  filled the bench agency to {clients:,} clients in {seconds:.0f} s")
    rng = random.Random(clients)
    people = samples(agency, 200, rng)
    if not people:
        raise BenchmarkError("The bench agency has no clients.")
    identifiers = Identifier.objects.filter(client__in=people).values_list("value", flat=True)
    searches = [f"{p.first_name} {with_typo(p.last_name, rng)}" for p in people]
    searches += [p.phone.as_national for p in people if p.phone]
    searches += [value.replace("-", " ") for value in identifiers]
    steps = draft_steps(staff)
    return {
        "bare": BARE,
        "seats": [seat_make(agency, index) for index in range(users)],
        "searches": ["/clients/find/?" + urlencode({"q": q}) for q in searches],
        "profiles": [f"/clients/{p.code}/" for p in people],
        "receipts": [f"/reports/{p.code}/receipt/?format=pdf&lang=en" for p in people[:50]],
        "steps_read": STEPS_READ,
        "steps_posted": steps,
        "clients": Client.objects.filter(agency=agency).count(),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answered(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        return response.status


@contextmanager
def gunicorn_serving(log: Path) -> Iterator[str]:
    """OCMS served by gunicorn as production runs it (its default timeout), on this database; its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "gunicorn", "ocms.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*command, "--no-control-socket"],
            cwd=settings.BASE_DIR,
            env=os.environ | {"DATABASE_URL": database_url()},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise BenchmarkError(f"gunicorn stopped as it started:\n{log.read_text()[-2000:]}")
            try:
                if answered(url + BARE) == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchmarkError("gunicorn did not answer within 2 minutes.")
            time.sleep(0.2)
        yield url
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def warm_up(url: str, plan: dict) -> None:
    """Each kind of page a few times, several at once, before the clock starts: every gunicorn worker has met each
    of them (a worker answers only once it has loaded the application, so the first answer says little of the
    others)."""
    seat = plan["seats"][0]
    paths = [plan["bare"], plan["searches"][0], plan["profiles"][0], plan["receipts"][0]]
    paths += [f"{seat['draft']}/{step}/" for step in STEPS_READ]

    def visit(_turn: int) -> None:
        for path in paths:
            if answered(url + path, seat["cookie"]) != 200:
                raise BenchmarkError(f"GET {path} did not answer 200 before the load run.")

    with ThreadPoolExecutor(max_workers=2 * WORKERS) as pool:
        list(pool.map(visit, range(4 * WORKERS)))


def milliseconds(text: str) -> float:
    return float(text) if text != "N/A" else 0.0  # locust's percentile of a name with no request


def results_read(stats: Path) -> dict[str, LoadResult]:
    """locust's statistics file: a row for each request name, and the Aggregated row."""
    results = {}
    with stats.open(newline="", encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            name = row["Name"] if row["Name"] != "Aggregated" else ""
            results[name] = LoadResult(
                name=name,
                requests=int(row["Request Count"]),
                errors=int(row["Failure Count"]),
                per_second=float(row["Requests/s"]),
                p50_ms=milliseconds(row["50%"]),
                p95_ms=milliseconds(row["95%"]),
                p99_ms=milliseconds(row["99%"]),
            )
    return results


def failures_read(failures: Path) -> list[str]:
    if not failures.exists():
        return []
    with failures.open(newline="", encoding="utf-8") as rows:
        return [f"{row['Occurrences']} x {row['Name']}: {row['Error']}"[:300] for row in csv.DictReader(rows)][:5]


def locust_run(*, url: str, plan_file: Path, user_class: str, users: int, seconds: int) -> tuple[dict, list[str]]:
    folder = plan_file.parent
    prefix = folder / user_class
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(Path(settings.BASE_DIR) / "demo" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--host",
        url,
        "--csv",
        str(prefix),
        "--only-summary",
        # The requests still running when the time is up finish and count, rather than being cut off unrecorded.
        "--stop-timeout",
        "30",
        "--loglevel",
        "ERROR",
        user_class,
    ]
    completed = subprocess.run(
        command,
        cwd=folder,
        env=os.environ | {"OCMS_LOAD_PLAN": str(plan_file)},
        capture_output=True,
        text=True,
        timeout=seconds + 180,
    )
    stats = Path(f"{prefix}_stats.csv")
    # locust answers 1 when any request failed: the failures are figures here, not a reason to stop.
    if completed.returncode not in (0, 1) or not stats.exists():
        raise BenchmarkError(f"locust failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    return results_read(stats), failures_read(Path(f"{prefix}_failures.csv"))


def load_bench(*, seconds: int, users: int, clients: int, report: Callable[[str], None]) -> LoadRun:
    plan = load_plan(users=users, clients=clients, report=report)
    with tempfile.TemporaryDirectory(prefix="ocms-load-") as folder:
        plan_file = Path(folder) / "plan.json"
        plan_file.write_text(json.dumps(plan, default=str), encoding="utf-8")  # UUIDs as text
        with gunicorn_serving(Path(folder) / "gunicorn.log") as url:
            warm_up(url, plan)
            run = {"url": url, "plan_file": plan_file, "users": users, "seconds": seconds}
            anonymous, anonymous_failures = locust_run(user_class="BareViewAnonymous", **run)
            bare, bare_failures = locust_run(user_class="BareView", **run)
            mix, mix_failures = locust_run(user_class="Caseworker", **run)
    return LoadRun(
        users=users,
        seconds=seconds,
        clients=plan["clients"],
        anonymous=anonymous[""],
        bare=bare[""],
        mix=mix[""],
        parts=[mix[name] for name in MIX_PARTS if name in mix],
        error_examples=anonymous_failures + bare_failures + mix_failures,
    )
