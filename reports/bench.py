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
from django.http import HttpResponse
from django.test import Client


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

BENCHMARKS: list[Benchmark] = [
    Benchmark("login page (GET /accounts/login/)", run=lambda context: get_ok(context, "/accounts/login/")),
    Benchmark(
        "home page (GET / as caseworker)",
        run=lambda context: get_ok(context, "/"),
        setup=log_in_as("caseworker"),
    ),
]


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: always one of the measured values, defined for any number of runs."""
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


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
    )
