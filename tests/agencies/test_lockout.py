"""Login locks: per login and address, per address across logins, minutes long and growing with repeats, and
lifted by the agency's coordinators and managers from the Login locks page."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import LoginLockLift, Role
from tests.agencies.login_helpers import (
    ADDRESS,
    OTHER_ADDRESS,
    THIRD_ADDRESS,
    WRONG,
    assert_logs_in,
    fail,
    lock_of,
    log_in,
    refused_log_in,
    time_passes,
)
from tests.conftest import client_for
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

LOCKS_URL = reverse("agencies:login-locks")
LIFT_URL = reverse("agencies:login-lock-lift")
WHO_CAN_LIFT = "Your Agency Coordinator or your manager can lift the lock sooner: in OCMS, under Login locks."
JUST_OVER = timedelta(seconds=1)


@pytest.fixture
def casey(caseworker):
    caseworker.user.first_name, caseworker.user.last_name = "Casey", "Tremblay"
    caseworker.user.save()
    return caseworker


@pytest.fixture
def small_address_limit(settings):
    """Spraying takes 8 failures here, not 30, to keep the tests short; a login still locks after 5."""
    settings.OCMS_ADDRESS_FAILURE_LIMIT = 8
    assert settings.AXES_FAILURE_LIMIT == 5


def until_text(username: str, address: str = ADDRESS) -> str:
    """When the login's lock ends, as the lock page writes it."""
    return f"{timezone.localtime(lock_of(username, address).expiration.expires_at):%H:%M}"


def spray(address: str = ADDRESS, times: int = 8, *, names: str = "guess") -> None:
    """One wrong password for each of `times` different logins, as a password sprayer tries."""
    for n in range(times):
        fail(f"{names}{n}", address=address)


# Per login and address


def test_it_still_accepts_the_right_password_after_four_failures(casey):
    fail("casey", 4)

    assert_logs_in(casey)


def test_it_answers_the_fifth_wrong_password_with_the_lock_page_saying_until_when_and_who_can_lift_it(casey):
    fail("casey", 4)

    response = log_in(Client(), "casey", WRONG)

    assertContains(response, "Account locked", status_code=429)
    assertContains(response, f"Try again after {until_text('casey')}.", status_code=429)
    assertContains(response, WHO_CAN_LIFT, status_code=429)


def test_it_refuses_the_right_password_from_the_address_of_five_wrong_ones(casey):
    fail("casey", 5)

    response = refused_log_in("casey")

    assertContains(response, f"Try again after {until_text('casey')}.", status_code=429)
    assertContains(response, WHO_CAN_LIFT, status_code=429)


def test_it_lets_the_locked_login_in_from_another_address(casey):
    # A stranger guessing at casey's login from elsewhere must not lock casey out at her own desk.
    fail("casey", 5, address=ADDRESS)

    assert_logs_in(casey, address=OTHER_ADDRESS)


def test_it_counts_the_guesses_together_whichever_spelling_of_the_login_they_use(casey):
    # The backend accepts the username in any case and the e-mail too: guesses spread over those spellings
    # are guesses at the same account.
    for spelling in ("casey", "CASEY", "Casey", "casey@example.org", "CASEY@EXAMPLE.ORG"):
        log_in(Client(), spelling, WRONG)

    response = refused_log_in("casey")

    assertContains(response, "Account locked", status_code=429)


def test_it_does_not_lock_another_login_from_the_same_address(casey, caseworker2):
    fail("casey", 5)

    assert_logs_in(caseworker2)


def test_another_logins_success_from_the_same_address_does_not_wipe_the_failures(casey, caseworker2):
    # Otherwise anyone with an account of their own could guess at a colleague's password without end:
    # four guesses, log in as themselves, four more.
    fail("casey", 4)
    log_in(Client(), "casey2")
    fail("casey", 1)

    response = refused_log_in("casey")

    assertContains(response, "Account locked", status_code=429)


def test_another_logins_success_from_the_same_address_does_not_lift_a_lock(casey, caseworker2):
    fail("casey", 5)
    log_in(Client(), "casey2")

    response = refused_log_in("casey")

    assertContains(response, "Account locked", status_code=429)


# Per address across logins (password spraying)


def test_it_locks_an_address_that_fails_too_often_across_logins_even_for_the_right_password(casey, small_address_limit):
    spray(times=8)

    response = refused_log_in("casey")

    assertContains(response, "Account locked", status_code=429)
    assertContains(response, WHO_CAN_LIFT, status_code=429)


def test_it_does_not_lock_an_address_below_its_limit_across_logins(casey, small_address_limit):
    spray(times=7)

    assert_logs_in(casey)


def test_a_sprayers_own_successful_login_does_not_reset_the_addresss_count(casey, caseworker2, small_address_limit):
    # A sprayer with an account of their own (casey2 here) must not earn fresh guesses by logging in with it.
    spray(times=7)
    log_in(Client(), "casey2")
    fail("guess-after-login")

    response = refused_log_in("casey")

    assertContains(response, "Account locked", status_code=429)


def test_a_sprayed_address_does_not_lock_the_same_login_from_another_address(casey, small_address_limit):
    spray(address=ADDRESS, times=8)

    assert_logs_in(casey, address=OTHER_ADDRESS)


# How long a lock lasts


def test_a_first_lock_lasts_five_minutes(casey):
    fail("casey", 5)

    attempt = lock_of("casey")

    assert attempt.expiration.expires_at - attempt.attempt_time == timedelta(minutes=5)


def test_a_lock_still_holds_just_before_its_five_minutes_are_up(casey):
    fail("casey", 5)
    time_passes(timedelta(minutes=5) - JUST_OVER)

    response = refused_log_in("casey")

    assertContains(response, "Account locked", status_code=429)


def test_the_right_password_works_again_once_the_five_minutes_are_up(casey):
    fail("casey", 5)
    time_passes(timedelta(minutes=5) + JUST_OVER)

    assert_logs_in(casey)


def test_a_spraying_lock_on_an_address_ends_after_five_minutes_too(casey, small_address_limit):
    spray(times=8)
    time_passes(timedelta(minutes=5) + JUST_OVER)

    assert_logs_in(casey)


def test_a_second_lock_after_the_first_has_ended_lasts_ten_minutes(casey):
    fail("casey", 5)
    time_passes(timedelta(minutes=5) + JUST_OVER)

    fail("casey", 5)

    attempt = lock_of("casey")
    assert attempt.failures_since_start == 5  # the first lock's failures no longer count
    assert attempt.expiration.expires_at - attempt.attempt_time == timedelta(minutes=10)


def test_a_second_spraying_lock_on_an_address_lasts_longer_than_the_first(casey, small_address_limit):
    # A sprayer tries fresh logins each round: the lock must grow with the address's repeats, or every
    # five minutes buys another full round of guesses.
    spray(times=8, names="first-round")
    time_passes(timedelta(minutes=5) + JUST_OVER)
    spray(times=8, names="second-round")
    time_passes(timedelta(minutes=5) + JUST_OVER)

    response = refused_log_in("casey")

    assertContains(response, "Account locked", status_code=429)


def test_a_failure_during_a_lock_extends_it(casey):
    fail("casey", 5)
    time_passes(timedelta(minutes=2))
    first_until = lock_of("casey").expiration.expires_at

    response = log_in(Client(), "casey", WRONG)

    assertContains(response, "Account locked", status_code=429)
    assert lock_of("casey").expiration.expires_at > first_until
    # Past the end of the first lock, the login is still locked.
    time_passes(timedelta(minutes=3) + JUST_OVER)
    response = refused_log_in("casey")
    assertContains(response, "Account locked", status_code=429)


# The Login locks page


@pytest.fixture
def outsider_locked(outsider):
    fail("otto", 5, address=THIRD_ADDRESS)
    return outsider


def test_it_lists_a_locked_staff_member_to_the_coordinator_with_address_and_end(
    coordinator_client, casey, outsider_locked
):
    fail("casey", 5)
    until = timezone.localtime(lock_of("casey").expiration.expires_at)

    response = coordinator_client.get(LOCKS_URL)

    assertContains(response, "<td>Casey Tremblay</td>", html=True)
    assertContains(response, "<td>casey</td>", html=True)
    assertContains(response, ADDRESS)
    assertContains(response, f"{until:%Y-%m-%d %H:%M}")
    assertContains(response, "Lift the lock of Casey Tremblay")


def test_it_does_not_list_a_lock_of_another_agencys_staff(coordinator_client, casey, outsider_locked):
    fail("casey", 5)

    response = coordinator_client.get(LOCKS_URL)

    assertNotContains(response, "<td>otto</td>", html=True)
    assertNotContains(response, THIRD_ADDRESS)
    assertNotContains(response, f'value="{outsider_locked.pk}"')


def test_it_does_not_list_failures_short_of_a_lock(coordinator_client, casey):
    fail("casey", 4)

    response = coordinator_client.get(LOCKS_URL)

    assertContains(response, "No login of your agency is locked.")
    assertNotContains(response, "<td>casey</td>", html=True)


def test_it_lists_a_staff_member_locked_by_a_sprayed_address_and_says_why(
    coordinator_client, casey, small_address_limit
):
    spray(times=8)
    log_in(Client(), "casey")

    response = coordinator_client.get(LOCKS_URL)

    assertContains(response, "<td>casey</td>", html=True)
    assertContains(response, "Locked because this address failed too often across logins.")


def test_the_coordinator_lifts_a_lock_and_the_staff_member_logs_in_from_that_address_again(coordinator_client, casey):
    fail("casey", 5)

    response = coordinator_client.post(LIFT_URL, {"staff": casey.pk}, follow=True)

    assertRedirects(response, LOCKS_URL)
    assertContains(response, "Casey Tremblay can log in again.")
    assertContains(response, "No login of your agency is locked.")
    assert not AccessAttempt.objects.filter(username="casey").exists()
    assert_logs_in(casey)


def test_lifting_a_lock_from_a_sprayed_address_lets_the_staff_member_log_in_from_it(
    coordinator_client, casey, small_address_limit
):
    # The page lists casey as locked (by the address) and offers to lift it; once lifted, the message says she
    # can log in again, and she must be able to.
    spray(times=8)
    log_in(Client(), "casey")

    response = coordinator_client.post(LIFT_URL, {"staff": casey.pk}, follow=True)

    assertContains(response, "Casey Tremblay can log in again.")
    assert_logs_in(casey)


def test_lifting_a_sprayed_address_for_one_staff_member_keeps_it_locked_for_every_other_login(
    coordinator_client, casey, outsider, small_address_limit
):
    spray(times=8)
    log_in(Client(), "casey")

    coordinator_client.post(LIFT_URL, {"staff": casey.pk})

    # Another agency's staff member at the same address is still refused, and the sprayer's count is kept.
    assert log_in(Client(), "otto").status_code == 429
    assert AccessAttempt.objects.filter(username__startswith="guess").count() == 8
    assert log_in(Client(), "casey").status_code == 302


def test_a_lifted_staff_member_is_still_locked_by_five_guesses_of_their_own_password(
    coordinator_client, casey, small_address_limit
):
    spray(times=8)
    log_in(Client(), "casey")
    coordinator_client.post(LIFT_URL, {"staff": casey.pk})

    fail("casey", 5)

    assertContains(log_in(Client(), "casey"), "Too many failed log-in attempts for this account", status_code=429)


def test_it_lists_the_locks_lifted_today_with_who_lifted_them(coordinator_client, coordinator, casey):
    coordinator.user.first_name, coordinator.user.last_name = "Cora", "Leblanc"
    coordinator.user.save()
    fail("casey", 5)
    coordinator_client.post(LIFT_URL, {"staff": casey.pk})

    response = coordinator_client.get(LOCKS_URL)

    assertContains(response, "Locks lifted in the last day")
    assertContains(response, "<td>Casey Tremblay</td>", html=True)
    assertContains(response, "<td>Cora Leblanc</td>", html=True)
    lift = LoginLockLift.objects.get()
    assert (lift.staff, lift.address, lift.across_logins, lift.lifted_by) == (casey, ADDRESS, False, coordinator.user)


def test_the_lock_page_says_when_the_whole_address_is_locked(casey, small_address_limit):
    spray(times=8)

    response = log_in(Client(), "casey")

    assertContains(
        response, "Too many failed log-in attempts from this address, across several logins", status_code=429
    )
    assertContains(response, WHO_CAN_LIFT, status_code=429)


def test_the_manager_sees_and_lifts_the_agencys_locks(manager_client, casey):
    fail("casey", 5)

    page = manager_client.get(LOCKS_URL)
    response = manager_client.post(LIFT_URL, {"staff": casey.pk})

    assertContains(page, "<td>casey</td>", html=True)
    assertRedirects(response, LOCKS_URL)
    assert log_in(Client(), "casey").status_code == 302


def test_it_refuses_the_page_to_a_caseworker(caseworker_client, casey):
    fail("casey", 5, address=OTHER_ADDRESS)

    response = caseworker_client.get(LOCKS_URL)

    assertNotContains(response, OTHER_ADDRESS, status_code=403)


def test_it_refuses_the_lift_to_a_caseworker_and_keeps_the_lock(caseworker_client, casey, caseworker2):
    fail("casey2", 5)

    response = caseworker_client.post(LIFT_URL, {"staff": caseworker2.pk})

    assert response.status_code == 403
    assert lock_of("casey2").failures_since_start == 5
    assert log_in(Client(), "casey2").status_code == 429


def test_it_answers_405_to_a_get_of_the_lift(coordinator_client, casey):
    fail("casey", 5)

    response = coordinator_client.get(LIFT_URL, {"staff": casey.pk})

    assert response.status_code == 405
    assert lock_of("casey").failures_since_start == 5


def test_it_answers_404_to_a_coordinator_lifting_another_agencys_lock_and_deletes_nothing(
    coordinator_client, outsider_locked
):
    response = coordinator_client.post(LIFT_URL, {"staff": outsider_locked.pk})

    assert response.status_code == 404
    assert lock_of("otto", THIRD_ADDRESS).failures_since_start == 5
    assert log_in(Client(), "otto", address=THIRD_ADDRESS).status_code == 429


def test_it_answers_404_to_another_agencys_coordinator_lifting_our_lock(casey, other_agency):
    other_coordinator = StaffFactory(agency=other_agency, role=Role.COORDINATOR, user__username="olga")
    fail("casey", 5)

    page = client_for(other_coordinator).get(LOCKS_URL)
    response = client_for(other_coordinator).post(LIFT_URL, {"staff": casey.pk})

    assertNotContains(page, "<td>casey</td>", html=True)
    assert response.status_code == 404
    assert lock_of("casey").failures_since_start == 5


def test_it_answers_404_to_a_lift_of_no_staff_member(coordinator_client, casey):
    fail("casey", 5)

    response = coordinator_client.post(LIFT_URL, {"staff": "not-a-number"})

    assert response.status_code == 404
    assert lock_of("casey").failures_since_start == 5


@pytest.mark.parametrize("persona", ["coordinator", "manager"])
def test_it_links_the_login_locks_page_in_the_sidebar_of_coordinators_and_managers(persona, request):
    response = client_for(request.getfixturevalue(persona)).get(reverse("home"))

    assertContains(response, f'<a class="nav-link" href="{LOCKS_URL}">Login locks</a>', html=True)


def test_it_does_not_link_the_login_locks_page_for_a_caseworker(caseworker_client):
    response = caseworker_client.get(reverse("home"))

    assertNotContains(response, LOCKS_URL)
    assertNotContains(response, "Login locks")
