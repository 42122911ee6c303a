"""Every required-field rule of a named client, stated once.

Green (OCMS) rules block Register; yellow (ICARE) rules never block: they warn, list what is missing,
and decide whether a client is ready for iCARE. The wizard's and the profile's forms, the markers on the
page, the profile's badge (Client.icare_missing) and the iCARE export all read this table.

A rule is judged on *facts*: a flat dict of a client's values (see `facts_from_client`), where the
registration wizard's draft gives the same keys before the client exists.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import groupby
from operator import attrgetter
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agencies.models import page_is_french
from clients.sections import SectionName as S
from clients.sections import section_named

Facts = dict[str, Any]


class Level(StrEnum):
    OCMS = "ocms"  # green: required by OCMS to save
    ICARE = "icare"  # yellow: required for iCARE reporting


def research_consent_yes(facts: Facts) -> bool:
    return facts.get("research_consent") is True


def consent_required(facts: Facts) -> bool:
    return facts.get("consent_required") is True


# What a field holds when nothing is filled in.
UNFILLED = (None, "", [], False)


def has_icare_identifier(facts: Facts) -> bool:
    return any(is_icare and value for is_icare, value in facts.get("identifiers", []))


def has_email_or_phone(facts: Facts) -> bool:
    return bool(facts.get("email")) or bool(facts.get("phone"))


def required_to_register(label) -> str | Promise:
    """What a green field left empty says, in the wizard and on the anonymous form alike."""
    return _("%(label)s is required by OCMS: fill it in to register the client.") % {"label": label}


@dataclass(frozen=True)
class Rule:
    key: str  # the form field the rule marks (or a name for a rule over several fields)
    level: Level
    label: str | Promise
    step: S  # the profile section (and wizard step) where it is fixed
    when: Callable[[Facts], bool] | None = None
    present: Callable[[Facts], bool] | None = None
    message: str | Promise | None = None
    fields: tuple[str, ...] = ()  # the form fields shaded for a rule over several fields

    def applies(self, facts: Facts) -> bool:
        return self.when is None or self.when(facts)

    def is_met(self, facts: Facts) -> bool:
        if self.present is not None:
            return self.present(facts)
        return facts.get(self.key) not in UNFILLED

    @property
    def error(self) -> str | Promise:
        if self.message:
            return self.message
        if self.level == Level.OCMS:
            return required_to_register(self.label)
        return _("%(label)s is required for iCARE reporting.") % {"label": self.label}

    @property
    def error_when_editing(self) -> str | Promise:
        """The error, said on a section edit of a registered client rather than in the wizard."""
        if self.message or self.level != Level.OCMS:
            return self.error
        return _("%(label)s is required by OCMS: fill it in to save the profile.") % {"label": self.label}

    @property
    def marked_fields(self) -> tuple[str, ...]:
        return self.fields or (self.key,)


# A consent contact's field, named with its contact ("Guardian: Name"; French puts a space before the colon).
CONTACT_FIELD = _("{kind}: {field}")

IDENTIFIER_ALERT = _(
    "This client has no FOSS/GCMS Client ID, Temporary Resident or Minister's Permit Number, or IMM5292, "
    "IMM5509, IMM1000 Number. You can register the client without it, but you need one to report this "
    "client to iCARE."
)

RULES: tuple[Rule, ...] = (
    # Privacy
    Rule(
        "privacy_confirmed",
        Level.OCMS,
        _("Privacy/Confidentiality Statement"),
        S.PRIVACY,
        message=_(
            "A named client can only be registered once they have read and understood your agency's "
            "Privacy/Confidentiality Statement."
        ),
    ),
    # About Your Client (Primary Information)
    Rule("first_name", Level.OCMS, _("First Name"), S.PRIMARY),
    Rule("last_name", Level.OCMS, _("Last Name"), S.PRIMARY),
    Rule("gender", Level.OCMS, _("Gender"), S.PRIMARY),
    Rule("date_of_birth", Level.OCMS, _("Date of Birth"), S.PRIMARY),
    Rule("official_language", Level.ICARE, _("Preferred Official Language"), S.PRIMARY),
    # Immigration Related
    Rule(
        "research_consent",
        Level.ICARE,
        _("Consent for Future Research/Consultation"),
        S.IMMIGRATION,
        present=lambda facts: facts.get("research_consent") in (True, False),
    ),
    # Identification Documents
    Rule(
        "identifiers",
        Level.ICARE,
        _("An iCARE client identifier with its value"),
        S.IDENTIFICATION,
        present=has_icare_identifier,
        message=IDENTIFIER_ALERT,
        fields=("identifier_type", "value"),
    ),
    # About Your Client (Contact Information)
    Rule("postal_code", Level.OCMS, _("Postal Code"), S.CONTACT),
    Rule(
        "email_or_phone",
        Level.ICARE,
        _("Email or Telephone Number"),
        S.CONTACT,
        when=research_consent_yes,
        present=has_email_or_phone,
        message=_("The client consented to future research: iCARE needs an email or a telephone number."),
        fields=("email", "phone"),
    ),
    Rule("street_number", Level.ICARE, _("Street Number"), S.CONTACT, when=research_consent_yes),
    Rule("street_name", Level.ICARE, _("Street Name"), S.CONTACT, when=research_consent_yes),
    Rule("city", Level.ICARE, _("City"), S.CONTACT, when=research_consent_yes),
    Rule("province", Level.ICARE, _("Province"), S.CONTACT, when=research_consent_yes),
    # Emergency Contact & Consent: a minor's three contacts become required.
    *(
        Rule(f"{kind}-{field}", Level.OCMS, label, S.CONSENT, when=consent_required)
        for kind, kind_label in (
            ("guardian", _("Guardian")),
            ("consenter", _("Person Giving Consent")),
            ("emergency", _("Emergency Contact")),
        )
        for field, label in (
            ("name", format_lazy(CONTACT_FIELD, kind=kind_label, field=_("Name"))),
            ("relationship", format_lazy(CONTACT_FIELD, kind=kind_label, field=_("Relationship"))),
            ("phone", format_lazy(CONTACT_FIELD, kind=kind_label, field=_("Telephone"))),
        )
    ),
    # Registration Summary
    Rule("primary_worker", Level.OCMS, _("Primary Worker"), S.SUMMARY),
    Rule("registration_date", Level.OCMS, _("Registration Date"), S.SUMMARY),
    Rule("registration_site", Level.OCMS, _("Registration Site"), S.SUMMARY),
)


RULES_OF_LEVEL = {level: [rule for rule in RULES if rule.level == level] for level in Level}
# Each level's rules in runs of neighbours with the same condition: a condition is asked once for its run (nine rules
# ask whether consent is required), and the iCARE file asks for every client of an agency.
RUNS_OF_LEVEL = {
    level: [(when, list(run)) for when, run in groupby(rules, key=attrgetter("when"))]
    for level, rules in RULES_OF_LEVEL.items()
}


def rules_for(step: S) -> list[Rule]:
    return [rule for rule in RULES if rule.step == step]


def unmet(facts: Facts, level: Level, step: S | None = None) -> list[Rule]:
    """The rules of a level (and step) that apply to these facts and are not met."""
    found = []
    for when, run in RUNS_OF_LEVEL[level]:
        if when is None or when(facts):
            found += [rule for rule in run if (step is None or rule.step == step) and not rule.is_met(facts)]
    return found


def field_levels(step: S, facts: Facts) -> dict[str, Level]:
    """Which fields of a step are shaded green or yellow, given what is known so far."""
    levels: dict[str, Level] = {}
    for rule in rules_for(step):
        if rule.applies(facts):
            for field in rule.marked_fields:
                if levels.get(field) != Level.OCMS:
                    levels[field] = rule.level
    return levels


def icare_missing(facts: Facts) -> list[Rule]:
    """What keeps a client from iCARE: every unmet yellow rule, and any unmet green one."""
    return unmet(facts, Level.OCMS) + unmet(facts, Level.ICARE)


# Dates that come in this order (the same day allowed), whichever path writes them: the wizard's steps, a section
# edit (against the client's other saved sections), the anonymous form. (earlier, later).
DATE_ORDERS: tuple[tuple[str, str], ...] = (
    ("date_of_birth", "landing_date"),
    ("date_of_birth", "arrival_date"),
    ("date_of_birth", "reentry_date"),
    ("arrival_date", "reentry_date"),
    ("date_of_birth", "registration_date"),
    ("date_of_birth", "first_visit_date"),
)
DATE_SECTIONS: dict[str, S] = {
    "date_of_birth": S.PRIMARY,
    "landing_date": S.IMMIGRATION,
    "arrival_date": S.IMMIGRATION,
    "reentry_date": S.IMMIGRATION,
    "registration_date": S.SUMMARY,
    "first_visit_date": S.IDENTIFICATION,
}


def where(name: S) -> str:
    """How a message names another section: by its heading ("Registration Summary"), or by its title where the
    heading has its own parentheses ("About Your Client (Primary Information)")."""
    section = section_named(name)
    heading = str(section.heading)
    return str(section.title) if "(" in heading else heading


def dates_out_of_order(facts: Facts, edited: Collection[str]) -> list[tuple[str, str]]:
    """(field, message) for each pair of DATE_ORDERS out of order in `facts`, put on the field being edited and
    naming the other date, its value and where it is ("The date of birth is after the Arrival Date 2019-03-10
    (Immigration Related)"). Pairs whose dates are both elsewhere are not this form's to judge."""
    from clients.models import Client  # the model reads this module's rules

    def label(name: str) -> str:
        return str(Client._meta.get_field(name).verbose_name)

    def in_sentence(text: str, *, naming: bool = False) -> str:
        """A label inside the sentence. English labels are in title case: the date the message is about goes to lower
        case, the other keeps its capitals to name the field. French ones are in sentence case ("Date de retour au
        Canada"): only their first letter goes to lower case, proper nouns kept."""
        if page_is_french():
            return text[:1].lower() + text[1:]
        return text if naming else text.lower()

    errors = []
    for earlier, later in DATE_ORDERS:
        first, second = facts.get(earlier), facts.get(later)
        if not first or not second or first <= second or not ({earlier, later} & set(edited)):
            continue
        if later in edited:
            message = _("The %(field)s is before the %(other)s %(value)s (%(place)s).")
            field, other, value = later, earlier, first
        else:
            message = _("The %(field)s is after the %(other)s %(value)s (%(place)s).")
            field, other, value = earlier, later, second
        if later in edited and earlier in edited:
            place_text = section_named(DATE_SECTIONS[other]).title  # the same page
        else:
            place_text = where(DATE_SECTIONS[other])
        errors.append(
            (
                field,
                message
                % {
                    "field": in_sentence(label(field)),
                    "other": in_sentence(label(other), naming=True),
                    "value": value.isoformat(),
                    "place": place_text,
                },
            )
        )
    return errors


ADULT_AGE = 18


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def minor_without_consent(facts: Facts, edited: Collection[str]) -> list[tuple[str, str]]:
    """(field, message) when the client is a minor on the Registration Date (today, before there is one) and
    Consent Required is No: the article's Consent Required is the minor's. Put on the field being edited."""
    from clients.models import Client

    born, required = facts.get("date_of_birth"), facts.get("consent_required")
    day = facts.get("registration_date") or timezone.localdate()
    involved = {"date_of_birth", "consent_required", "registration_date"} & set(edited)
    if not born or required is not False or not involved:
        return []
    if born > day:  # born after the day: dates_out_of_order says so, not a negative age
        return []
    age = age_on(born, day)
    if age >= ADULT_AGE:
        return []
    if "consent_required" in edited:
        message = _("The client is %(age)s on %(day)s (Date of Birth %(born)s, %(place)s): a minor needs consent.")
        return [
            (
                "consent_required",
                message
                % {
                    "age": age,
                    "day": day.isoformat(),
                    "born": born.isoformat(),
                    "place": where(S.PRIMARY),
                },
            )
        ]
    field = "date_of_birth" if "date_of_birth" in edited else "registration_date"
    message = _("This makes the client a minor (%(age)s on %(day)s), and %(other)s is No (%(place)s).")
    return [
        (
            field,
            message
            % {
                "age": age,
                "day": day.isoformat(),
                "other": Client._meta.get_field("consent_required").verbose_name,
                "place": where(S.CONSENT),
            },
        )
    ]


# Children's age groups (IRCC's list, domain.md): how each value begins, and the ages it is for in whole months
# (the last has no end). Pre-school runs to 6 years; School age is "more than 6 years".
CHILD_AGE_GROUPS: tuple[tuple[str, int, int | None], ...] = (
    ("Infant", 6, 18),
    ("Toddler", 19, 35),
    ("Pre-school", 36, 72),
    ("School age", 73, None),
)


def months_on(born: date, day: date) -> int:
    """Whole months from `born` to `day` (negative before the birth)."""
    return (day.year - born.year) * 12 + day.month - born.month - (day.day < born.day)


def age_group_for(months: int) -> str | None:
    """The start of the value of the age group for a child of that many months; None under 6 months."""
    for group, first, last in CHILD_AGE_GROUPS:
        if months >= first and (last is None or months <= last):
            return group
    return None


def age_group_label(group: str) -> str:
    """An age group as the page shows it (IRCC's value, or its French label), from how its value begins."""
    from agencies.models import IcareList, IcareValue  # only when there is something to say

    value = IcareValue.objects.of(IcareList.CHILD_AGE).filter(value__startswith=group).first()
    return str(value) if value else group


def as_date(value: date | str | None) -> date | None:
    """A fact's date: a date, or a date kept as YYYY-MM-DD (a draft keeps its facts as JSON)."""
    if isinstance(value, str):
        return date.fromisoformat(value) if value else None
    return value


def age_group_mismatch(born: date, group: str, day: date) -> dict | None:
    """What a message says when a child born on `born` is not of `group` on `day` (and is born by then): its age
    in months and the group it is of (None under 6 months); None when the group is right."""
    months = months_on(born, day)
    fits = age_group_for(months)
    if months < 0 or not group or (fits is not None and group.startswith(fits)):
        return None
    return {
        "months": months,
        "day": day.isoformat(),
        "born": born.isoformat(),
        "group": age_group_label(group),
        "fits": age_group_label(fits) if fits else None,
    }


def child_problems(child: Facts, facts: Facts) -> list[tuple[str, str]]:
    """(field, message) for one child row (name, date_of_birth, age_group: the value as IRCC spells it): born after
    the client, and of the age group chosen on the Registration Date (today, before there is one)."""
    born = as_date(child.get("date_of_birth"))
    if not born:
        return []
    problems = []
    client_born = as_date(facts.get("date_of_birth"))
    if client_born and born <= client_born:
        message = _("The child's date of birth is not after the client's Date of Birth %(value)s (%(place)s).")
        problems.append(("date_of_birth", message % {"value": client_born.isoformat(), "place": where(S.PRIMARY)}))
    day = as_date(facts.get("registration_date")) or timezone.localdate()
    if born > day:
        message = _("The child is born after %(day)s, the Registration Date.")
        problems.append(("date_of_birth", message % {"day": day.isoformat()}))
    mismatch = age_group_mismatch(born, child.get("age_group") or "", day)
    if mismatch and mismatch["fits"]:
        message = _("The child is %(months)s months old on %(day)s (born %(born)s): that is %(fits)s, not %(group)s.")
        problems.append(("age_group", message % mismatch))
    elif mismatch:
        message = _(
            "The child is %(months)s months old on %(day)s (born %(born)s), younger than iCARE's age groups, which "
            "begin at 6 months: leave the child out, or correct the date of birth."
        )
        problems.append(("age_group", message % mismatch))
    return problems


def children_out_of_step(facts: Facts, edited: Collection[str]) -> list[tuple[str, str]]:
    """(field, message) when a change to the client's Date of Birth or Registration Date goes against a child row
    of Emergency Contact & Consent: put on the field being edited, naming the child and the section."""
    place = where(S.CONSENT)
    client_born = as_date(facts.get("date_of_birth"))
    day = as_date(facts.get("registration_date"))
    errors = []
    for child in facts.get("children") or []:
        born = as_date(child.get("date_of_birth"))
        if not born:
            continue
        named = {"name": child["name"], "born": born.isoformat(), "place": place}
        if "date_of_birth" in edited and client_born and born <= client_born:
            message = _(
                "The date of birth is not before the date of birth of the client's child %(name)s, %(born)s "
                "(%(place)s)."
            )
            errors.append(("date_of_birth", message % named))
        if "registration_date" not in edited or not day:
            continue
        mismatch = age_group_mismatch(born, child.get("age_group") or "", day)
        if born > day:
            message = _(
                "The registration date is before the birth of the client's child %(name)s, %(born)s (%(place)s)."
            )
            errors.append(("registration_date", message % named))
        elif mismatch and mismatch["fits"]:
            message = _(
                "This makes the client's child %(name)s %(months)s months old on %(day)s (born %(born)s): that is "
                "%(fits)s, not %(group)s (%(place)s)."
            )
            errors.append(("registration_date", message % {**named, **mismatch}))
        elif mismatch:
            message = _(
                "This makes the client's child %(name)s %(months)s months old on %(day)s (born %(born)s), younger "
                "than iCARE's age groups, which begin at 6 months (%(place)s)."
            )
            errors.append(("registration_date", message % {**named, **mismatch}))
    return errors


def across_sections(facts: Facts, edited: Collection[str]) -> list[tuple[str, str]]:
    """Every check that spans sections, for whichever path writes a client."""
    return (
        dates_out_of_order(facts, edited) + minor_without_consent(facts, edited) + children_out_of_step(facts, edited)
    )


# The fields a client's facts hold as they are, and those of a list (held by the chosen item's id).
FACT_FIELDS = (
    "privacy_confirmed",
    "first_name",
    "last_name",
    "date_of_birth",
    "landing_date",
    "arrival_date",
    "reentry_date",
    "research_consent",
    "consent_required",
    "email",
    "street_number",
    "street_name",
    "city",
    "postal_code",
    "registration_date",
    "first_visit_date",
)
FACT_LIST_FIELDS = ("gender", "official_language", "province", "primary_worker", "registration_site")


def facts_of(
    values: dict[str, Any],
    identifiers: Collection[tuple[bool, str]],
    contacts: Collection[tuple[str, str, int | None, str]],
) -> Facts:
    """A saved client's facts from its values: FACT_FIELDS by name, FACT_LIST_FIELDS by their `<name>_id`, and
    "phone" as text (empty or not is all a rule reads); its identifiers as (of an iCARE type?, value) and its consent
    contacts as (kind, name, relationship id, phone as text)."""
    facts: Facts = {field: values[field] for field in FACT_FIELDS}
    for field in FACT_LIST_FIELDS:
        facts[field] = values[f"{field}_id"]
    facts["phone"] = values["phone"] or ""
    facts["identifiers"] = list(identifiers)
    for kind, name, relationship, phone in contacts:
        facts[f"{kind}-name"] = name
        facts[f"{kind}-relationship"] = relationship
        facts[f"{kind}-phone"] = phone or ""
    return facts


def phone_as_text(phone: Any) -> str:
    # Not `if phone` nor str(phone): a PhoneNumber's truth value validates the number, and str() validates it again
    # (the iCARE file checks every client of an agency); the stored text says whether there is one.
    return phone.raw_input if phone is not None and hasattr(phone, "raw_input") else str(phone or "")


def facts_from_client(client) -> Facts:
    """A saved client's facts, with the same keys as the wizard's."""
    values = {field: getattr(client, field) for field in FACT_FIELDS}
    values |= {f"{field}_id": getattr(client, f"{field}_id") for field in FACT_LIST_FIELDS}
    values["phone"] = phone_as_text(client.phone)
    identifiers = [(identifier.is_icare, identifier.value) for identifier in client.identifiers.all()]
    contacts = [
        (contact.kind, contact.name, contact.relationship_id, phone_as_text(contact.phone))
        for contact in client.consent_contacts.all()
    ]
    return facts_of(values, identifiers, contacts)


def facts_with_children(client) -> Facts:
    """A saved client's facts with its children, for the checks across sections of a section edit (a change of the
    Date of Birth or the Registration Date against their age groups). Readiness for iCARE never reads them."""
    children = [
        {"name": child.name, "date_of_birth": child.date_of_birth, "age_group": child.age_group.value}
        for child in client.children.select_related("age_group")
    ]
    return {**facts_from_client(client), "children": children}
