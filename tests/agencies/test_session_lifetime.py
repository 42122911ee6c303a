"""A login lasts one working day at most, however active, beside the 20-minute idle timeout; drafts outlive it."""

import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from agencies.middleware import LAST_SEEN, REMAINING_HEADER, SEEN_EVERY, SIGNED_IN_AT
from agencies.models import LoginSession as Session
from registration.models import Draft
from tests.agencies.login_helpers import log_in, logged_in_user_id
from tests.wizard import FIRST_NAME, draft_start, step_data, step_post, step_url

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def signed_in_seconds_ago(client: Client, seconds: float) -> None:
    session = client.session
    session[SIGNED_IN_AT] = time.time() - seconds
    session.save()


@pytest.fixture
def signed_in(caseworker) -> Client:
    """Casey, logged in through the login page as at the start of her day."""
    client = Client()
    assert log_in(client, "casey").status_code == 302
    return client


def test_a_login_lasts_ten_hours_at_most():
    assert settings.OCMS_SESSION_MAX_AGE == 10 * 60 * 60


def test_it_notes_when_the_login_began_and_keeps_it_however_active(signed_in):
    signed_in.get(HOME)
    began = signed_in.session[SIGNED_IN_AT]

    signed_in.get(HOME)

    assert began == pytest.approx(time.time(), abs=60)
    assert signed_in.session[SIGNED_IN_AT] == began


def test_it_logs_out_a_session_older_than_a_working_day_on_its_next_request(signed_in):
    signed_in_seconds_ago(signed_in, settings.OCMS_SESSION_MAX_AGE + 60)

    response = signed_in.get(HOME)

    assertRedirects(response, f"{reverse('login')}?next={HOME}")
    assert logged_in_user_id(signed_in) is None
    assert signed_in.get(HOME).status_code == 302


def test_it_keeps_a_session_younger_than_a_working_day(signed_in, caseworker):
    signed_in_seconds_ago(signed_in, settings.OCMS_SESSION_MAX_AGE - 60)

    response = signed_in.get(HOME)

    assertContains(response, "Register New Client")
    assert logged_in_user_id(signed_in) == str(caseworker.user.pk)


def test_it_keeps_the_registration_draft_of_a_session_that_ran_out(signed_in, caseworker):
    code = draft_start(signed_in)
    step_post(signed_in, code, "privacy", step_data("privacy", staff=caseworker))
    step_post(signed_in, code, "primary", step_data("primary", staff=caseworker))
    typed = Draft.objects.get(code=code).data
    signed_in_seconds_ago(signed_in, settings.OCMS_SESSION_MAX_AGE + 60)

    response = signed_in.get(step_url(code, "primary"))

    assertRedirects(response, f"{reverse('login')}?next={step_url(code, 'primary')}")
    assert Draft.objects.get(code=code, owner=caseworker.user).data == typed
    # Logged in again, the draft opens with what was typed.
    assert log_in(signed_in, "casey").status_code == 302
    assertContains(signed_in.get(step_url(code, "primary")), f'value="{FIRST_NAME}"')


def test_a_new_login_after_the_working_day_starts_a_new_one(signed_in, caseworker):
    signed_in_seconds_ago(signed_in, settings.OCMS_SESSION_MAX_AGE + 60)
    signed_in.get(HOME)

    log_in(signed_in, "casey")
    response = signed_in.get(HOME)

    assert response.status_code == 200
    assert logged_in_user_id(signed_in) == str(caseworker.user.pk)
    assert signed_in.session[SIGNED_IN_AT] == pytest.approx(time.time(), abs=60)


def expiry(client: Client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_activity_moves_the_idle_timeout_forward_once_a_minute(signed_in):
    assert settings.SESSION_COOKIE_AGE == 20 * 60
    signed_in.get(HOME)
    expires = expiry(signed_in)

    # Within the minute: the session is read, not written again.
    within = signed_in.get(HOME)

    assert settings.SESSION_COOKIE_NAME not in within.cookies
    assert expiry(signed_in) == expires

    # A minute later: saved once, its expiry 20 minutes from now.
    session = signed_in.session
    session[LAST_SEEN] = time.time() - SEEN_EVERY - 1
    session.save()
    later = signed_in.get(HOME)

    assert later.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 20 * 60
    assert signed_in.session[LAST_SEEN] == pytest.approx(time.time(), abs=5)
    assert expiry(signed_in) > expires


def test_a_session_idle_past_its_expiry_is_logged_out(signed_in):
    signed_in.get(HOME)
    Session.objects.filter(session_key=signed_in.session.session_key).update(expire_date=timezone.now())

    assertRedirects(signed_in.get(HOME), f"{reverse('login')}?next={HOME}")


def test_a_page_reads_the_user_with_their_staff_profile_and_agency_in_one_query(signed_in, caseworker):
    signed_in.get(HOME)

    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(reverse("clients:client-find"))

    assert response.context["request"].agency == caseworker.agency
    profile_reads = [query["sql"] for query in queries if '"agencies_staffprofile"' in query["sql"]]
    assert len(profile_reads) == 1, profile_reads
    assert '"auth_user"' in profile_reads[0] and '"agencies_agency"' in profile_reads[0]
    # The session was read, not written.
    assert not [query for query in queries if query["sql"].startswith('UPDATE "agencies_loginsession"')]


# The idle warning: the page knows how long the login has left, asking does not keep it, "Stay signed in" does.

SESSION = reverse("agencies:session")


def seen_seconds_ago(client: Client, seconds: float) -> None:
    client.get(HOME)  # the first page after the login stamps its start
    session = client.session
    session[LAST_SEEN] = time.time() - seconds
    session.save()


def test_every_page_tells_how_long_the_login_has_left(signed_in):
    page = signed_in.get(HOME)

    assert int(page[REMAINING_HEADER]) == pytest.approx(20 * 60, abs=5)
    assertContains(page, f'data-session-url="{SESSION}"')
    assertContains(page, 'role="alertdialog"')
    assertContains(page, "Stay signed in")


def test_asking_how_long_is_left_does_not_keep_the_login(signed_in):
    seen_seconds_ago(signed_in, 18 * 60)
    expires = expiry(signed_in)

    answer = signed_in.get(SESSION)

    assert answer.json()["remaining"] == pytest.approx(2 * 60, abs=5)
    assert expiry(signed_in) == expires


def test_stay_signed_in_keeps_the_login_another_twenty_minutes(signed_in):
    seen_seconds_ago(signed_in, 18 * 60)
    expires = expiry(signed_in)

    answer = signed_in.post(SESSION)

    assert answer.json()["remaining"] == pytest.approx(20 * 60, abs=5)
    assert expiry(signed_in) > expires
    assert signed_in.get(SESSION).json()["remaining"] == pytest.approx(20 * 60, abs=5)


def test_the_login_left_is_never_past_the_working_day(signed_in):
    signed_in_seconds_ago(signed_in, settings.OCMS_SESSION_MAX_AGE - 5 * 60)

    assert signed_in.get(SESSION).json()["remaining"] == pytest.approx(5 * 60, abs=5)


def test_after_the_login_ended_the_question_leads_to_the_login_page(signed_in):
    Session.objects.filter(session_key=signed_in.session.session_key).update(expire_date=timezone.now())

    answer = signed_in.get(SESSION)

    assert answer.status_code == 302
    assert REMAINING_HEADER not in answer
