"""`manage.py bench`: the table of figures `make bench` prints. Timings are never asserted."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from demo import bench
from reports.icare import returned

pytestmark = pytest.mark.django_db


def run_bench(**options) -> str:
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    defaults = {
        "runs": 3,
        "warmup": 1,
        "search_sizes": "0",
        "icare_size": 0,
        "first_document_runs": 0,
        "duplicates_size": 0,
        "load_seconds": 0,
        "hostile_rows": 0,
    }
    call_command("bench", stdout=out, **(defaults | options))
    return out.getvalue()


def database_named() -> str:
    """What the table must say of the database: its version on PostgreSQL, a warning on any other."""
    if connection.vendor != "postgresql":
        return f"{connection.display_name} (not PostgreSQL: these are not the figures to compare)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def table_rows(output: str) -> list[str]:
    """The lines between the table's rule and the note under it."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    return [line for line in lines[start:] if line.strip() and not line.startswith("Times in milliseconds")]


def test_it_prints_a_row_for_each_benchmark_and_names_the_baseline_and_the_database():
    output = run_bench()

    rows = table_rows(output)
    assert [row.split("  ")[0].strip() for row in rows] == [b.name for b in bench.BENCHMARKS]
    # Each row ends with its ratio and its number of queries: a page that reads the database says how often.
    counts = [int(re.search(r"x\s+(\d+)$", row).group(1)) for row in rows]
    assert counts[0] == 0  # the login page reads nothing
    assert min(counts[1:]) > 0
    assert "bare baseline (GET /health/)" in output
    assert "baseline median" in output
    # The whole line: "PostgreSQL" alone is also in the warning printed for any other database.
    assert f"\nDatabase:      {database_named()}\n" in output
    assert "Load average:" in output


def test_it_runs_only_the_benchmarks_asked_for():
    output = run_bench(only=["home"])

    assert [row.split("  ")[0].strip() for row in table_rows(output)] == ["home page (GET / as caseworker)"]


def test_it_refuses_a_name_no_benchmark_has():
    with pytest.raises(CommandError, match="login page"):
        run_bench(only=["no such page"])


def test_it_fails_loudly_when_a_page_does_not_answer_200(monkeypatch):
    # The home page without logging in redirects to the login page: quick, and worthless as a figure.
    anonymous_home = bench.Benchmark("anonymous home", run=lambda context: bench.get_ok(context, "/"))
    monkeypatch.setattr(bench, "BENCHMARKS", [anonymous_home])

    with pytest.raises(CommandError, match="anonymous home: GET / answered 302 instead of 200"):
        run_bench()


def test_it_says_to_load_the_demo_when_the_caseworker_is_missing():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("bench", runs=1, warmup=0, only=["home"], stdout=StringIO())


def test_it_prints_the_find_client_table_with_the_bare_sql_beside_each_search():
    out = run_bench(only=None, search_sizes="300", search_runs=5)

    table = out.split("Find Client and the registration duplicate check", 1)[1]
    for search in ("name with a typo", "phone", "identifier", "duplicate check (name + birth date)"):
        assert f"      300  {search}" in table
    assert "bare SQL median" in table


@pytest.mark.django_db(transaction=True)
def test_it_prints_the_first_document_of_a_fresh_process_beside_the_next_ones():
    # The fresh process reads the demo staff and writes its receipt's client: both must be committed.
    output = run_bench(runs=1, warmup=0, first_document_runs=2)

    table = output.split("The first document of a fresh server process", 1)[1]
    assert "printed once and 2 times more" in table
    assert re.search(r"^\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+x$", table, re.MULTILINE)


def test_it_prints_the_duplicate_scan_alone_with_its_recall_and_its_targets_met_or_not():
    output = run_bench(runs=1, warmup=0, duplicates_size=3000, only=["duplicates"])

    assert "baseline median" not in output  # the request benchmarks were not asked for
    table = output[output.index("The scan for possible duplicates") :]
    verdicts = re.findall(r"^(PASS|FAIL)  (.+): ", table, re.MULTILINE)
    assert [target for _verdict, target in verdicts] == [
        "under 60 s", "recall at least 95%", "fewer false pairs than true ones"
    ]  # fmt: skip
    assert {target: verdict for verdict, target in verdicts}["recall at least 95%"] == "PASS"
    clients, planted, found, _seconds, recall, precision, false_pairs = table_rows(table)[0].split()
    assert (clients, planted) == ("3,000", "30")
    true_pairs = round(float(recall.rstrip("%")) / 100 * 30)
    assert int(found) == int(false_pairs) + true_pairs
    assert true_pairs >= 29  # at least 95 % of the slips the scan is built to see
    assert float(precision.rstrip("%")) > 0


@pytest.mark.django_db(transaction=True)
def test_it_ends_with_a_load_run_against_gunicorn_beside_the_bare_view():
    # gunicorn and locust run in processes of their own: the users, sessions and drafts must be committed.
    output = run_bench(only=["load"], load_seconds=2, load_users=2, load_clients=50)

    table = output[output.index("Under load: 2 simulated caseworkers") :]
    rule = table.index("\n---")
    rows = {line[:30].strip(): line[30:].split() for line in table[rule:].split("\n\n")[0].splitlines()[2:]}
    assert {"bare view, no login", "bare view (GET /health/)", "day's mix", "Find Client"} <= rows.keys()
    for run, (requests, errors, *_timings) in rows.items():
        assert errors == "0", run
        if run in ("bare view, no login", "bare view (GET /health/)", "day's mix", "Find Client"):
            assert int(requests.replace(",", "")) > 0, run
    assert "error:" not in table
    assert re.search(r"The mix's throughput is [\d.]+% of the bare view's", table)


@pytest.mark.django_db(transaction=True)
def test_it_prints_what_each_of_the_audits_hostile_requests_now_gets(monkeypatch):
    # The threads that press New read the demo manager: it must be committed. A row limit made small, so that a
    # small file stands for the audit's 600,000 rows.
    monkeypatch.setattr(returned, "MAX_ROWS", 1_000)
    output = run_bench(only=["hostile"], hostile_rows=2_000)

    table = output[output.index("The audit's hostile requests") :]
    lines = [(re.split(r"\s{2,}", line.strip())[0], line) for line in table_rows(table)]
    rows = dict(lines)
    assert rows["NUL in a wizard field (First Name)"].endswith("200, “control character”")
    assert rows["family code F-²²²²-A"].endswith("200, “not a family code”")
    assert rows["then every later step (GET)"].endswith("  200")
    assert rows["identifiers-TOTAL_FORMS=2000"].endswith("200, “At most 10 rows”")
    assert rows["an upload of 40 MB"].endswith("200, “larger than 30 MB”")
    refusals = [line for name, line in lines if name == "the worker's read"]
    assert len(refusals) == 5 and all("refused" in line for line in refusals)
    assert rows["New, 400 presses by 4 people at once"].endswith("0 codes twice")
