"""The review queue and "Different people": the decision records who and why, is shown on the pair, takes the pair
out of the queue, and holds (at the next scan and when the profile is checked again) until a compared field
changes."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.jobs import JobStatus
from agencies.models import user_display_name
from clients.duplicates import likely_duplicates
from clients.merge import clients_merge
from clients.models import ClientMerge, DuplicatePair, DuplicateScan, PairReason, PairStatus
from clients.scan import duplicates_scan, pair_decide_different, pair_raise
from clients.views import duplicates as views
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

BORN = date(1988, 7, 14)


def offered_with(client) -> list:
    """Who the duplicate check offers for a profile (as editing it checks it)."""
    candidates = likely_duplicates(
        agency=client.agency,
        first_name=client.first_name,
        last_name=client.last_name,
        date_of_birth=client.date_of_birth,
        emails=[client.email] if client.email else [],
        exclude=client,
    )
    return [candidate.client for candidate in candidates]


def test_different_people_records_who_and_why_and_the_pair_leaves_the_queue_until_a_compared_field_changes(
    coordinator, coordinator_client
):
    amara = ClientFactory(registered_by=coordinator, first_name="Amara", date_of_birth=BORN)
    twin = ClientFactory(registered_by=coordinator, first_name="Amarah", date_of_birth=BORN)
    duplicates_scan(coordinator.agency)
    pair = DuplicatePair.objects.get()
    compare = f'Compare<span class="visually-hidden"> {amara.number} {twin.number}</span>'
    assertContains(coordinator_client.get(reverse("clients:duplicate-queue")), compare)
    assert offered_with(amara) == [twin]

    response = coordinator_client.post(
        reverse("clients:duplicate-different", kwargs={"code": pair.code}), {"note": "Twins, born an hour apart"}
    )

    assertRedirects(response, reverse("clients:duplicate-queue"))
    pair.refresh_from_db()
    assert pair.status == PairStatus.DIFFERENT and pair.decided_by == coordinator.user
    assert pair.decision_note == "Twins, born an hour apart" and pair.decided_at is not None
    queue = coordinator_client.get(reverse("clients:duplicate-queue"))
    assert queue.status_code == 200
    assertNotContains(queue, compare)
    assertContains(coordinator_client.get(reverse("clients:duplicate-queue"), {"status": "different"}), compare)
    page = coordinator_client.get(reverse("clients:duplicate-pair", kwargs={"code": pair.code}))
    assertContains(page, f"Recorded as different people by Test {coordinator.user.last_name} on ")
    assertContains(page, "Twins, born an hour apart")
    # Not offered again: by the next scan, nor when the profile is checked, nor by a registration despite the check.
    duplicates_scan(coordinator.agency)
    assert DuplicatePair.objects.get().status == PairStatus.DIFFERENT
    assert offered_with(amara) == []
    pair_raise(agency=amara.agency, a=amara, b=twin, reason=PairReason.REGISTERED_ANYWAY)
    assert DuplicatePair.objects.get().status == PairStatus.DIFFERENT

    twin.email = "amarah@example.org"  # a compared field changes: offered again
    twin.save()
    assert offered_with(amara) == [twin]
    duplicates_scan(coordinator.agency)
    assert DuplicatePair.objects.get().status == PairStatus.OPEN
    assertContains(coordinator_client.get(reverse("clients:duplicate-queue")), compare)


def test_different_people_without_a_reason_asks_for_one_and_records_nothing(coordinator, coordinator_client):
    pair = pair_raise(
        agency=coordinator.agency,
        a=ClientFactory(registered_by=coordinator),
        b=ClientFactory(registered_by=coordinator),
        reason=PairReason.FLAGGED,
    )

    response = coordinator_client.post(reverse("clients:duplicate-different", kwargs={"code": pair.code}), {"note": ""})

    assert response.status_code == 422
    assert response.context["form"].errors["note"] == ["This field is required."]
    assert DuplicatePair.objects.get().status == PairStatus.OPEN
    assert coordinator_client.get(reverse("clients:duplicate-different", kwargs={"code": pair.code})).status_code == 405


def flagged_pair(coordinator) -> DuplicatePair:
    return pair_raise(
        agency=coordinator.agency,
        a=ClientFactory(registered_by=coordinator, first_name="Amara"),
        b=ClientFactory(registered_by=coordinator, first_name="Amarah"),
        reason=PairReason.FLAGGED,
    )


def test_different_people_is_refused_once_the_pair_was_merged_from_another_page(coordinator, coordinator_client):
    pair = flagged_pair(coordinator)
    third = ClientFactory(registered_by=coordinator, first_name="Amira")
    clients_merge(survivor=third, other=pair.first, by=coordinator.user)  # through another pair
    different_url = reverse("clients:duplicate-different", kwargs={"code": pair.code})

    response = coordinator_client.post(different_url, {"note": "Twins"}, follow=True)

    assertRedirects(response, reverse("clients:duplicate-pair", kwargs={"code": pair.code}))
    assertContains(response, "These clients were merged while the page was open: nothing was recorded.")
    pair.refresh_from_db()
    assert pair.status == PairStatus.OPEN and pair.decision_note == "" and pair.decided_by is None


def test_different_people_recorded_meanwhile_by_another_is_told_and_kept(coordinator, coordinator_client, manager):
    pair = flagged_pair(coordinator)
    pair_decide_different(pair=pair, by=manager.user, note="Cousins")

    response = coordinator_client.post(
        reverse("clients:duplicate-different", kwargs={"code": pair.code}), {"note": "Twins"}, follow=True
    )

    who = user_display_name(manager.user)
    assertContains(response, f"While this page was open, {who} recorded these clients as different people: “Cousins”.")
    pair.refresh_from_db()
    assert (pair.decision_note, pair.decided_by) == ("Cousins", manager.user)


def test_a_merge_page_opened_before_different_people_was_recorded_asks_again(coordinator, coordinator_client, manager):
    pair = flagged_pair(coordinator)
    merge_url = reverse("clients:duplicate-merge", kwargs={"code": pair.code})
    shown = coordinator_client.get(merge_url).context["pair"].seen
    pair_decide_different(pair=pair, by=manager.user, note="Cousins")
    post = {"keep": pair.first.number, "merge": "1", "seen": shown}

    response = coordinator_client.post(merge_url, post)

    assert response.status_code == 409
    who = user_display_name(manager.user)
    assertContains(
        response,
        f"While this page was open, {who} recorded these clients as different people: “Cousins”. "
        "To merge them all the same, press Merge again.",
        status_code=409,
    )
    assert not ClientMerge.objects.exists()
    seen = response.context["pair"].seen
    assertContains(response, f'<input type="hidden" name="seen" value="{seen}">', html=True, status_code=409)

    again = coordinator_client.post(merge_url, {**post, "seen": seen})

    merge = ClientMerge.objects.get()
    assertRedirects(again, reverse("clients:merge-detail", kwargs={"code": merge.code}))
    pair.refresh_from_db()
    assert pair.status == PairStatus.MERGED


def test_the_queue_is_paged_highest_score_first_keeping_its_filter(coordinator, coordinator_client, monkeypatch):
    monkeypatch.setattr(views, "QUEUE_PAGE", 2)
    pairs = [
        pair_raise(
            agency=coordinator.agency,
            a=ClientFactory(registered_by=coordinator, first_name=f"First{n}"),
            b=ClientFactory(registered_by=coordinator, first_name=f"Second{n}"),
            reason=PairReason.FLAGGED,
            matched=[PairReason.PHONE] * (n == 1),
        )
        for n in range(3)
    ]

    first = coordinator_client.get(reverse("clients:duplicate-queue"), {"reason": PairReason.FLAGGED})
    second = coordinator_client.get(reverse("clients:duplicate-queue"), {"reason": PairReason.FLAGGED, "page": 2})

    assertContains(first, "3 pairs")
    assertContains(first, "showing 1–2")
    assertContains(first, "First1 Okafor")  # the highest score, first
    assertContains(first, "?reason=flagged&amp;page=2")
    assertContains(second, "showing 3–3")
    shown = [p for p in pairs if f"First{pairs.index(p)} Okafor" in second.content.decode()]
    assert len(shown) == 1 and shown[0] != pairs[1]


def test_the_last_scan_gives_the_pairs_found_and_the_new_ones_each_their_own_plural(coordinator, monkeypatch):
    """French says "12 paires possibles, dont 1 nouvelle": each number chooses the plural of its own words."""
    asked = []

    def plural_of(*args):
        *_context, singular, plural, count = args
        asked.append((singular, count))
        return singular if count == 1 else plural

    monkeypatch.setattr(translation, "ngettext", plural_of)
    monkeypatch.setattr(translation, "npgettext", plural_of)
    scan = DuplicateScan(
        agency=coordinator.agency, status=JobStatus.DONE, finished_at=timezone.now(), pairs_found=12, pairs_new=1
    )

    shown = render_to_string("clients/_duplicate_scan.html", {"scan": scan})

    assert "12 possible pairs, 1 new." in shown
    assert sorted(count for _singular, count in asked) == [1, 12]
    assert all(("%(new)s" in singular) == (count == 1) for singular, count in asked)


def test_a_finished_scan_is_said_in_the_page_s_status_region_with_a_link_to_the_list_not_a_reload(
    coordinator, coordinator_client
):
    scan = DuplicateScan.objects.create(
        agency=coordinator.agency, status=JobStatus.RUNNING, rows_done=3, rows_total=9, beat_at=timezone.now()
    )
    queue = coordinator_client.get(reverse("clients:duplicate-queue"), {"reason": PairReason.FLAGGED})
    progress_url = reverse("clients:duplicate-scan-progress", kwargs={"code": scan.code})
    # The page's status region holds the scan; the count compared, changing every second, is not read out.
    assertContains(queue, f'<div role="status">\n<div id="duplicate-scan" hx-get="{progress_url}?reason=flagged"')
    assertContains(queue, '<p class="mb-1" aria-hidden="true">3 of 9 clients compared</p>', html=True)
    DuplicateScan.objects.filter(pk=scan.pk).update(status=JobStatus.DONE, finished_at=timezone.now(), pairs_found=2)
    flagged = flagged_pair(coordinator)
    unflagged = pair_raise(
        agency=coordinator.agency,
        a=ClientFactory(registered_by=coordinator),
        b=ClientFactory(registered_by=coordinator),
        reason=PairReason.IDENTIFIER,
    )

    done = coordinator_client.get(progress_url, {"reason": PairReason.FLAGGED}, headers={"HX-Request": "true"})

    # Not reloaded (focus and filters stay where they were): the list the page's filters give comes in its place.
    assert "HX-Refresh" not in done and "HX-Redirect" not in done
    assertNotContains(done, "hx-trigger")
    assertContains(done, '<div id="duplicate-list" hx-swap-oob="true">')
    assertContains(done, f'Compare<span class="visually-hidden"> {flagged.first.number} {flagged.second.number}')
    assertNotContains(done, f"{unflagged.first.number} {unflagged.second.number}</span>")
