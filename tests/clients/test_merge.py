"""Merging two profiles of one person: every related row moves, the other becomes a tombstone found by its old
number, the change history shows one entry, and an undo puts back exactly what was there."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import AgencyList
from clients.history import client_changes
from clients.merge import clients_merge, merge_undo, merged_fields, relations
from clients.models import Client, ClientMerge, DuplicatePair, Identifier, PairReason, PairStatus, Session
from clients.scan import pair_raise
from tests.clients.merge_helpers import ROW_KINDS, client_with_rows, snapshot
from tests.factories import ClientFactory, FamilyFactory, IdentifierFactory, SessionFactory, list_item

pytestmark = pytest.mark.django_db


def pair_of(a: Client, b: Client) -> DuplicatePair:
    return pair_raise(agency=a.agency, a=a, b=b, reason=PairReason.FLAGGED)


def test_every_kind_of_row_moves_to_the_survivor(coordinator):
    survivor = client_with_rows(coordinator, kinds=(), first_name="Amara")
    other = client_with_rows(coordinator, first_name="Amarah", variant=1)
    before = {
        key: len(rows) for key, rows in snapshot(other).items() if isinstance(rows, list) and key != "referral_sources"
    }
    assert all(before[key] for key in before if key not in ("clients.client.merged_into_id", "self_identity")), before

    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)

    after_survivor, after_other = snapshot(survivor), snapshot(other)
    for relation in relations():
        key = f"{relation.label}.{relation.field.attname}"
        if relation.model is Client:  # the tombstones merged into a client: the merged one is one of them now
            assert [row["id"] for row in after_survivor[key]] == [other.pk]
            continue
        assert len(after_other[key]) == 0, f"{key} stayed with the merged client"
        assert len(after_survivor[key]) == before[key], key
    assert after_survivor["referral_sources"] and not set(after_other["referral_sources"]) - set(
        after_survivor["referral_sources"]
    )
    assert after_other["client"]["merged_into_id"] == survivor.pk
    assert merge.moved_count >= len(ROW_KINDS) - 2  # the referral is a link, the draft a row of its own


def test_the_survivor_keeps_its_values_fills_its_blanks_and_takes_the_chosen_ones(coordinator):
    survivor = ClientFactory(registered_by=coordinator, first_name="Amara", preferred_name="", city="")
    other = ClientFactory(
        registered_by=coordinator,
        first_name="Amarah",
        preferred_name="Mara",
        city="Toronto",
        last_name="Okafor-Ade",
        gender=list_item(coordinator.agency, AgencyList.GENDER, "Male"),
    )

    clients_merge(survivor=survivor, other=other, by=coordinator.user, choices={"last_name": "other"})

    survivor.refresh_from_db()
    assert survivor.first_name == "Amara"  # its own
    assert survivor.preferred_name == "Mara" and survivor.city == "Toronto"  # blanks filled
    assert survivor.last_name == "Okafor-Ade"  # chosen
    assert survivor.gender.label == "Female"
    assert "mara" in survivor.name_words  # found by the preferred name it took


def test_an_identifier_both_hold_stays_with_the_tombstone_and_is_not_a_duplicate_of_the_survivor(coordinator):
    survivor = ClientFactory(registered_by=coordinator, with_identifier=True)
    other = ClientFactory(registered_by=coordinator, with_identifier=True)

    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)

    assert survivor.identifiers.count() == 1 and other.identifiers.count() == 1
    assert merge.kept_with_merged == [["clients.identifier", "client_id", [other.identifiers.get().pk]]]


def test_the_tombstone_is_found_by_its_old_number_and_its_profile_leads_to_the_survivor(
    coordinator, coordinator_client
):
    survivor = ClientFactory(registered_by=coordinator, first_name="Amara")
    other = ClientFactory(registered_by=coordinator, first_name="Amarah")
    clients_merge(survivor=survivor, other=other, by=coordinator.user)

    found = coordinator_client.get(reverse("clients:client-find"), {"q": str(other.number)})
    assertContains(found, f"Merged into client {survivor.number}")
    by_name = coordinator_client.get(reverse("clients:client-find"), {"q": "Amarah Okafor"})
    assertNotContains(by_name, "Merged into client")  # a name finds the living profile only
    profile = coordinator_client.get(reverse("clients:client-detail", kwargs={"code": other.code}), follow=True)
    assertRedirects(profile, reverse("clients:client-detail", kwargs={"code": survivor.code}))
    assertContains(profile, f"Client {other.number} was merged into client {survivor.number}")
    edit = coordinator_client.get(
        reverse("registration:section-edit", kwargs={"code": other.code, "section": "primary"})
    )
    assert edit.status_code == 404  # a tombstone is never edited


def test_the_change_history_shows_the_merge_as_one_entry_and_the_undo_as_another(coordinator):
    survivor = ClientFactory(registered_by=coordinator, preferred_name="")
    other = ClientFactory(registered_by=coordinator, preferred_name="Mara")
    SessionFactory(client=other, worker=coordinator)
    before = len(client_changes(survivor))

    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)
    changes = client_changes(survivor)
    merges = [c for c in changes if c.action == "Merged"]
    assert len(merges) == 1
    assert merges[0].subject == f"client {other.number} merged into this profile"
    assert [(f.label, f.old, f.new) for f in merges[0].fields] == [("Preferred Name", "—", "Mara")]
    # The other's history (its registration, its session) is the survivor's now, and nothing else was added.
    assert len(changes) == before + 1 + len(client_changes(other))

    merge_undo(merge=merge, by=coordinator.user)
    assert [c.action for c in client_changes(survivor)][:1] == ["Merge undone"]


def test_what_was_added_to_the_survivor_after_the_merge_stays_with_it_after_the_undo(coordinator):
    survivor = ClientFactory(registered_by=coordinator)
    other = ClientFactory(registered_by=coordinator)
    SessionFactory(client=other, worker=coordinator)
    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)
    later = SessionFactory(client=survivor, worker=coordinator)

    merge_undo(merge=merge, by=coordinator.user)

    assert list(Session.objects.filter(client=survivor)) == [later]
    assert Session.objects.filter(client=other).count() == 1
    assert Client.objects.get(pk=other.pk).merged_into is None


def test_family_membership_moves_and_comes_back(coordinator):
    family = FamilyFactory(agency=coordinator.agency)
    relative = ClientFactory(registered_by=coordinator, family=family, first_name="Chidi")
    survivor = ClientFactory(registered_by=coordinator)
    other = ClientFactory(registered_by=coordinator, family=family)

    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)
    survivor.refresh_from_db()
    other.refresh_from_db()
    assert survivor.family == family and other.family is None
    assert set(family.members.all()) == {relative, survivor}

    merge_undo(merge=merge, by=coordinator.user)
    survivor.refresh_from_db()
    other.refresh_from_db()
    assert survivor.family is None and other.family == family


def test_a_merge_is_refused_for_a_tombstone_an_anonymous_client_or_another_agency(coordinator, outsider):
    from django.core.exceptions import ValidationError

    a, b, c = (ClientFactory(registered_by=coordinator) for _ in range(3))
    clients_merge(survivor=a, other=b, by=coordinator.user)
    with pytest.raises(ValidationError):
        clients_merge(survivor=c, other=b, by=coordinator.user)
    with pytest.raises(ValidationError):
        clients_merge(survivor=c, other=ClientFactory(registered_by=coordinator, anonymous=True), by=coordinator.user)
    with pytest.raises(ValidationError):
        clients_merge(survivor=c, other=ClientFactory(registered_by=outsider), by=coordinator.user)


# The exact undo, over generated pairs ---------------------------------------------------------

EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
kinds = st.sets(st.sampled_from(ROW_KINDS))
text = st.sampled_from(["", "Mara", "Ngozi", "Đức", "Zoë"])


def test_a_merge_undone_leaves_both_clients_rows_exactly_as_they_were(coordinator):
    fields = [f.name for f in merged_fields() if f.name in ("preferred_name", "city", "last_name", "first_name")]

    @EXAMPLES
    @given(
        first_kinds=kinds,
        second_kinds=kinds,
        first_values=st.fixed_dictionaries(dict.fromkeys(("preferred_name", "city"), text)),
        second_values=st.fixed_dictionaries(dict.fromkeys(("preferred_name", "city"), text)),
        variant=st.integers(0, 1),
        keep_second=st.booleans(),
        choices=st.dictionaries(st.sampled_from(fields), st.sampled_from(["survivor", "other"])),
        born=st.dates(date(1950, 1, 1), date(2010, 1, 1)),
    )
    def merged_and_undone(first_kinds, second_kinds, first_values, second_values, variant, keep_second, choices, born):
        first = client_with_rows(coordinator, first_kinds, 0, date_of_birth=born, **first_values)
        second = client_with_rows(coordinator, second_kinds, variant, last_name="Okafor-Ade", **second_values)
        survivor, other = (second, first) if keep_second else (first, second)
        before = snapshot(survivor), snapshot(other)

        merge = clients_merge(survivor=survivor, other=other, by=coordinator.user, choices=choices)
        assert snapshot(other)["client"]["merged_into_id"] == survivor.pk
        merge_undo(merge=merge, by=coordinator.user)

        assert (snapshot(survivor), snapshot(other)) == before

    merged_and_undone()


# The pages: who may, and the walk a coordinator takes ------------------------------------------


def test_a_caseworker_may_flag_a_pair_but_not_see_the_queue_or_merge(caseworker, caseworker_client, coordinator):
    client = ClientFactory(registered_by=caseworker)
    other = ClientFactory(registered_by=caseworker)

    flagged = caseworker_client.post(
        reverse("clients:duplicate-flag", kwargs={"code": client.code}), {"number": str(other.number)}
    )
    assert flagged.status_code == 302
    pair = DuplicatePair.objects.get()
    assert pair.reasons == [PairReason.FLAGGED] and pair.flagged_by == caseworker.user
    assert caseworker_client.get(reverse("clients:duplicate-queue")).status_code == 403
    assert caseworker_client.get(reverse("clients:duplicate-pair", kwargs={"code": pair.code})).status_code == 403
    merge_url = reverse("clients:duplicate-merge", kwargs={"code": pair.code})
    assert caseworker_client.post(merge_url, {"merge": "1"}).status_code == 403
    assert not ClientMerge.objects.exists()


def test_a_flag_with_a_number_of_nobody_says_so_next_to_the_field_and_keeps_it(caseworker, caseworker_client):
    client = ClientFactory(registered_by=caseworker)

    response = caseworker_client.post(reverse("clients:duplicate-flag", kwargs={"code": client.code}), {"number": "99"})

    assert response.status_code == 422
    assertContains(response, "No other named client of your agency has this number.", status_code=422)
    assertContains(response, 'value="99"', status_code=422)
    assert not DuplicatePair.objects.exists()


def test_a_coordinator_compares_merges_and_undoes_through_the_pages(coordinator, coordinator_client):
    first = ClientFactory(registered_by=coordinator, first_name="Amara", city="Toronto")
    second = ClientFactory(registered_by=coordinator, first_name="Amarah", city="Ottawa")
    IdentifierFactory(client=second, value="9999-0001")
    pair = pair_of(first, second)

    queue = coordinator_client.get(reverse("clients:duplicate-queue"))
    assertContains(queue, "Amarah Okafor")
    compare = coordinator_client.get(reverse("clients:duplicate-pair", kwargs={"code": pair.code}))
    assertContains(compare, "Toronto")
    assertContains(compare, "Ottawa")
    assertContains(compare, "differs")
    merge_url = reverse("clients:duplicate-merge", kwargs={"code": pair.code})
    form = coordinator_client.get(merge_url, {"keep": first.number})
    assertContains(form, "Ottawa (client")

    merged = coordinator_client.post(merge_url, {"keep": first.number, "merge": "1", "city": "other"})
    merge = ClientMerge.objects.get()
    assertRedirects(merged, reverse("clients:merge-detail", kwargs={"code": merge.code}))
    first.refresh_from_db()
    assert first.city == "Ottawa" and first.first_name == "Amara"
    assert Identifier.objects.get().client == first
    assert DuplicatePair.objects.get().status == PairStatus.MERGED

    undone = coordinator_client.post(reverse("clients:merge-undo", kwargs={"code": merge.code}))
    assert undone.status_code == 302
    first.refresh_from_db()
    assert first.city == "Toronto" and Identifier.objects.get().client == second
    assert DuplicatePair.objects.get().status == PairStatus.OPEN
