"""Families: joining a relative's family, and what a new family member starts with."""

import secrets

from django.db import IntegrityError, transaction

from agencies.models import Agency
from clients.models import CONTACT_FIELDS, Client, Family
from clients.models.family import family_code_of
from clients.sections import SectionName

# A new code has four digits while the agency has fewer families than this, six while fewer than the next, then
# eight: a fresh draw hits a code in use at most three times in ten.
FOUR_DIGITS_BELOW = 3_000
SIX_DIGITS_BELOW = 300_000


def family_code_width(agency: Agency) -> int:
    """How many digits a new code of the agency has."""
    families = Family.objects.for_agency(agency).count()
    return 4 if families < FOUR_DIGITS_BELOW else 6 if families < SIX_DIGITS_BELOW else 8


def family_reserve(*, agency: Agency) -> Family:
    """A new family of the agency with a fresh code, e.g. F-4821-K (short enough to read aloud, with a check
    letter), saved at once: the code is the family's from the moment it is handed out, so two people pressing
    "New" together can never be handed the same one. A code drawn twice is refused by the database's unique
    constraint and drawn again. A family no client joined is removed after a while (clean_expired)."""
    width = family_code_width(agency)
    while True:
        code = family_code_of(f"{secrets.randbelow(10**width):0{width}d}")
        try:
            with transaction.atomic():
                return Family.objects.create(agency=agency, code=code)
        except IntegrityError:
            continue


# What a family member registered from a relative starts with (domain.md, the help article): the last
# name, the immigration dates and origin, the official language and the contact information. Nothing
# else: no other name, no identifier, nothing sensitive.
PREFILL_FIELDS: dict[SectionName, tuple[str, ...]] = {
    SectionName.PRIMARY: ("last_name", "official_language"),
    SectionName.IMMIGRATION: (
        "landing_date",
        "arrival_date",
        "reentry_date",
        "country_of_origin",
        "last_residence",
        "immigration_class",
    ),
    SectionName.CONTACT: CONTACT_FIELDS,
}


def relatives_of_new_member(*, agency: Agency, family_code: str = "", relative: Client | None = None) -> set[int]:
    """The clients a new client is registered as a relative of: the members of the family whose code was typed or
    chosen, the relative the registration was begun from, and that relative's family."""
    families = Family.objects.for_agency(agency).filter(code=family_code) if family_code else Family.objects.none()
    ids = set(Client.objects.filter(family__in=families).values_list("pk", flat=True))
    if relative is not None and relative.agency_id == agency.pk:
        ids.add(relative.pk)
        if relative.family_id:
            ids |= set(relative.family.members.values_list("pk", flat=True))
    return ids


@transaction.atomic
def family_of(*, client: Client) -> Family:
    """The client's family; a new one, with a fresh code, when the client has none yet."""
    if client.family_id:
        return client.family
    client.family = family_reserve(agency=client.agency)
    client.save(update_fields=["family", "updated_at"])
    return client.family


def as_form_value(client: Client, field_name: str) -> str | bool:
    """A client's value as the registration form would post it."""
    field = Client._meta.get_field(field_name)
    value = getattr(client, field.attname)
    if field_name == "postal_code":
        return client.postal_code_display
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if hasattr(value, "as_international"):  # a phone number: keep its country code
        return value.as_international
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def family_member_prefill(*, relative: Client) -> dict[str, dict[str, str | bool]]:
    """A new family member's starting values, by wizard step, copied from a relative (and the family code)."""
    family = family_of(client=relative)
    prefill: dict[str, dict[str, str | bool]] = {}
    for step, fields in PREFILL_FIELDS.items():
        values = {name: as_form_value(relative, name) for name in fields}
        prefill[step] = {name: value for name, value in values.items() if value not in ("", False)}
    prefill[SectionName.PRIMARY]["family_code"] = family.code
    return prefill
