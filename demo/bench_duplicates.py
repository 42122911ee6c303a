"""The scan for possible duplicates over one agency of invented clients, with duplicates planted on purpose.

The agency is filled with invented clients (demo/generate.py), one in a hundred of them is registered a second
time with a slip in the name and, as people's numbers and addresses change, often another telephone or email or none
(demo.generate.duplicates_plant), and the whole scan is timed as the worker runs it (reading the clients, grouping
and comparing them, recording the pairs). Recall: the planted pairs found, of those planted;
false pairs: the pairs found that were not planted (invented names repeat, so some are honest look-alikes).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from clients.models import Client
from clients.scan import duplicates_find, pairs_record
from demo.bench import tables_settle
from demo.bench_search import bench_agency, fill_to
from demo.generate import duplicates_plant

AGENCY = "Bench Duplicates Agency"
# One client in this many is planted again.
PLANTED_EVERY = 100
# The targets for the scan of 100,000 clients: under a minute, at least 95 % of the planted duplicates
# found, and fewer false pairs than true ones.
TARGET_SECONDS = 60
TARGET_RECALL = 0.95


@dataclass(frozen=True)
class ScanResult:
    clients: int
    planted: int
    found: int
    true_pairs: int
    seconds: float

    @property
    def recall(self) -> float:
        return self.true_pairs / self.planted if self.planted else 1.0

    @property
    def false_pairs(self) -> int:
        return self.found - self.true_pairs

    @property
    def precision(self) -> float:
        return self.true_pairs / self.found if self.found else 1.0

    def verdicts(self) -> list[tuple[str, bool, str]]:
        """Each target: (what it asks, met, the figure)."""
        return [
            (f"under {TARGET_SECONDS} s", self.seconds < TARGET_SECONDS, f"{self.seconds:.1f} s"),
            (f"recall at least {TARGET_RECALL:.0%}", self.recall >= TARGET_RECALL, f"{self.recall:.1%}"),
            (
                "fewer false pairs than true ones",
                self.false_pairs < self.true_pairs,
                f"{self.false_pairs:,} false, {self.true_pairs:,} true",
            ),
        ]


def duplicates_bench(size: int, report: Callable[[str], None]) -> ScanResult:
    agency, staff = bench_agency(AGENCY, username="bench-duplicates")
    planted_count = size // PLANTED_EVERY
    report(f"Filling {AGENCY} to {size - planted_count:,} clients and planting {planted_count:,} duplicates ...\n")
    fill_to(agency, staff, size - planted_count)
    planted = {frozenset(pair) for pair in duplicates_plant(agency=agency, count=planted_count, created_by=staff.user)}
    tables_settle(vacuum=True)
    started = time.perf_counter()
    found = duplicates_find(agency)
    pairs_record(agency, found)
    seconds = time.perf_counter() - started
    keys = {frozenset(key) for key in found}
    return ScanResult(
        clients=Client.objects.for_agency(agency).count(),
        planted=len(planted),
        found=len(keys),
        true_pairs=len(keys & planted),
        seconds=seconds,
    )
