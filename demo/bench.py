"""The benchmarks `make bench` runs: each one a request through the whole middleware stack, timed.

A later issue adds its figures by appending a `Benchmark` to `BENCHMARKS`. Every benchmark is timed
alternately with the bare baseline, so a busy machine slows both and their ratio stays comparable.
"""

import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clients.sections import SECTIONS, SectionName


class BenchmarkError(Exception):
    """A benchmark could not run as intended, so it has no figure."""


@dataclass
class BenchContext:
    """What the runs of one benchmark share: a test client of their own and whatever setup made."""

    client: Client = field(default_factory=Client)
    objects: dict[str, object] = field(default_factory=dict)


def no_setup(context: BenchContext) -> None:
    pass


@dataclass(frozen=True)
class Benchmark:
    name: str
    run: Callable[[BenchContext], object]  # one request or operation; raises BenchmarkError when it goes wrong
    setup: Callable[[BenchContext], None] = no_setup  # once, before the warm-up; not timed


@dataclass(frozen=True)
class Result:
    name: str
    median_ms: float
    p95_ms: float
    baseline_median_ms: float
    baseline_p95_ms: float
    queries: int = 0  # the database queries of one run

    @property
    def ratio(self) -> float:
        return self.median_ms / self.baseline_median_ms


def get_ok(context: BenchContext, path: str) -> HttpResponse:
    """GET a page and insist on 200: a redirect or an error page would give a fast, meaningless figure."""
    response = context.client.get(path)
    if response.status_code != 200:
        raise BenchmarkError(f"GET {path} answered {response.status_code} instead of 200.")
    return response


def log_in_as(username: str) -> Callable[[BenchContext], None]:
    def setup(context: BenchContext) -> None:
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise BenchmarkError(f"There is no user {username!r}: run `manage.py load_demo` first.") from None
        context.client.force_login(user)

    return setup


BASELINE = Benchmark("bare baseline (GET /health/)", run=lambda context: get_ok(context, "/health/"))


def draft_steps(staff) -> dict[str, dict]:
    """Realistic input for each step of the wizard, for a draft of `staff`'s agency: step name -> POST data."""
    from agencies.models import AgencyList, IcareList, IcareValue, ListItem

    items = ListItem.objects.for_agency(staff.agency)
    icare = IcareValue.objects
    programs = list(staff.agency.programs.values_list("code", flat=True))
    program_rows = {"programs-TOTAL_FORMS": len(programs), "programs-INITIAL_FORMS": 0}
    for index, code in enumerate(programs):
        program_rows |= {f"programs-{index}-program": code, f"programs-{index}-status": "new"}
    return {
        SectionName.PRIVACY: {"privacy_confirmed": "yes"},
        SectionName.PRIMARY: {
            "first_name": "Amal",
            "last_name": "Haddad",
            "gender": items.get(list=AgencyList.GENDER, label="Female").pk,
            "date_of_birth": "1990-02-03",
            "official_language": icare.get(list=IcareList.OFFICIAL_LANGUAGE, value="English").pk,
        },
        SectionName.IMMIGRATION: {"arrival_date": "2024-01-01", "country_of_origin": "SY", "research_consent": "true"},
        SectionName.IDENTIFICATION: {
            "identifiers-TOTAL_FORMS": 1,
            "identifiers-INITIAL_FORMS": 0,
            "identifiers-0-identifier_type": items.filter(list=AgencyList.IDENTIFIER_TYPE).order_by("position")[0].pk,
            "identifiers-0-value": "1234-5678",
        }
        | program_rows,
        SectionName.CONTACT: {"phone": "416-555-0199", "postal_code": "M5V 2T6", "country": "CA", "city": "Toronto"},
        SectionName.EMPLOYMENT: {
            "current_profession": "31301",
            "certificates-TOTAL_FORMS": 0,
            "certificates-INITIAL_FORMS": 0,
        },
        SectionName.LANGUAGE: {
            "languages-TOTAL_FORMS": 1,
            "languages-INITIAL_FORMS": 0,
            "languages-0-language": icare.get(list=IcareList.LANGUAGE, value="Arabic").pk,
        },
        SectionName.SENSITIVE: dict(program_rows),
        SectionName.CONSENT: {"children-TOTAL_FORMS": 0, "children-INITIAL_FORMS": 0},
    }


def draft_walk(client: Client, staff, steps: dict[str, dict]) -> str:
    """Start a draft as the logged-in `client` and post every step with Next; returns the draft's URL."""
    response = client.post("/register/named/")
    base = response["Location"].rstrip("/").rsplit("/", 1)[0]
    for step, data in steps.items():
        response = client.post(f"{base}/{step}/", {"go": "next", **data})
        if response.status_code != 302:
            raise BenchmarkError(f"The registration step {step!r} did not accept the benchmark's input.")
    return base


def registration_draft_setup(context: BenchContext) -> None:
    """Log in as the demo caseworker and walk a draft through every step, with realistic input."""
    from agencies.models import StaffProfile

    log_in_as("caseworker")(context)
    staff = StaffProfile.objects.select_related("agency", "default_site").get(user__username="caseworker")
    context.objects["draft_url"] = draft_walk(context.client, staff, draft_steps(staff))


def wizard_step(step: str) -> Benchmark:
    return Benchmark(
        f"wizard step {step} (GET)",
        run=lambda context: get_ok(context, f"{context.objects['draft_url']}/{step}/"),
        setup=registration_draft_setup,
    )


BENCHMARKS: list[Benchmark] = [
    Benchmark("login page (GET /accounts/login/)", run=lambda context: get_ok(context, "/accounts/login/")),
    Benchmark(
        "home page (GET / as caseworker)",
        run=lambda context: get_ok(context, "/"),
        setup=log_in_as("caseworker"),
    ),
    *(wizard_step(section.name) for section in SECTIONS),  # the wizard's steps
    Benchmark(
        "anonymous client form (GET)",
        run=lambda context: get_ok(context, "/register/anonymous/"),
        setup=log_in_as("caseworker"),
    ),
]


def receipt_setup(context: BenchContext) -> None:
    """Log in as the demo caseworker and register a demo client with a family and two programs."""
    from datetime import date

    from django.db import transaction

    from agencies.models import StaffProfile
    from clients.models import Client, ClientProgram, ProgramStatus
    from families.services import family_reserve
    from registration.services import client_number_next

    log_in_as("caseworker")(context)
    staff = StaffProfile.objects.select_related("agency", "default_site").get(user__username="caseworker")
    agency = staff.agency
    with transaction.atomic():
        family = family_reserve(agency=agency)
        people = [("Amal", "Haddad", date(1990, 2, 3)), ("Karim", "Haddad", date(1987, 9, 14))]
        clients = [
            Client.objects.create(
                agency=agency,
                number=client_number_next(agency=agency),
                privacy_confirmed=True,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                family=family,
                primary_worker=staff,
                registration_site=staff.default_site,
                created_by=staff.user,
            )
            for first, last, born in people
        ]
        for program, status in zip(agency.programs.order_by("name")[:2], ProgramStatus.values, strict=False):
            ClientProgram.objects.create(client=clients[0], program=program, status=status)
    context.objects["receipt_url"] = f"/reports/{clients[0].code}/receipt/?format=pdf&lang=en"
    context.objects["profile_url"] = f"/clients/{clients[0].code}/"
    context.objects["dashboard_url"] = f"/clients/{clients[0].code}/dashboard/"


def receipt_render(context: BenchContext) -> HttpResponse:
    response = get_ok(context, context.objects["receipt_url"])
    if not response.content.startswith(b"%PDF-"):
        raise BenchmarkError("The receipt answered 200 but is not a PDF.")
    return response


BENCHMARKS.append(Benchmark("receipt render (GET Registration Receipt PDF)", run=receipt_render, setup=receipt_setup))
BENCHMARKS.append(
    Benchmark(
        "client profile page (GET)",
        run=lambda context: get_ok(context, context.objects["profile_url"]),
        setup=receipt_setup,
    )
)
BENCHMARKS.append(
    Benchmark(
        "client dashboard (GET)",
        run=lambda context: get_ok(context, context.objects["dashboard_url"]),
        setup=receipt_setup,
    )
)


def tables_settle(*, vacuum: bool) -> None:
    """After a bulk fill, as autovacuum would leave a live database: statistics known and, with `vacuum`,
    every new row marked visible (otherwise the first timed requests pay for setting the rows' hint bits).
    PostgreSQL only. VACUUM cannot run inside a transaction, as in the benches' tests: ANALYZE alone then."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum and not connection.in_atomic_block else "ANALYZE")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: always one of the measured values, defined for any number of runs."""
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def timed(call: Callable[[], object]) -> tuple[object, float]:
    """What `call` returns, and the seconds it took."""
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def _timed_ms(benchmark: Benchmark, context: BenchContext) -> float:
    start = time.perf_counter_ns()
    benchmark.run(context)
    return (time.perf_counter_ns() - start) / 1_000_000


def benchmark_measure(*, benchmark: Benchmark, runs: int, warmup: int, baseline: Benchmark = BASELINE) -> Result:
    """Time `runs` runs of the benchmark, each beside one run of the baseline, after `warmup` untimed ones."""
    context, baseline_context = BenchContext(), BenchContext()
    benchmark.setup(context)
    baseline.setup(baseline_context)
    for _ in range(warmup):
        baseline.run(baseline_context)
        benchmark.run(context)
    # One more run, untimed, counts its queries (the log is emptied first: each request empties it as it starts).
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        benchmark.run(context)
    queries = len(captured)  # now: the captured list is read from the connection's log, which later requests empty
    gc.collect()
    times: list[float] = []
    baseline_times: list[float] = []
    for _ in range(runs):
        baseline_times.append(_timed_ms(baseline, baseline_context))
        times.append(_timed_ms(benchmark, context))
    times.sort()
    baseline_times.sort()
    return Result(
        name=benchmark.name,
        median_ms=statistics.median(times),
        p95_ms=percentile(times, 0.95),
        baseline_median_ms=statistics.median(baseline_times),
        baseline_p95_ms=percentile(baseline_times, 0.95),
        queries=queries,
    )
