"""The scan for possible duplicates: what it pairs and why, what it leaves alone (a family's shared telephone), the
decisions it remembers, the pairs registration records, and the scan as a background task."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from clients.duplicates import likely_duplicates
from clients.merge import clients_merge
from clients.models import Client, DuplicatePair, DuplicateScan, PairReason, PairStatus
from clients.scan import (
    duplicates_find,
    duplicates_scan,
    pair_decide_different,
    pair_raise,
    pair_score,
    pairs_registered_anyway,
)
from tests.factories import ClientFactory, FamilyFactory, IdentifierFactory

pytestmark = pytest.mark.django_db

BORN = date(1988, 7, 14)


def pairs_of(agency) -> dict[frozenset, set]:
    return {frozenset(key): set(found.reasons) for key, found in duplicates_find(agency).items()}


def test_it_finds_a_typo_an_accent_and_swapped_names_on_one_date_of_birth(coordinator):
    original = ClientFactory(registered_by=coordinator, first_name="Nguyễn", last_name="Thị Lan", date_of_birth=BORN)
    accent = ClientFactory(registered_by=coordinator, first_name="Nguyen", last_name="Thi Lan", date_of_birth=BORN)
    swapped = ClientFactory(registered_by=coordinator, first_name="Thi Lan", last_name="Nguyen", date_of_birth=BORN)
    typo = ClientFactory(registered_by=coordinator, first_name="Ngyuen", last_name="Thi Lan", date_of_birth=BORN)
    stranger = ClientFactory(registered_by=coordinator, first_name="Maria", last_name="Santos", date_of_birth=BORN)

    pairs = pairs_of(coordinator.agency)

    for a, b in ((original, accent), (original, swapped), (original, typo)):
        assert pairs[frozenset((a.pk, b.pk))] == {PairReason.BIRTH_NAME}
    assert not any(stranger.pk in pair for pair in pairs)


def test_it_pairs_an_identifier_a_telephone_or_an_email_held_twice(coordinator):
    a = ClientFactory(registered_by=coordinator, first_name="Amara", date_of_birth=date(1990, 1, 1))
    b = ClientFactory(registered_by=coordinator, first_name="Ngozi", date_of_birth=date(1970, 1, 1))
    IdentifierFactory(client=a, value="1234 5678")
    IdentifierFactory(client=b, value="1234-5678")
    # A telephone or an email held twice, by clients of alike names (their dates of birth typed differently).
    c = ClientFactory(registered_by=coordinator, first_name="Chidi", phone="+14165550123", date_of_birth=None)
    d = ClientFactory(registered_by=coordinator, first_name="Chidi", phone_alt1="+14165550123", last_name="Okafur")
    e = ClientFactory(registered_by=coordinator, first_name="Femi", email="femi@example.org", date_of_birth=None)
    f = ClientFactory(registered_by=coordinator, first_name="Femi", last_name="Okafo", email="FEMI@example.org")
    # Outside a family a shared telephone pairs whatever the names (as the registration check offers it): someone
    # registered again under a nickname, or a roommate a reviewer then records as a different person.
    roommate = ClientFactory(registered_by=coordinator, first_name="Emeka", last_name="Eze", phone="+14165550123")

    found = duplicates_find(coordinator.agency)
    pairs = {frozenset(key): set(pair.reasons) for key, pair in found.items()}

    assert pairs[frozenset((a.pk, b.pk))] == {PairReason.IDENTIFIER}
    assert pairs[frozenset((c.pk, d.pk))] == {PairReason.PHONE}
    assert pairs[frozenset((e.pk, f.pk))] == {PairReason.EMAIL}
    assert pairs[frozenset((c.pk, roommate.pk))] == {PairReason.PHONE}
    offered = likely_duplicates(agency=c.agency, phones=["+14165550123"], exclude=c)
    assert roommate in [candidate.client for candidate in offered]  # as registering offers it
    lowest = min(pair.score for pair in found.values())
    assert found[tuple(sorted((c.pk, roommate.pk)))].score == lowest < found[tuple(sorted((a.pk, b.pk)))].score


def test_a_family_shares_its_telephone_without_being_paired_but_a_twin_registered_twice_is(coordinator):
    family = FamilyFactory(agency=coordinator.agency)
    mother = ClientFactory(registered_by=coordinator, family=family, first_name="Ada", phone="+14165550100")
    son = ClientFactory(registered_by=coordinator, family=family, first_name="Obi", phone="+14165550100",
                        date_of_birth=date(2012, 3, 3))  # fmt: skip
    twice = ClientFactory(registered_by=coordinator, family=family, first_name="Obi", phone="+14165550100",
                          date_of_birth=date(2012, 3, 3))  # fmt: skip

    pairs = pairs_of(coordinator.agency)

    assert frozenset((mother.pk, son.pk)) not in pairs
    assert PairReason.BIRTH_NAME in pairs[frozenset((son.pk, twice.pk))]
    assert PairReason.PHONE not in pairs[frozenset((son.pk, twice.pk))]


def test_other_agencies_anonymous_clients_and_tombstones_are_never_paired(coordinator, outsider):
    kept = ClientFactory(registered_by=coordinator, date_of_birth=BORN, phone="+14165550123")
    ClientFactory(registered_by=outsider, date_of_birth=BORN, phone="+14165550123")
    ClientFactory(registered_by=coordinator, anonymous=True, phone="+14165550123")
    tombstone = ClientFactory(registered_by=coordinator, first_name="Amarah", date_of_birth=BORN, phone="+14165550123")
    IdentifierFactory(client=tombstone, value="1111-2222")
    assert pairs_of(coordinator.agency) == {frozenset((kept.pk, tombstone.pk)): {PairReason.BIRTH_NAME,
                                                                                 PairReason.PHONE}}  # fmt: skip
    clients_merge(survivor=kept, other=tombstone, by=coordinator.user)
    # The tombstone keeps its name, date of birth and telephone, as its old number finds it.
    assert Client.objects.get(pk=tombstone.pk).date_of_birth == BORN
    again = ClientFactory(registered_by=coordinator, first_name="Amarah", date_of_birth=BORN, with_identifier=True,
                          identifier__value="1111-2222")  # fmt: skip

    pairs = pairs_of(coordinator.agency)

    assert pairs == {frozenset((kept.pk, again.pk)): {PairReason.BIRTH_NAME, PairReason.IDENTIFIER}}


def test_the_scan_queues_pairs_by_score_and_a_decision_holds_until_a_compared_field_changes(coordinator):
    a = ClientFactory(registered_by=coordinator, first_name="Amara", date_of_birth=BORN)
    b = ClientFactory(registered_by=coordinator, first_name="Amarah", date_of_birth=BORN)
    IdentifierFactory(client=a, value="1111-2222")
    c = ClientFactory(registered_by=coordinator, first_name="Ngozi", date_of_birth=date(1970, 1, 1))
    IdentifierFactory(client=c, value="1111-2222")

    assert duplicates_scan(coordinator.agency) == (2, 2)
    queue = list(DuplicatePair.objects.for_agency(coordinator.agency))
    assert [set(p.reasons) for p in queue] == [{PairReason.IDENTIFIER}, {PairReason.BIRTH_NAME}]  # highest first
    assert queue[0].score > queue[1].score

    pair_decide_different(pair=queue[1], by=coordinator.user, note="Twins")
    duplicates_scan(coordinator.agency)
    assert DuplicatePair.objects.get(pk=queue[1].pk).status == PairStatus.DIFFERENT
    assert b not in [c.client for c in likely_duplicates(agency=a.agency, first_name="Amara", last_name="Okafor",
                                                         date_of_birth=BORN, exclude=a)]  # fmt: skip

    b.city = "Ottawa"  # not compared: still decided
    b.save()
    duplicates_scan(coordinator.agency)
    assert DuplicatePair.objects.get(pk=queue[1].pk).status == PairStatus.DIFFERENT

    b.phone = "+14165550999"  # compared: offered again
    b.save()
    duplicates_scan(coordinator.agency)
    assert DuplicatePair.objects.get(pk=queue[1].pk).status == PairStatus.OPEN


def test_a_registration_despite_the_check_queues_the_pairs_it_offered(coordinator):
    existing = ClientFactory(registered_by=coordinator, first_name="Amara", date_of_birth=BORN)
    registered = ClientFactory(
        registered_by=coordinator, first_name="Amara", date_of_birth=BORN, duplicate_reason="Different mother"
    )

    flagged = pair_raise(  # a pair only flagged by staff, for comparison
        agency=existing.agency, a=ClientFactory(registered_by=coordinator), b=existing, reason=PairReason.FLAGGED
    )

    assert pairs_registered_anyway(registered) == 1

    pair = DuplicatePair.objects.get(first=existing, second=registered)
    assert PairReason.REGISTERED_ANYWAY in pair.reasons and "Different mother" in pair.details
    # What the check matched counts as the scan counts it: the pair waits where the scan would queue it.
    assert PairReason.BIRTH_NAME in pair.reasons
    assert pair.score == pair_score([PairReason.BIRTH_NAME, PairReason.REGISTERED_ANYWAY]) > flagged.score


def test_a_registration_despite_the_check_without_a_reason_queues_the_pairs_too(coordinator):
    existing = ClientFactory(registered_by=coordinator, first_name="Amara", date_of_birth=BORN)
    registered = ClientFactory(registered_by=coordinator, first_name="Amara", date_of_birth=BORN)
    alone = ClientFactory(registered_by=coordinator, first_name="Zofia", date_of_birth=date(1961, 7, 30))

    assert pairs_registered_anyway(registered) == 1
    assert pairs_registered_anyway(alone) == 0

    pair = DuplicatePair.objects.get(first=existing, second=registered)
    assert PairReason.REGISTERED_ANYWAY in pair.reasons and PairReason.BIRTH_NAME in pair.reasons
    assert pair.details == ["same date of birth and a similar name"]
    assert DuplicatePair.objects.count() == 1


def test_a_coordinator_starts_a_scan_that_the_worker_runs_and_the_queue_filters_by_reason(
    coordinator, coordinator_client
):
    ClientFactory(registered_by=coordinator, first_name="Amara", date_of_birth=BORN)
    ClientFactory(registered_by=coordinator, first_name="Amarah", date_of_birth=BORN)
    x = ClientFactory(registered_by=coordinator, first_name="Chidi", phone="+14165550123", date_of_birth=None)
    ClientFactory(registered_by=coordinator, first_name="Chidi", last_name="Okafur", phone="+14165550123")

    response = coordinator_client.post(reverse("clients:duplicate-scan"))
    assert response.status_code == 302
    call_command("worker", batch=True, stdout=StringIO())
    scan = DuplicateScan.objects.get()
    assert scan.status == "done" and scan.pairs_found == 2

    queue = coordinator_client.get(reverse("clients:duplicate-queue"))
    assertContains(queue, "2 pairs")
    by_phone = coordinator_client.get(reverse("clients:duplicate-queue"), {"reason": PairReason.PHONE})
    assertContains(by_phone, "1 pair")
    assertContains(by_phone, x.display_name)
    assertNotContains(by_phone, "Amarah")


def test_the_nightly_command_queues_one_scan_per_agency(coordinator, outsider):
    call_command("duplicates_scan")
    call_command("duplicates_scan")  # one already waits: not queued twice

    assert DuplicateScan.objects.count() == 2
