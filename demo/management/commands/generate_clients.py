import time

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from clients.models import Client
from demo.generate import clients_generate


class Command(BaseCommand):
    help = "Add invented clients (names of many origins, families, identifiers, phones) to an agency."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, required=True, help="How many clients to add.")
        parser.add_argument("--agency", required=True, help="The agency's name, e.g. 'Maple Settlement Services'.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed gives the same people.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Add them only if the agency has no clients yet (for demos)."
        )
        parser.add_argument(
            "--icare-ready",
            type=float,
            default=0.7,
            metavar="SHARE",
            help="About this share of the families (0 to 1) complete for iCARE: address, official language of "
            "preference and identifier; the others lack what only iCARE asks for (default 0.7).",
        )

    def handle(self, *args, count: int, agency: str, seed: int, if_empty: bool, icare_ready: float, **options) -> None:
        if not 0 <= icare_ready <= 1:
            raise CommandError("--icare-ready is a share between 0 and 1, e.g. 0.7.")
        try:
            target = Agency.objects.get(name=agency)
        except Agency.DoesNotExist:
            raise CommandError(f"There is no agency named {agency!r}.") from None
        if if_empty and Client.objects.for_agency(target).exists():
            return
        staff = target.staff.select_related("user").first()
        if staff is None:
            raise CommandError(f"{agency} has no staff: the clients need someone who created them.")
        started = time.perf_counter()
        made = clients_generate(
            agency=target, count=count, created_by=staff.user, seed=seed, history=True, icare_share=icare_ready
        )
        self.stdout.write(f"Added {made} clients to {target} in {time.perf_counter() - started:.1f} s.")
