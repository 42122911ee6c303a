"""Find Client and the registration duplicate check at 10,000 / 100,000 / 1,000,000 clients.

For each size, the agency is filled with invented clients (demo/generate.py), then each search is
timed as a whole request through django.test.Client and, beside it, as the bare SQL that request runs
to answer the search (the same statements with the same parameters, re-run on a cursor: prepared by the connection
as the request's are), both once the search has been asked (measure), so the ratio shows the application's overhead.
"""

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client as TestClient

from agencies.lists import agency_lists_seed
from agencies.models import Agency, Program, Role, Site, SiteGroup, StaffProfile
from clients.models import Client, Identifier
from demo.bench import BenchmarkError, percentile, tables_settle
from demo.generate import clients_generate, with_typo
from registration.models import Draft

AGENCY = "Bench Agency"
# Queries of the request that are not the search itself: the session with its user and staff profile, the draft.
NOT_SEARCH = ("agencies_loginsession", "auth_user", "agencies_staffprofile", "registration_draft")


@dataclass(frozen=True)
class SearchResult:
    size: int
    name: str
    median_ms: float
    p95_ms: float
    sql_median_ms: float
    sql_p95_ms: float

    @property
    def ratio(self) -> float:
        return self.median_ms / self.sql_median_ms if self.sql_median_ms else float("inf")


def bench_agency(name: str = AGENCY, username: str = "bench-caseworker") -> tuple[Agency, StaffProfile]:
    agency, _ = Agency.objects.get_or_create(name=name)
    agency_lists_seed(agency=agency)
    program, _ = Program.objects.get_or_create(agency=agency, name="Settlement")
    group, _ = SiteGroup.objects.get_or_create(agency=agency, name="Non-schools or Reception Centres")
    site, _ = Site.objects.get_or_create(agency=agency, name="Bench Office", defaults={"group": group})
    user, _ = get_user_model().objects.get_or_create(username=username)
    staff, _ = StaffProfile.objects.get_or_create(
        user=user, defaults={"agency": agency, "role": Role.CASEWORKER, "default_site": site}
    )
    staff.programs.add(program)
    return agency, staff


def fill_to(agency: Agency, staff: StaffProfile, size: int) -> float:
    """Add invented clients until the agency has `size`; returns the seconds it took."""
    have = Client.objects.filter(agency=agency).count()
    started = time.perf_counter()
    if size > have:
        clients_generate(agency=agency, count=size - have, created_by=staff.user, seed=size)
        tables_settle(vacuum=True)
    return time.perf_counter() - started


def samples(agency: Agency, count: int, rng: random.Random) -> list[Client]:
    highest = Client.objects.filter(agency=agency).order_by("-number").values_list("number", flat=True).first()
    lowest = Client.objects.filter(agency=agency).order_by("number").values_list("number", flat=True).first()
    numbers = [rng.randint(lowest, highest) for _ in range(count)]
    return list(Client.objects.filter(agency=agency, number__in=numbers))


def timed_request(client: TestClient, path: str) -> tuple[float, list[tuple[str, Any]]]:
    """The request's time, and the statements it ran for the search, each with its parameters."""
    statements = []

    def keep(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and not any(table in sql for table in NOT_SEARCH):
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        started = time.perf_counter_ns()
        response = client.get(path)
        elapsed = (time.perf_counter_ns() - started) / 1e6
    if response.status_code != 200:
        raise BenchmarkError(f"GET {path} answered {response.status_code}.")
    return elapsed, statements


def timed_sql(statements: list[tuple[str, Any]]) -> float:
    started = time.perf_counter_ns()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
    return (time.perf_counter_ns() - started) / 1e6


def measure(paths: list[str], client: TestClient, runs: int) -> tuple[list[float], list[float]]:
    """Each search asked once untimed, then timed as a request and as its bare SQL: both on what the database has
    just read. Timed first as it comes, the request alone paid for reading its clients' pages into memory (at
    1,000,000 clients: 0.5-0.8 ms more than a second ask for the duplicate check and an identifier, about the SQL's
    own time), and the bare SQL right after it found them there, so the ratio told of the cache as much as of the
    application."""
    app: list[float] = []
    bare: list[float] = []
    for path in paths[:5]:
        timed_request(client, path)  # warm-up
    for index in range(runs):
        path = paths[index % len(paths)]
        timed_request(client, path)  # its pages read
        elapsed, statements = timed_request(client, path)
        app.append(elapsed)
        bare.append(timed_sql(statements))
    return sorted(app), sorted(bare)


def search_cases(agency: Agency, staff: StaffProfile, rng: random.Random) -> dict[str, list[str]]:
    people = samples(agency, 400, rng)
    if not people:
        raise BenchmarkError("The bench agency has no clients.")
    # Any draft of the bench user (a database benched before may hold several), or a new one.
    draft = Draft.objects.filter(agency=agency, owner=staff.user).first() or Draft.objects.create(
        agency=agency, owner=staff.user
    )
    with_ids = list(Identifier.objects.filter(client__agency=agency, client__in=people).values_list("value", flat=True))
    with_phone = [p for p in people if p.phone]
    return {
        "name with a typo": [
            "/clients/find/?" + urlencode({"q": f"{p.first_name} {with_typo(p.last_name, rng)}"}) for p in people
        ],
        "phone": ["/clients/find/?" + urlencode({"q": p.phone.as_national}) for p in with_phone],
        "identifier": ["/clients/find/?" + urlencode({"q": value.replace("-", " ")}) for value in with_ids],
        "duplicate check (name + birth date)": [
            f"/register/draft/{draft.code}/duplicates/?"
            + urlencode(
                {
                    "first_name": p.first_name,
                    "last_name": with_typo(p.last_name, rng),
                    "date_of_birth": p.date_of_birth.isoformat(),
                }
            )
            for p in people
        ],
    }


def search_bench(sizes: list[int], runs: int, report: Callable[[str], None]) -> list[SearchResult]:
    agency, staff = bench_agency()
    client = TestClient()
    client.force_login(staff.user)
    results = []
    for size in sizes:
        seconds = fill_to(agency, staff, size)
        if seconds > 1:
            report(f"  filled the bench agency to {size:,} clients in {seconds:.0f} s")
        rng = random.Random(size)
        for name, paths in search_cases(agency, staff, rng).items():
            app, bare = measure(paths, client, runs)
            results.append(
                SearchResult(
                    size=size,
                    name=name,
                    median_ms=statistics.median(app),
                    p95_ms=percentile(app, 0.95),
                    sql_median_ms=statistics.median(bare),
                    sql_p95_ms=percentile(bare, 0.95),
                )
            )
    return results
