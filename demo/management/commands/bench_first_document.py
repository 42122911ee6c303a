"""Part of `make bench`: the first Registration Receipt of a fresh process, and the next ones
(demo/bench_first_document.py). Prints one line of JSON."""

import json

from django.core.management.base import BaseCommand, CommandParser

from demo.bench_first_document import first_document_measure


class Command(BaseCommand):
    help = "Start as a server process does, then time the first Registration Receipt PDF and the next ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=20, help="receipts timed after the first (default 20)")

    def handle(self, *args, runs: int, **options) -> None:
        self.stdout.write(json.dumps(first_document_measure(runs)))
