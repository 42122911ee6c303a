"""The iCARE Client Profile file at scale: how long a whole agency's export takes, and its peak memory, beside the
bare spreadsheet writers writing the same rows.

An agency of its own for each size is filled with invented clients (demo/generate.py) and made
iCARE-ready in bulk, then the file is built as the Download button builds it: once untimed, three times timed
plainly, each time followed by the bare writer (the medians compare), and once under tracemalloc for the peak of
Python's memory. Each export is rolled back, so the figures can be taken again on the same clients. Built at a
tenth of the size too: bounded memory means the peak stays flat while the clients grow tenfold.

The floor: the file's rows, prepared beforehand as plain lists of text, written by the bare writer alone, XlsxWriter
in constant-memory mode (what the export uses) and openpyxl's write-only workbook (what it used before), so the
export's time reads as a multiple of the writing it cannot avoid.
"""

import gc
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Exists, Max, Min, OuterRef
from openpyxl import Workbook as OpenpyxlWorkbook
from xlsxwriter import Workbook as XlsxWorkbook

from agencies.lists import agency_lists_seed
from agencies.models import (
    Agency,
    AgencyList,
    IcareList,
    IcareValue,
    ListItem,
    Program,
    Role,
    Site,
    SiteGroup,
    StaffProfile,
)
from clients.models import Client, Identifier, identifier_key
from demo.bench import BenchmarkError, tables_settle, timed
from demo.generate import clients_generate, uci
from reports.icare import Include, icare_candidates, icare_export_build
from reports.icare.check import checked_clients
from reports.icare.file import COLUMNS, FIRST_DATA_ROW, LAYOUT, SHEET_NAME, client_values

AGENCY = "iCARE Bench Agency"
# The export and the bare writer are each timed this many times, in turns; the table shows the medians.
ROUNDS = 3


@dataclass(frozen=True)
class IcareBenchResult:
    size: int
    rows: int
    seconds: float
    traced_seconds: float
    peak_mib: float
    file_mib: float
    xlsxwriter_seconds: float  # the same rows, prepared beforehand, written by the bare writers
    openpyxl_seconds: float

    @property
    def ratio(self) -> float:
        """The export's time over the bare writer's it uses (XlsxWriter)."""
        return self.seconds / self.xlsxwriter_seconds if self.xlsxwriter_seconds else 0.0


def bench_agency(size: int) -> tuple[Agency, StaffProfile]:
    agency, _ = Agency.objects.get_or_create(name=f"{AGENCY} ({size:,})")
    agency_lists_seed(agency=agency)
    program, _ = Program.objects.get_or_create(agency=agency, name="Settlement")
    group, _ = SiteGroup.objects.get_or_create(agency=agency, name="Non-schools or Reception Centres")
    site, _ = Site.objects.get_or_create(agency=agency, name="iCARE Bench Office", defaults={"group": group})
    user, _ = get_user_model().objects.get_or_create(username=f"icare-bench-manager-{size}")
    staff, _ = StaffProfile.objects.get_or_create(
        user=user,
        defaults={"agency": agency, "role": Role.MANAGER, "default_site": site, "may_upload_icare": True},
    )
    staff.programs.add(program)
    return agency, staff


def ready_clients(agency: Agency, staff: StaffProfile, size: int) -> float:
    """Fill the agency to `size` clients, every one iCARE-ready; returns the seconds it took."""
    started = time.perf_counter()
    have = Client.objects.filter(agency=agency).count()
    if size <= have:
        return 0.0
    clients_generate(agency=agency, count=size - have, created_by=staff.user, seed=size + 7)
    tables_settle(vacuum=False)  # the planner should know the tables grew before the bulk updates below
    values = {v.list + v.value: v for v in IcareValue.objects.all()}
    # The generator leaves out what only iCARE needs: the language of preference and, for clients who
    # consented to research, the street address.
    Client.objects.filter(agency=agency, official_language__isnull=True).update(
        official_language=values[IcareList.OFFICIAL_LANGUAGE + "English"],
        street_number="100",
        street_name="Queen",
        street_type=values[IcareList.STREET_TYPE + "Street"],
        street_direction=values[IcareList.STREET_DIRECTION + "W - West"],
        city="Toronto",
        province=values[IcareList.PROVINCE + "Ontario"],
    )
    foss = ListItem.objects.for_agency(agency).of(AgencyList.IDENTIFIER_TYPE).get(label="FOSS/GCMS Client ID")
    rng = random.Random(size)
    # NOT EXISTS, not exclude()'s NOT IN: PostgreSQL turns the latter quadratic once it outgrows work_mem.
    has_foss = Identifier.objects.filter(client=OuterRef("pk"), identifier_type=foss)
    without = Client.objects.filter(agency=agency).filter(~Exists(has_foss)).values_list("pk", flat=True)
    batch: list[Identifier] = []
    for pk in without.iterator(chunk_size=5000):
        value = uci(rng)
        batch.append(Identifier(client_id=pk, identifier_type=foss, value=value, value_key=identifier_key(value)))
        if len(batch) >= 5000:
            Identifier.objects.bulk_create(batch)
            batch = []
    Identifier.objects.bulk_create(batch)
    tables_settle(vacuum=False)
    return time.perf_counter() - started


def registration_dates(agency: Agency) -> dict:
    """The first and last registration dates of the agency's clients: a choice holding every client."""
    return Client.objects.filter(agency=agency).aggregate(first=Min("registration_date"), last=Max("registration_date"))


def export_once(agency: Agency, staff: StaffProfile) -> tuple[int, int]:
    """Build the file of every client of the agency, then roll back; returns (rows, file bytes)."""
    dates = registration_dates(agency)
    with tempfile.TemporaryFile() as destination, transaction.atomic():
        export = icare_export_build(
            agency=agency,
            created_by=staff.user,
            date_from=dates["first"],
            date_to=dates["last"],
            program=None,
            include=Include.ALL,
            destination=destination,
        )
        rows = export.client_count
        destination.seek(0, 2)
        length = destination.tell()
        transaction.set_rollback(True)
    if connection.vendor == "postgresql":
        # The rolled-back rows stay in the table until vacuumed: fresh statistics keep the next run's
        # "exported before?" look-ups on the index rather than scanning past them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reports_icareexportrow")
    return rows, length


def file_rows(agency: Agency) -> list[list[str | None]]:
    """The rows the export writes for every client of the agency, as plain lists (read as the export reads them)."""
    dates = registration_dates(agency)
    clients = icare_candidates(
        agency=agency, date_from=dates["first"], date_to=dates["last"], include=Include.ALL
    ).order_by("number")
    rows, written = [], set()
    for client, missing in checked_clients(clients, uploads=False):
        key = client.icare_identifier.value_key if not missing else None
        if key is not None and key not in written:
            written.add(key)
            rows.append(client_values(client))
    return rows


def headings() -> list[list[str | None]]:
    rows: list[list[str | None]] = [[] for _ in range(FIRST_DATA_ROW - 1)]
    rows[LAYOUT["title_row"] - 1] = [LAYOUT["title_text"]]
    rows[LAYOUT["code_row"] - 1] = [column["code"] for column in COLUMNS]
    rows[LAYOUT["label_row"] - 1] = [column["label"] for column in COLUMNS]
    return rows


def xlsxwriter_bare(rows: list[list[str | None]]) -> float:
    """Seconds for XlsxWriter (constant memory) to write the rows, every value as text, to a file."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as destination:
        workbook = XlsxWorkbook(destination, {"constant_memory": True})
        sheet = workbook.add_worksheet(SHEET_NAME)
        for number, row in enumerate(headings() + rows):
            for column, value in enumerate(row):
                if value is not None:
                    sheet.write_string(number, column, value)
        workbook.close()
    return time.perf_counter() - started


def openpyxl_bare(rows: list[list[str | None]]) -> float:
    """Seconds for openpyxl's write-only workbook to write the rows to a file."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as destination:
        workbook = OpenpyxlWorkbook(write_only=True)
        sheet = workbook.create_sheet(SHEET_NAME)
        for row in headings() + rows:
            sheet.append(row)
        workbook.save(destination)
    return time.perf_counter() - started


def icare_bench(sizes: list[int], report: Callable[[str], None], rounds: int = ROUNDS) -> list[IcareBenchResult]:
    results = []
    for size in sorted(sizes):
        agency, staff = bench_agency(size)
        seconds = ready_clients(agency, staff, size)
        if seconds > 1:
            report(f"  filled an iCARE bench agency with {size:,} ready clients in {seconds:.0f} s")
        rows, length = export_once(agency, staff)  # untimed: the first read of the clients brings them into memory
        rows_written = file_rows(agency)
        if len(rows_written) != rows:
            raise BenchmarkError(f"The bare writers would write {len(rows_written):,} rows, the export {rows:,}.")
        # The export and the bare writer in turns, so that a busy spell of the machine slows both.
        plain, bare_xlsxwriter = [], []
        for _ in range(rounds):
            gc.collect()
            plain.append(timed(partial(export_once, agency, staff))[1])
            gc.collect()
            bare_xlsxwriter.append(xlsxwriter_bare(rows_written))
        gc.collect()
        bare_openpyxl = openpyxl_bare(rows_written)
        del rows_written
        gc.collect()
        tracemalloc.start()
        _exported, traced = timed(partial(export_once, agency, staff))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results.append(
            IcareBenchResult(
                size=size,
                rows=rows,
                seconds=statistics.median(plain),
                traced_seconds=traced,
                peak_mib=peak / 2**20,
                file_mib=length / 2**20,
                xlsxwriter_seconds=statistics.median(bare_xlsxwriter),
                openpyxl_seconds=bare_openpyxl,
            )
        )
    return results
