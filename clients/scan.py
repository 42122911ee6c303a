"""The scan of an agency's named clients for possible duplicates, and the pairs it keeps for review.

Clients are never compared pair by pair across the agency: they are grouped by what two profiles of one person
share (an identifier, a date of birth, a telephone number, an email), each read in one pass over the agency's
rows, and only the clients of one group are compared. Within a date of birth the names are compared as the
registration check compares them (clients.duplicates.forms_likeness: typos, accents, first and last name swapped).
A telephone number or an email held by two clients outside one family pairs them, whatever their names, as the
registration check offers them (clients.duplicates.likely_duplicates): a person registered again may have given
another spelling, a preferred name or a nickname, and the shared number is then what is left to find them by; its
weight is low, so such a pair waits below those with a similar name. A family shares its telephone and email
(copied from one member to the next, and a parent and child sharing a phone are one family): those never pair two
members of one family. A number or an email shared by many (an office's, a shelter's) pairs no one.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from clients.duplicates import (
    NAME_LIKENESS,
    NameForms,
    compared_of,
    forms_likeness,
    name_forms,
    saved_client_duplicates,
)
from clients.models import (
    PEOPLE_REASONS,
    REASON_WEIGHTS,
    Client,
    DuplicatePair,
    Identifier,
    PairReason,
    PairStatus,
)

# Clients read this many at a time.
CHUNK = 5000
# A telephone number or an email shared by more clients than this is an office's or a shelter's, not a person's.
SHARED_BY_MANY = 8
# A date of birth shared by more clients than this (a placeholder such as January 1st) is compared only by name
# words in common, not every pair of it.
CROWDED_DAY = 400
# What the scan reads of each client.
COLUMNS = ("pk", "first_name", "last_name", "preferred_name", "date_of_birth", "family_id", "phone", "phone_alt1",
           "phone_alt2", "email")  # fmt: skip


@dataclass
class Found:
    """A pair the scan found: its reasons, what matched, and its score."""

    reasons: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    likeness: float = 0.0

    def add(self, reason: str, detail: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
        if detail and detail not in self.details:
            self.details.append(detail)

    @property
    def score(self) -> int:
        return pair_score(self.reasons, self.likeness)


def pair_score(reasons: Iterable[str], likeness: float = 1.0) -> int:
    """Out of 100: each reason's weight, the name's likeness scaling the date-of-birth-and-name one."""
    total = 0.0
    for reason in reasons:
        weight = REASON_WEIGHTS.get(reason, 0)
        total += weight * likeness if reason == PairReason.BIRTH_NAME else weight
    return min(100, round(total))


@dataclass
class Person:
    pk: int
    names: NameForms
    family_id: int | None


def likeness(a: Person, b: Person, least: float = NAME_LIKENESS) -> float:
    return forms_likeness(a.names, b.names, least)


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def duplicates_find(agency: Agency, *, beat: Callable[[int, int], None] | None = None) -> dict[tuple, Found]:
    """Every pair of the agency's named clients that may be one person, with what matched."""
    clients = Client.objects.for_agency(agency).named()
    total = clients.count()
    found: dict[tuple[int, int], Found] = defaultdict(Found)
    born: dict = defaultdict(list)
    phones: dict[str, list[Person]] = defaultdict(list)
    emails: dict[str, list[Person]] = defaultdict(list)
    for done, row in enumerate(clients.order_by().values_list(*COLUMNS).iterator(chunk_size=CHUNK), start=1):
        pk, first, last, preferred, dob, family_id, *numbers, email = row
        person = Person(pk, name_forms(first, last, preferred), family_id)
        if dob:
            born[dob].append(person)
        for number in {str(n) for n in numbers if n}:
            phones[number].append(person)
        if email:
            emails[email.upper()].append(person)
        if beat and done % CHUNK == 0:
            beat(done // 2, total)

    for day, people in born.items():
        by_word = None
        if len(people) > CROWDED_DAY:  # compare only the clients who share a name word
            by_word = defaultdict(list)
            for person in people:
                for word in person.names.words:
                    by_word[word].append(person)
        groups = by_word.values() if by_word is not None else [people]
        for group in groups:
            for index, a in enumerate(group):
                for b in group[index + 1 :]:
                    alike = likeness(a, b)
                    if alike >= NAME_LIKENESS:
                        pair = found[pair_key(a.pk, b.pk)]
                        pair.likeness = max(pair.likeness, alike)
                        pair.add(PairReason.BIRTH_NAME, day.isoformat())
    if beat:
        beat(total * 3 // 4, total)

    for reason, groups in ((PairReason.PHONE, phones), (PairReason.EMAIL, emails)):
        for value, people in groups.items():
            if not 1 < len(people) <= SHARED_BY_MANY:
                continue
            for index, a in enumerate(people):
                for b in people[index + 1 :]:
                    if a.pk == b.pk or (a.family_id and a.family_id == b.family_id):
                        continue
                    found[pair_key(a.pk, b.pk)].add(reason, value.lower() if reason == PairReason.EMAIL else value)

    holders: dict[tuple, set[int]] = defaultdict(set)
    labels = {}
    identifiers = Identifier.objects.for_agency(agency).filter(client__is_anonymous=False, client__merged_into=None)
    for client_id, type_id, type_label, key in identifiers.values_list(
        "client_id", "identifier_type_id", "identifier_type__label", "value_key"
    ).iterator(chunk_size=CHUNK):
        holders[(type_id, key)].add(client_id)
        labels[type_id] = type_label
    for (type_id, key), pks in holders.items():
        if 1 < len(pks) <= SHARED_BY_MANY:
            ordered = sorted(pks)
            for index, a in enumerate(ordered):
                for b in ordered[index + 1 :]:
                    found[(a, b)].add(PairReason.IDENTIFIER, f"{labels[type_id]}: {key}")
    for pair in found.values():
        if not pair.likeness:
            pair.likeness = 1.0
    return dict(found)


# The queue ---------------------------------------------------------------------------------------


def pairs_record(agency: Agency, found: dict[tuple, Found]) -> tuple[int, int]:
    """Keep what a scan found: new pairs are queued, open ones get the new reasons, a pair decided "Different
    people" comes back only when one of its clients changed a compared field; an open pair the scan no longer
    finds, and that no person raised, leaves the queue. How many pairs, and how many new."""
    new = 0
    with transaction.atomic():
        existing = {(p.first_id, p.second_id): p for p in DuplicatePair.objects.for_agency(agency)}
        to_create = []
        for key, pair in found.items():
            row = existing.get(key)
            if row is None:
                to_create.append(
                    DuplicatePair(
                        agency=agency,
                        first_id=key[0],
                        second_id=key[1],
                        score=pair.score,
                        reasons=pair.reasons,
                        details=pair.details,
                    )
                )
                continue
            if row.status == PairStatus.MERGED:
                continue
            if row.status == PairStatus.DIFFERENT:
                if row.compared == compared_of(row.first_id, row.second_id):
                    continue
                row.status, row.decided_by, row.decided_at = PairStatus.OPEN, None, None
            reasons = pair.reasons + [r for r in row.reasons if r in PEOPLE_REASONS and r not in pair.reasons]
            row.reasons, row.details = reasons, pair.details
            row.score = pair_score(reasons, pair.likeness)
            row.save(update_fields=["status", "decided_by", "decided_at", "reasons", "details", "score"])
        DuplicatePair.objects.bulk_create(to_create, batch_size=2000)
        new = len(to_create)
        gone = [
            row.pk
            for key, row in existing.items()
            if key not in found and row.status == PairStatus.OPEN and not set(row.reasons) & PEOPLE_REASONS
        ]
        DuplicatePair.objects.filter(pk__in=gone).delete()
    return len(found), new


def pair_raise(
    *,
    agency: Agency,
    a: Client,
    b: Client,
    reason: str,
    details: Iterable[str] = (),
    matched: Iterable[str] = (),
    likeness: float = 1.0,
    by=None,
):
    """A pair a person raised (registered anyway despite the check, or flagged): queued, or its reason added, with
    what the check `matched` (PairReason values, scored as the scan scores them; `likeness` of the names). A pair
    decided "Different people" with nothing changed since stays decided."""
    first, second = sorted((a, b), key=lambda client: client.pk)
    pair, _created = DuplicatePair.objects.get_or_create(agency=agency, first=first, second=second)
    if pair.status == PairStatus.MERGED:
        return pair
    unchanged = pair.status == PairStatus.DIFFERENT and pair.compared == compared_of(first.pk, second.pk)
    if unchanged and reason != PairReason.FLAGGED:
        return pair
    if pair.status == PairStatus.DIFFERENT:
        pair.status, pair.decided_by, pair.decided_at = PairStatus.OPEN, None, None
    for found in (*matched, reason):
        if found not in pair.reasons:
            pair.reasons.append(found)
    pair.details += [detail for detail in details if detail not in pair.details]
    pair.score = max(pair.score, pair_score(pair.reasons, likeness))
    if by is not None and pair.flagged_by_id is None:
        pair.flagged_by = by
    pair.save()
    return pair


def pair_decide_different(*, pair: DuplicatePair, by, note: str) -> DuplicatePair:
    """ "Different people": who decided, why, and what the compared fields were."""
    pair.status = PairStatus.DIFFERENT
    pair.decided_by, pair.decided_at, pair.decision_note = by, timezone.now(), note
    pair.compared = compared_of(pair.first_id, pair.second_id)
    pair.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "compared"])
    return pair


def duplicates_scan(agency: Agency, *, beat: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Scan the agency and keep the pairs for review: (pairs found, new pairs)."""
    return pairs_record(agency, duplicates_find(agency, beat=beat))


def pairs_registered_anyway(client: Client) -> int:
    """A client registered despite the possible duplicates the check offered (with the caseworker's reason, or
    without one: the reason is optional): each of them queued with this client for a coordinator to review. How
    many."""
    if client.is_anonymous:
        return 0
    candidates = saved_client_duplicates(client)
    for candidate in candidates:
        pair_raise(
            agency=client.agency,
            a=client,
            b=candidate.client,
            reason=PairReason.REGISTERED_ANYWAY,
            details=[*candidate.reasons, *([client.duplicate_reason] if client.duplicate_reason else [])],
            matched=candidate.kinds,
            likeness=candidate.likeness or 1.0,
        )
    return len(candidates)
