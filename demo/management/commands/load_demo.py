"""Load the demo agencies and their staff. Safe to run again: nothing is duplicated or reset."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from agencies.lists import agency_lists_seed
from agencies.models import Agency, Program, Role, Site, SiteGroup, StaffProfile

# Demo only: every demo login shares this password, which the README and `make run` print.
DEMO_PASSWORD = "ocms-demo-2026"

PRIVACY_STATEMENT = (
    "Maple Settlement Services collects your personal information to give you settlement services and to "
    "report anonymised statistics to our funders. Only our staff can see your file. You may ask to see or "
    "correct it at any time."
)

DEMO_AGENCIES = [
    {
        "name": "Maple Settlement Services",
        "street_address": "120 Queen Street West",
        "city": "Toronto",
        "province": "Ontario",
        "postal_code": "M5H 2N2",
        "phone": "416-555-0142",
        "programs": ["Settlement", "Language Training", "Employment"],
        "sites": {
            "Non-schools or Reception Centres": ["Maple Main Office", "Welcome Centre Scarborough"],
            "Schools": ["Riverside Public School", "Lakeview Secondary School"],
        },
        "staff": [
            # username, first, last, role, may unlock sensitive, may upload to iCARE
            ("caseworker", "Priya", "Raman", Role.CASEWORKER, True, False),
            ("caseworker2", "Daniel", "Okafor", Role.CASEWORKER, False, False),
            ("coordinator", "Sophie", "Tremblay", Role.COORDINATOR, False, False),
            ("manager", "Marcus", "Lindqvist", Role.MANAGER, True, True),
        ],
    },
    {
        "name": "Harbour Newcomer Centre",
        "street_address": "8 Harbour Road",
        "city": "Halifax",
        "province": "Nova Scotia",
        "postal_code": "B3J 1A1",
        "phone": "902-555-0177",
        "programs": ["Settlement"],
        "sites": {"Non-schools or Reception Centres": ["Harbour Front Office"]},
        "staff": [("outsider", "Olivia", "Chen", Role.CASEWORKER, True, True)],
    },
]


class Command(BaseCommand):
    help = "Create the demo agencies, their programs, sites, lists and staff logins (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        user_model = get_user_model()
        for spec in DEMO_AGENCIES:
            agency, _ = Agency.objects.get_or_create(
                name=spec["name"],
                defaults={key: spec[key] for key in ("street_address", "city", "province", "postal_code", "phone")}
                | {"privacy_statement": PRIVACY_STATEMENT.replace("Maple Settlement Services", spec["name"])},
            )
            agency_lists_seed(agency=agency)
            programs = [Program.objects.get_or_create(agency=agency, name=name)[0] for name in spec["programs"]]
            first_site = None
            for group_name, site_names in spec["sites"].items():
                group, _ = SiteGroup.objects.get_or_create(agency=agency, name=group_name)
                for site_name in site_names:
                    site, _ = Site.objects.get_or_create(agency=agency, name=site_name, defaults={"group": group})
                    first_site = first_site or site
            for username, first, last, role, sensitive, icare in spec["staff"]:
                user, created = user_model.objects.get_or_create(
                    username=username,
                    defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                profile, _ = StaffProfile.objects.get_or_create(
                    user=user,
                    defaults={
                        "agency": agency,
                        "role": role,
                        "default_site": first_site,
                        "may_unlock_sensitive": sensitive,
                        "may_upload_icare": icare,
                    },
                )
                profile.programs.add(*programs)
        if not user_model.objects.filter(username="admin").exists():
            user_model.objects.create_superuser("admin", "admin@example.org", DEMO_PASSWORD)

        self.stdout.write(
            f"Demo logins (password for all: {DEMO_PASSWORD}):\n"
            "  caseworker, caseworker2, coordinator, manager  - Maple Settlement Services\n"
            "  outsider                                       - Harbour Newcomer Centre\n"
            "  admin                                          - superuser, for the Django admin"
        )
