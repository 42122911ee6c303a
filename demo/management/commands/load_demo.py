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
PRIVACY_STATEMENT_FR = (
    "Maple Settlement Services recueille vos renseignements personnels pour vous offrir des services "
    "d'établissement et pour transmettre des statistiques anonymisées à nos bailleurs de fonds. Seul notre "
    "personnel peut consulter votre dossier. Vous pouvez demander à le consulter ou à le corriger en tout temps."
)

DEMO_AGENCIES = [
    {
        "name": "Maple Settlement Services",
        "street_address": "120 Queen Street West",
        "city": "Toronto",
        "province": "Ontario",
        "postal_code": "M5H 2N2",
        "phone": "416-555-0142",
        # Each name in English and in French.
        "programs": [
            ("Settlement", "Établissement"),
            ("Language Training", "Formation linguistique"),
            ("Employment", "Emploi"),
        ],
        "sites": {
            ("Non-schools or Reception Centres", "Hors des écoles ou centres d'accueil"): [
                ("Maple Main Office", "Bureau principal Maple"),
                ("Welcome Centre Scarborough", "Centre d'accueil Scarborough"),
            ],
            ("Schools", "Écoles"): [
                ("Riverside Public School", "École publique Riverside"),
                ("Lakeview Secondary School", "École secondaire Lakeview"),
            ],
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
        "programs": [("Settlement", "Établissement")],
        "sites": {
            ("Non-schools or Reception Centres", "Hors des écoles ou centres d'accueil"): [
                ("Harbour Front Office", "Bureau du port")
            ]
        },
        "staff": [("outsider", "Olivia", "Chen", Role.CASEWORKER, True, True)],
    },
]


def french_fill(row, **french: str):
    """Give a demo row its French text, unless it has one already (a demo agency may have edited it)."""
    blank = {field: text for field, text in french.items() if not getattr(row, field)}
    if blank:
        for field, text in blank.items():
            setattr(row, field, text)
        row.save(update_fields=list(blank))
    return row


class Command(BaseCommand):
    help = "Create the demo agencies, their programs, sites, lists and staff logins (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        user_model = get_user_model()
        for spec in DEMO_AGENCIES:
            agency, _ = Agency.objects.get_or_create(
                name=spec["name"],
                defaults={key: spec[key] for key in ("street_address", "city", "province", "postal_code", "phone")}
                | {
                    "privacy_statement": PRIVACY_STATEMENT.replace("Maple Settlement Services", spec["name"]),
                    "privacy_statement_fr": PRIVACY_STATEMENT_FR.replace("Maple Settlement Services", spec["name"]),
                },
            )
            french_fill(
                agency, privacy_statement_fr=PRIVACY_STATEMENT_FR.replace("Maple Settlement Services", spec["name"])
            )
            agency_lists_seed(agency=agency)
            programs = [
                french_fill(Program.objects.get_or_create(agency=agency, name=name)[0], name_fr=name_fr)
                for name, name_fr in spec["programs"]
            ]
            first_site = None
            for (group_name, group_fr), site_names in spec["sites"].items():
                group = french_fill(
                    SiteGroup.objects.get_or_create(agency=agency, name=group_name)[0], name_fr=group_fr
                )
                for site_name, site_fr in site_names:
                    site, _ = Site.objects.get_or_create(agency=agency, name=site_name, defaults={"group": group})
                    french_fill(site, name_fr=site_fr)
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
