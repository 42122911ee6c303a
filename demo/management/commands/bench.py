"""`make bench`: time each benchmark of demo/bench.py beside the bare baseline and print a table."""

import os
import platform
import warnings

import django
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from demo import bench
from demo.bench_duplicates import duplicates_bench
from demo.bench_first_document import first_document_bench
from demo.bench_hostile import hostile_bench
from demo.bench_icare import icare_bench
from demo.bench_load import WORKERS, load_bench
from demo.bench_search import search_bench


def database_version() -> str:
    if connection.vendor != "postgresql":
        return f"{connection.display_name} (not PostgreSQL: these are not the figures to compare)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


# The tables printed after the request benchmarks, by the name --only selects them by.
TABLES = ("search", "first-document", "icare", "duplicates", "hostile", "load")


class Command(BaseCommand):
    help = "Time the benchmarks through the whole middleware stack; print median and p95 beside the baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=200, help="timed runs of each benchmark (default 200)")
        parser.add_argument("--warmup", type=int, default=20, help="untimed runs before the timed ones (default 20)")
        parser.add_argument(
            "--only",
            action="append",
            metavar="NAME",
            help="run only the benchmarks and tables (search, first-document, icare, duplicates, hostile, load) "
            "whose name contains NAME (any case); may be given again",
        )
        parser.add_argument(
            "--search-sizes",
            default="10000,100000,1000000",
            help="client counts for the Find Client table, comma-separated; 0 leaves the table out",
        )
        parser.add_argument("--search-runs", type=int, default=200, help="timed runs of each search (default 200)")
        parser.add_argument(
            "--first-document-runs",
            type=int,
            default=20,
            help="receipts timed after the first one of a fresh process (default 20); 0 leaves the table out",
        )
        parser.add_argument(
            "--duplicates-size",
            type=int,
            default=100_000,
            help="clients of the agency scanned for possible duplicates, one in a hundred planted (default 100000); "
            "0 leaves it out",
        )
        parser.add_argument(
            "--icare-size",
            type=int,
            default=100_000,
            help="ready clients in the iCARE Client Profile export (default 100000; also timed at a tenth); "
            "0 leaves it out",
        )
        parser.add_argument(
            "--load-seconds",
            type=int,
            default=60,
            help="seconds of each load run against gunicorn, the day's mix and the bare view (default 60); "
            "0 leaves it out",
        )
        parser.add_argument(
            "--load-users", type=int, default=12, help="simulated caseworkers of the load run (default 12)"
        )
        parser.add_argument(
            "--load-clients",
            type=int,
            default=10_000,
            help="clients of the agency under load, at least (default 10000; more when Find Client filled it further)",
        )

        parser.add_argument(
            "--hostile-rows",
            type=int,
            default=600_000,
            help="rows of the audit's oversized returned iCARE file in the table of hostile requests (default "
            "600000); 0 leaves the table out",
        )

    def handle(
        self,
        *args,
        runs: int,
        warmup: int,
        only: list[str] | None,
        search_sizes: str,
        search_runs: int,
        icare_size: int,
        first_document_runs: int,
        duplicates_size: int,
        load_seconds: int,
        load_users: int,
        load_clients: int,
        hostile_rows: int,
        **options,
    ) -> None:
        if runs < 1 or warmup < 0:
            raise CommandError("--runs must be at least 1 and --warmup at least 0.")
        selected, tables = self.select(only)
        load_1, load_5, load_15 = os.getloadavg()
        self.stdout.write(
            f"OCMS benchmarks: {runs} timed runs of each after {warmup} warm-up runs, "
            "in-process through django.test.Client\n"
            f"Database:      {database_version()}\n"
            f"Load average:  {load_1:.2f} {load_5:.2f} {load_15:.2f} (1, 5, 15 min) on {os.cpu_count()} CPUs\n"
            f"Versions:      Python {platform.python_version()}, Django {django.get_version()}\n"
            f'Baseline:      {bench.BASELINE.name}: a minimal view answering "ok" through the same client, '
            "timed alternately with each benchmark\n\n"
        )
        if selected:
            self.requests_table(selected, runs, warmup)
        sizes = [int(size) for size in search_sizes.replace("_", "").split(",") if size.strip() and int(size) > 0]
        if sizes and "search" in tables:
            self.search_table(sizes, search_runs)
        if first_document_runs > 0 and "first-document" in tables:
            self.first_document_table(first_document_runs)
        if icare_size > 0 and "icare" in tables:
            self.icare_table(icare_size)
        if duplicates_size > 0 and "duplicates" in tables:
            self.duplicates_table(duplicates_size)
        if hostile_rows > 0 and "hostile" in tables:
            self.hostile_table(hostile_rows)
        if load_seconds > 0 and "load" in tables:
            self.load_table(seconds=load_seconds, users=max(1, load_users), clients=max(1, load_clients))

    def requests_table(self, selected: list[bench.Benchmark], runs: int, warmup: int) -> None:
        name_width = max(len(benchmark.name) for benchmark in selected)
        header = (
            f"{'benchmark':<{name_width}}  {'median ms':>9}  {'p95 ms':>8}  "
            f"{'baseline median':>15}  {'baseline p95':>12}  {'ratio':>7}  {'queries':>7}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for benchmark in selected:
            try:
                with warnings.catch_warnings():
                    # WhiteNoise warns once that collectstatic never ran; static files are not benchmarked.
                    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
                    result = bench.benchmark_measure(benchmark=benchmark, runs=runs, warmup=warmup)
            except bench.BenchmarkError as error:
                raise CommandError(f"{benchmark.name}: {error}") from error
            self.stdout.write(
                f"{result.name:<{name_width}}  {result.median_ms:>9.2f}  {result.p95_ms:>8.2f}  "
                f"{result.baseline_median_ms:>15.2f}  {result.baseline_p95_ms:>12.2f}  {result.ratio:>6.1f}x"
                f"  {result.queries:>7}"
            )
        self.stdout.write(
            "\nTimes in milliseconds. ratio: the benchmark's median over the baseline's median. "
            "queries: the database queries of one run."
        )

    def load_table(self, *, seconds: int, users: int, clients: int) -> None:
        self.stdout.write(
            f"\nUnder load: {users} simulated caseworkers (locust, headless, no pause between requests) for "
            f"{seconds} s against gunicorn ({WORKERS} workers) and PostgreSQL on loopback, each already logged "
            "in; first the bare view alone (without a login, then logged in as the same users), then the day's "
            "mix: Find Client, client profiles, wizard steps read and posted, receipts\n"
        )
        try:
            run = load_bench(seconds=seconds, users=users, clients=clients, report=self.stdout.write)
        except bench.BenchmarkError as error:
            raise CommandError(f"load run: {error}") from error
        header = (
            f"{'run':<30}  {'requests':>8}  {'errors':>6}  {'req/s':>7}  {'p50 ms':>7}  {'p95 ms':>7}  {'p99 ms':>7}"
        )
        self.stdout.write(f"the agency under load: {run.clients:,} clients\n")
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        rows = [
            ("bare view, no login", run.anonymous),
            ("bare view (GET /health/)", run.bare),
            ("day's mix", run.mix),
        ]
        rows += [(f"  {part.name}", part) for part in run.parts]
        for name, result in rows:
            self.stdout.write(
                f"{name:<30}  {result.requests:>8,}  {result.errors:>6,}  {result.per_second:>7.1f}  "
                f"{result.p50_ms:>7.0f}  {result.p95_ms:>7.0f}  {result.p99_ms:>7.0f}"
            )
        for example in run.error_examples:
            self.stdout.write(f"error: {example}")
        load_1, load_5, load_15 = os.getloadavg()
        self.stdout.write(
            f"\nThe mix's throughput is {run.ratio:.1%} of the bare view's asked by the same logged-in users (target: "
            f"at least 15 %, and 0 errors), {run.anonymous_ratio:.1%} of the bare view's without a login. "
            "p50/p95/p99: percentiles of the response times, as locust rounds them. "
            f"Load average after: {load_1:.2f} {load_5:.2f} {load_15:.2f}."
        )

    def hostile_table(self, rows: int) -> None:
        self.stdout.write(
            "\nThe audit's hostile requests (issue 17), sent again as the demo manager: what each gets, how long it "
            "takes; a returned file also as the worker reads it, with its peak memory (tracemalloc)\n"
        )
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            results = hostile_bench(rows=rows)
        width = max(len(result.request) for result in results)
        header = f"{'request':<{width}}  {'seconds':>7}  {'peak MiB':>8}  answer"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for result in results:
            peak = f"{result.peak_mib:>8.1f}" if result.peak_mib is not None else " " * 8
            self.stdout.write(f"{result.request:<{width}}  {result.seconds:>7.2f}  {peak}  {result.answer}")

    def duplicates_table(self, size: int) -> None:
        self.stdout.write(
            "\nThe scan for possible duplicates (what the worker runs nightly): one agency of invented clients, one "
            "in a hundred registered a second time with a slip (a typo, accents, names swapped, the same identifier "
            "under an initial) and often another telephone or email, or none\n"
        )
        result = duplicates_bench(size, report=self.stdout.write)
        header = (
            f"{'clients':>9}  {'planted':>7}  {'found':>7}  {'seconds':>7}  {'recall':>7}  {'precision':>9}  "
            f"{'false pairs':>11}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        self.stdout.write(
            f"{result.clients:>9,}  {result.planted:>7,}  {result.found:>7,}  {result.seconds:>7.1f}  "
            f"{result.recall:>6.1%}  {result.precision:>8.1%}  {result.false_pairs:>11,}"
        )
        self.stdout.write(
            "\nrecall: the planted pairs found, of those planted. false pairs: pairs found that were not planted "
            "(invented names repeat: some are look-alikes a reviewer would also open; a copy registered outside its "
            "family shares the family's telephone)."
        )
        for target, met, figure in result.verdicts():
            self.stdout.write(f"{'PASS' if met else 'FAIL'}  {target}: {figure}")
        load_1, load_5, load_15 = os.getloadavg()
        self.stdout.write(f"Load average after: {load_1:.2f} {load_5:.2f} {load_15:.2f}.")

    def first_document_table(self, runs: int) -> None:
        self.stdout.write(
            "\nThe first document of a fresh server process: the WSGI application loaded as gunicorn loads it "
            f"(its warm-up included), then the Registration Receipt PDF printed once and {runs} times more\n"
        )
        result = first_document_bench(runs)
        header = f"{'start-up s':>10}  {'first ms':>8}  {'next median ms':>14}  {'ratio':>7}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        self.stdout.write(
            f"{result.startup_s:>10.2f}  {result.first_ms:>8.1f}  {result.warm_median_ms:>14.1f}  {result.ratio:>6.1f}x"
        )

    def search_table(self, sizes: list[int], runs: int) -> None:
        self.stdout.write(
            f"\nFind Client and the registration duplicate check: {runs} timed requests of each, "
            "one agency holding all the clients\n"
        )
        results = search_bench(sizes, runs, report=self.stdout.write)
        header = (
            f"{'clients':>9}  {'search':<36}  {'median ms':>9}  {'p95 ms':>8}  "
            f"{'bare SQL median':>15}  {'bare SQL p95':>12}  {'ratio':>7}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for result in results:
            self.stdout.write(
                f"{result.size:>9,}  {result.name:<36}  {result.median_ms:>9.2f}  {result.p95_ms:>8.2f}  "
                f"{result.sql_median_ms:>15.2f}  {result.sql_p95_ms:>12.2f}  {result.ratio:>6.1f}x"
            )
        load_1, load_5, load_15 = os.getloadavg()
        self.stdout.write(
            f"\nbare SQL: the statements the request ran for the search, re-run on a cursor. "
            f"Load average after: {load_1:.2f} {load_5:.2f} {load_15:.2f}."
        )

    def icare_table(self, size: int) -> None:
        self.stdout.write(
            "\niCARE Client Profile file (Download on the iCARE page): every client of an agency, all ready; "
            "peak memory by tracemalloc\n"
        )
        results = icare_bench(sorted({max(1, size // 10), size}), report=self.stdout.write)
        header = (
            f"{'clients':>9}  {'rows':>9}  {'seconds':>8}  {'clients/s':>9}  {'XlsxWriter s':>12}  {'ratio':>6}  "
            f"{'openpyxl s':>10}  {'peak MiB':>8}  {'traced s':>8}  {'file MiB':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for result in results:
            self.stdout.write(
                f"{result.size:>9,}  {result.rows:>9,}  {result.seconds:>8.1f}  "
                f"{result.rows / result.seconds if result.seconds else 0:>9,.0f}  {result.xlsxwriter_seconds:>12.1f}  "
                f"{result.ratio:>5.1f}x  {result.openpyxl_seconds:>10.1f}  {result.peak_mib:>8.1f}  "
                f"{result.traced_seconds:>8.1f}  {result.file_mib:>8.1f}"
            )
        self.stdout.write(
            "\nseconds: building the file and recording the export, untraced: the median of three runs after an "
            "untimed one, each run followed by one of the bare XlsxWriter (its median shown). XlsxWriter s, openpyxl "
            "s: the same rows, prepared beforehand as plain lists, written by the bare writer alone: XlsxWriter in "
            "constant-memory mode "
            "(the export's writer) and openpyxl's write-only workbook (its writer before); ratio: the export's seconds "
            "over XlsxWriter's. peak MiB: the most memory Python held during a last, traced run (traced s: its "
            "slower time). The peak stays flat as clients grow: rows are streamed to disk and clients read in chunks."
        )

    def select(self, only: list[str] | None) -> tuple[list[bench.Benchmark], set[str]]:
        """The request benchmarks, and the tables (TABLES), whose name contains a word of `only`; all of them
        without it."""
        if not only:
            return list(bench.BENCHMARKS), set(TABLES)
        words = [word.lower() for word in only]
        selected = [b for b in bench.BENCHMARKS if any(word in b.name.lower() for word in words)]
        tables = {table for table in TABLES if any(word in table for word in words)}
        if not selected and not tables:
            names = "\n  ".join([b.name for b in bench.BENCHMARKS] + [f"{table} (table)" for table in TABLES])
            raise CommandError(f"No benchmark's name contains {' or '.join(only)!r}. The benchmarks are:\n  {names}")
        return selected, tables
