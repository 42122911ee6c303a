"""Families: joining a relative's family, and what a new family member starts with."""

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from agencies.templatetags.ocms_format import phone
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


# Whether an e-mail address or telephone number is safe to use is confirmed with each client (the help article): a
# relative's answer is not the new member's, even for a number they share.
CONFIRMED_WITH_EACH = ("email_safe", "phone_safe")

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
    SectionName.CONTACT: tuple(name for name in CONTACT_FIELDS if name not in CONFIRMED_WITH_EACH),
}


def relatives_of_new_member(*, agency: Agency, family_code: str = "", relative: Client | None = None) -> set[int]:
    """The clients a new client is registered as a relative of: the members of the family whose code was typed or
    chosen, the relative the registration was begun from, and that relative's family."""
    ids = set()
    if family_code:
        families = Family.objects.for_agency(agency).filter(code=family_code)
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


def as_read(client: Client, field_name: str) -> str:
    """A client's value as a person reads it: the list value's words, the country's name, Yes."""
    value = getattr(client, field_name)
    if field_name == "postal_code":
        return client.postal_code_display
    if isinstance(value, bool):
        return str(_("Yes")) if value else str(_("No"))
    if hasattr(value, "as_international"):
        return phone(value)  # as every page writes it: "(613) 481-0323"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "code"):  # a country
        return str(value.name)
    return str(value)


@dataclass(frozen=True)
class Copyable:
    """One value a new family member may start with, copied from a relative."""

    step: SectionName
    name: str
    label: str
    value: str | bool  # as the registration form posts it
    read: str  # as a person reads it

    @property
    def key(self) -> str:
        """How the caseworker's tick names it."""
        return f"{self.step}.{self.name}"


def family_member_prefill(*, relative: Client) -> list[Copyable]:
    """What a new family member may start with from a relative (domain.md): the relative's values of the listed
    fields that are filled in, by wizard step. The caseworker chooses which are copied."""
    copyable = []
    for step, fields in PREFILL_FIELDS.items():
        for name in fields:
            value = as_form_value(relative, name)
            if value not in ("", False):
                label = capfirst(str(Client._meta.get_field(name).verbose_name))
                copyable.append(Copyable(step, name, label, value, as_read(relative, name)))
    return copyable


def family_first_member(*, agency: Agency, code: str) -> Client | None:
    """The relative whose values a client joining the family with this code is offered: its first named member."""
    return (
        Client.objects.for_agency(agency).named().filter(family__code=code).order_by("number").first() if code else None
    )
