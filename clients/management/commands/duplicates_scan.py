"""Queue a scan for possible duplicates of every agency (or of one), for the background worker. Run it nightly
(README, Production); a coordinator can also start one from the Possible Duplicates page."""

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from clients.tasks import duplicate_scan_request


class Command(BaseCommand):
    help = "Queue a scan of each agency's named clients for possible duplicates (the worker runs it)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", help="Only the agency of this name.")

    def handle(self, *args, agency: str | None, **options) -> None:
        agencies = Agency.objects.order_by("name")
        if agency:
            agencies = agencies.filter(name=agency)
            if not agencies.exists():
                raise CommandError(f"No agency is named {agency!r}.")
        for each in agencies:
            if duplicate_scan_request(agency=each) is None:
                self.stdout.write(f"{each.name}: a scan is already waiting or running.")
            else:
                self.stdout.write(f"{each.name}: scan queued.")
