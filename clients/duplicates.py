"""Likely duplicates of a client being registered: the same identifier, the same date of birth with a
similar name, or the same phone or e-mail, each candidate with the reasons it matched."""

import hashlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from agencies.models import Agency, ListItem
from agencies.rows import agency_items, icare_values
from agencies.statements import columns, rows_of, with_values
from clients.models import Client, DuplicatePair, Identifier, PairReason, PairStatus, identifier_key
from clients.rules import Level, Rule
from clients.sections import SectionName
from clients.text import fold

# Names at least this alike (0..1) on the same date of birth make a likely duplicate.
NAME_LIKENESS = 0.75
# What a candidate shows (registration/_duplicates.html): only these columns are read.
SHOWN = ("code", "number", "is_anonymous", "first_name", "last_name", "preferred_name", "date_of_birth")
# What the check compares of a client (with its identifiers): a pair decided "Different people" is offered again
# only once one of these changes.
COMPARED = ("first_name", "last_name", "preferred_name", "date_of_birth", "phone", "phone_alt1", "phone_alt2", "email")


@dataclass
class Candidate:
    client: Client | None  # None only while likely_duplicates gathers the reasons
    reasons: list[str] = field(default_factory=list)  # as the caseworker reads them
    kinds: list[str] = field(default_factory=list)  # the same, as PairReason values (scored as the scan scores them)
    likeness: float = 0.0  # of the names, when they are alike on one date of birth


@dataclass(frozen=True)
class NameForms:
    """A client's names as they are compared, folded: as typed ("first last", and "last first" for a swap), and as
    known ("first last", and "preferred last")."""

    typed: tuple[str, ...]
    known: tuple[str, ...]

    @property
    def words(self) -> set[str]:
        return {word for form in (*self.typed, *self.known) for word in form.split()}

    @cached_property
    def bounds(self) -> tuple[tuple[str, SequenceMatcher], ...]:
        """Each typed form, with a matcher that has analysed it once: every known form it is compared with is
        measured against it for the upper bounds of their likeness, which are symmetric (SequenceMatcher's
        real_quick_ratio and quick_ratio)."""
        return tuple((form, SequenceMatcher(None, b=form)) for form in self.typed)


def name_forms(first: str, last: str, preferred: str = "") -> NameForms:
    named = fold(f"{first} {last}")
    known = (named, fold(f"{preferred} {last}") if preferred else "")
    return NameForms((named, fold(f"{last} {first}")), tuple(form for form in known if form))


def forms_likeness(typed: NameForms, known: NameForms, least: float = NAME_LIKENESS) -> float:
    """How alike two clients' names are (0..1), whichever order first and last name were typed in and whichever
    name (first or preferred) is known; 0 when they are surely less alike than `least`.

    Most pairs compared are not alike at all: their bounds, measured against a typed form analysed once, rule them
    out; only a pair that may be alike is measured exactly (the typed form first, as SequenceMatcher's ratio is not
    quite symmetric)."""
    best = 0.0
    for mine, bound in typed.bounds:
        for theirs in known.known:
            bound.set_seq1(theirs)
            if bound.real_quick_ratio() >= least and bound.quick_ratio() >= least:
                best = max(best, SequenceMatcher(None, mine, theirs).ratio())
    return best


def known_forms(first: str, last: str, preferred: str) -> NameForms:
    """A client as the registration check knows it: by its name, and by its preferred name with its last name (its
    last name alone when it has no preferred name, so that a last name typed alone finds it)."""
    known = (fold(f"{first} {last}"), fold(f"{preferred} {last}"))
    return NameForms((), tuple(form for form in known if form))


def likely_duplicates(
    *,
    agency: Agency,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    identifiers: list[tuple] = (),
    phones: list[str] = (),
    emails: list[str] = (),
    exclude: Client | None = None,
    relatives: Collection[int] = (),
    limit: int = 10,
) -> list[Candidate]:
    """Existing named clients of the agency that may be the person being registered.

    `relatives`: the clients of the family the new client joins (and the relative it was registered from). A
    family shares its telephone and email, copied from one member to the next: those alone never make a relative a
    possible duplicate. A relative of the same date of birth and a similar name (a twin registered twice) still is.
    """
    found: dict[int, Candidate] = {}  # by the candidate's key; the client itself is read once all are known
    excluded: set[int] = set()
    if exclude is not None and exclude.pk:
        # The client itself, and those a reviewer decided are different people (neither changed since).
        excluded = {exclude.pk, *decided_different(agency, exclude)}

    def add(pk: int, reason: str, kind: str) -> Candidate:
        candidate = found.setdefault(pk, Candidate(None))
        if reason not in candidate.reasons:
            candidate.reasons.append(reason)
        if kind not in candidate.kinds:
            candidate.kinds.append(kind)
        return candidate

    # Each reason is looked up by a statement of its own (below).
    typed_ids = [(getattr(kind, "pk", kind), identifier_key(value)) for kind, value in identifiers if value]
    if typed_ids:
        types = agency_items(agency)
        keys = sorted({key for _type, key in typed_ids})
        for client_id, type_id, value, key in rows_of(IDENTIFIERS_HELD, agency.pk, *keys, values=len(keys)):
            kind = types.get(type_id) or ListItem.objects.get(pk=type_id)  # a type added since the process read them
            add(
                client_id,
                _("same %(type)s: %(value)s") % {"type": kind, "value": value}
                if (type_id, key) in typed_ids
                else _("same identifier value (%(type)s): %(value)s") % {"type": kind, "value": value},
                PairReason.IDENTIFIER,
            )
    if date_of_birth and (first_name or last_name):
        # The names of everyone born that day are compared here; only the alike are read whole.
        typed = name_forms(first_name, last_name)
        for pk, *names in rows_of(BORN_THAT_DAY, agency.pk, date_of_birth, BORN_THAT_DAY_READ + len(excluded)):
            likeness = forms_likeness(typed, known_forms(*names))
            if likeness >= NAME_LIKENESS:
                add(pk, _("same date of birth and a similar name"), PairReason.BIRTH_NAME).likeness = likeness
    not_by_contact = {*relatives, *excluded}
    stored = Client._meta.get_field("phone").get_prep_value  # a number typed any way, as phones are stored
    if phones := sorted({stored(p) for p in phones if p} - {None, ""}):
        same_phone = rows_of(
            SAME_PHONE, agency.pk, *phones, *phones, *phones, limit + len(not_by_contact), values=len(phones)
        )
        for pk in [pk for (pk,) in same_phone if pk not in not_by_contact][:limit]:
            add(pk, _("same telephone number"), PairReason.PHONE)
    if emails := sorted({e.upper() for e in emails if e}):
        same_email = rows_of(SAME_EMAIL, agency.pk, *emails, limit + len(not_by_contact), values=len(emails))
        for pk in [pk for (pk,) in same_email if pk not in not_by_contact][:limit]:
            add(pk, _("same email"), PairReason.EMAIL)
    for pk in excluded:
        found.pop(pk, None)
    if not found:
        return []
    read = columns(Client, connection.alias, "c", ("id", *SHOWN))
    statement = with_values(CANDIDATES, len(found), columns=read.sql)
    shown = {client.pk: client for client in read.records(rows_of(statement, agency.pk, *found))}
    candidates = []
    for pk, candidate in found.items():
        if pk in shown:  # not merged or made anonymous since the lookups above
            candidate.client = shown[pk]
            candidates.append(candidate)
    return sorted(candidates, key=lambda c: (-len(c.reasons), c.client.last_name, c.client.number))[:limit]


# The lookups of the check, each a fixed statement but for the number of values it compares (`{values}`, one
# placeholder each): the check runs at every name, date, identifier, telephone or email typed, and through the ORM its
# queries cost more to put together than to run (`make bench`, the duplicate check). Each reads the agency's named
# clients, in the order the check lists them; relatives and excluded clients are left out of what they return.
NAMED = "c.agency_id = %s AND NOT c.is_anonymous AND c.merged_into_id IS NULL"
# The identifiers with one of the typed values, compared as keys.
IDENTIFIERS_HELD = (
    "SELECT i.client_id, i.identifier_type_id, i.value, i.value_key"
    f" FROM clients_identifier i JOIN clients_client c ON c.id = i.client_id WHERE {NAMED}"
    " AND i.value_key IN ({values}) ORDER BY i.client_id, i.id"
)
# The names of everyone born on a day, as the check compares them.
BORN_THAT_DAY = (
    f"SELECT c.id, c.first_name, c.last_name, c.preferred_name FROM clients_client c WHERE {NAMED}"
    " AND c.date_of_birth = %s ORDER BY c.last_name, c.first_name, c.number LIMIT %s"
)
BORN_THAT_DAY_READ = 200
# One of the telephone numbers (E.164, as they are stored), in any of the three telephone fields.
SAME_PHONE = (
    f"SELECT c.id FROM clients_client c WHERE {NAMED}"
    " AND (c.phone IN ({values}) OR c.phone_alt1 IN ({values}) OR c.phone_alt2 IN ({values}))"
    " ORDER BY c.last_name, c.first_name, c.number LIMIT %s"
)
# The other live clients of the agency holding an identifier value (as a key), by number.
OTHER_HOLDERS = (
    "SELECT DISTINCT c.id, c.number FROM clients_identifier i JOIN clients_client c ON c.id = i.client_id"
    " WHERE c.agency_id = %s AND i.value_key = %s AND c.id <> %s AND c.merged_into_id IS NULL ORDER BY c.number"
)
# The candidates, with what the check shows of them (the rest of a client deferred, as only() would): its
# `{columns}` are agencies.statements.columns of SHOWN.
CANDIDATES = f"SELECT {{columns}} FROM clients_client c WHERE {NAMED} AND c.id IN ({{values}})"
# One of the emails, in upper case.
SAME_EMAIL = (
    f"SELECT c.id FROM clients_client c WHERE {NAMED} AND upper(c.email) IN ({{values}})"
    " ORDER BY c.last_name, c.first_name, c.number LIMIT %s"
)


def saved_client_duplicates(client: Client) -> list[Candidate]:
    """The possible duplicates of a saved client, as the registration check would offer them today (the family's
    shared telephone and email aside)."""
    relatives = set(client.family.members.values_list("pk", flat=True)) if client.family_id else set()
    return likely_duplicates(
        agency=client.agency,
        first_name=client.first_name,
        last_name=client.last_name,
        date_of_birth=client.date_of_birth,
        identifiers=[(identifier.identifier_type_id, identifier.value) for identifier in client.identifiers.all()],
        phones=[str(phone) for phone in (client.phone, client.phone_alt1, client.phone_alt2) if phone],
        emails=[client.email] if client.email else [],
        exclude=client,
        relatives=relatives,
    )


def identifier_held_elsewhere(client: Client) -> bool:
    """Another client of the agency holds one of the client's identifier values (compared without spaces, hyphens
    or case), a pair decided "Different people" included: the Registration Summary offers the reason then too."""
    keys = client.identifiers.values_list("value_key", flat=True)
    others = Identifier.objects.for_agency(client.agency).filter(value_key__in=keys, client__merged_into=None)
    return others.exclude(client=client).exists()


# One iCARE identifier, one client: the iCARE check (reports.icare.check) and the client's "iCARE ready" badge say it
# alike.


def icare_match(identifiers: Iterable, position: Callable) -> Any:
    """Of a client's identifiers, the one iCARE matches the client on: the first of IRCC's types (`position`: an
    identifier's type's place in IRCC's order) with a value. For saved identifiers and the iCARE check's alike."""
    usable = [identifier for identifier in identifiers if identifier.is_icare and identifier.value]
    return min(usable, key=lambda identifier: (position(identifier), identifier.pk), default=None)


def icare_identifier(client: Client) -> Identifier | None:
    """The identifier iCARE matches a saved client on (icare_match), its types' places from the process's copies."""
    values = icare_values()

    def position(identifier: Identifier) -> int:
        value = values.get(identifier.identifier_type.icare_value_id)
        return value.position if value else 0

    return icare_match(client.identifiers.all(), position)


def shared_identifier_label(kind, number: int) -> str:
    return _("same %(type)s as client %(number)s") % {"type": kind, "number": number}


def second_holder_label(kind, number: int) -> str:
    return _("same %(type)s as client %(number)s, whom the file holds: iCARE takes one client per identifier") % {
        "type": kind,
        "number": number,
    }


def identifier_shared_rule(client: Client) -> Rule | None:
    """What keeps a client whose own fields are ready from iCARE, as the iCARE check of all the agency's clients
    says it (reports.icare.check.checked_clients): another live client of the agency holds its iCARE identifier
    (compared as keys; the first of them by number is named) and neither the client's duplicate reason nor a
    reviewer's "Different people" says they are two people; or, that said, a client before it by number holds the
    identifier and is ready itself, so the file takes that one (iCARE takes one client per identifier). One query;
    more only when the identifier is shared."""
    identifier = None if client.is_anonymous else icare_identifier(client)
    if identifier is None:
        return None
    holders = rows_of(OTHER_HOLDERS, client.agency_id, identifier.value_key, client.pk)
    if not holders:
        return None
    different = different_people([client.pk, *(pk for pk, _number in holders)])
    kind = identifier.identifier_type
    everyone = sorted([*holders, (client.pk, client.number)], key=lambda holder: holder[1])
    blocking = blocking_holder(client.pk, client.duplicate_reason, everyone, different)
    if blocking is not None:
        return identifier_rule(shared_identifier_label(kind, blocking))
    if client.icare_missing:
        return None
    earlier = [pk for pk, number in holders if number < client.number]
    read = Client.objects.filter(pk__in=earlier).prefetch_related("identifiers__identifier_type", "consent_contacts")
    for holder in read.order_by("number"):
        mine = icare_identifier(holder)
        held = mine is not None and mine.value_key == identifier.value_key
        blocked = blocking_holder(holder.pk, holder.duplicate_reason, everyone, different) is not None
        if held and not holder.icare_missing and not blocked:
            return identifier_rule(second_holder_label(kind, holder.number))
    return None


def blocking_holder(
    pk: int, reason: str, holders: Iterable[tuple[int, int]], different: set[frozenset[int]]
) -> int | None:
    """Of the holders of client `pk`'s iCARE identifier (client id and number, by number; `pk` among them), the number
    of the first other one, which keeps the client from iCARE: none when the client's duplicate reason says they are
    two people, nor one a reviewer decided is a different person (`different`: different_people). The iCARE check
    (reports.icare.check) and the client's badge (identifier_shared_rule) judge by it alike."""
    if reason:
        return None
    return next((number for other, number in holders if other != pk and {pk, other} not in different), None)


def identifier_rule(label: str) -> Rule:
    """One iCARE identifier, one client, as a rule the badge lists among what is missing."""
    return Rule(key="identifiers", level=Level.ICARE, label=label, step=SectionName.IDENTIFICATION)


def different_people(pks: Collection[int]) -> set[frozenset[int]]:
    """The pairs among these clients that a reviewer decided are different people, neither changed since."""
    pairs = DuplicatePair.objects.filter(status=PairStatus.DIFFERENT, first__in=pks, second__in=pks)
    return {frozenset((pair.first_id, pair.second_id)) for pair in standing(pairs)}


def compared_of(*pks: int) -> str:
    """A digest of the fields the scan and the registration check compare, for the clients of a pair (by their
    primary keys): the pair is offered again only when it changes."""
    rows = Client.objects.filter(pk__in=pks).order_by("pk").values_list(*COMPARED)
    keys = Identifier.objects.filter(client__in=pks).order_by("client_id", "identifier_type_id", "value_key")
    text = repr((list(rows), list(keys.values_list("client_id", "identifier_type_id", "value_key"))))
    return hashlib.sha256(text.encode()).hexdigest()


def decided_different(agency: Agency, client: Client) -> set[int]:
    """The clients a reviewer decided are not the same person as `client`, where neither changed since."""
    pairs = DuplicatePair.objects.for_agency(agency).filter(
        Q(first=client) | Q(second=client), status=PairStatus.DIFFERENT
    )
    return {pair.second_id if pair.first_id == client.pk else pair.first_id for pair in standing(pairs)}


def standing(pairs) -> list[DuplicatePair]:
    """The pairs decided "Different people" whose decision still holds: neither client changed a compared field."""
    return [pair for pair in pairs if pair.compared == compared_of(pair.first_id, pair.second_id)]
