"""Sensitive Information behind the login password: unlocking, each outcome and its log row, the lockout,
editing behind the password, and the password never kept anywhere."""

import logging
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import AgencyList, Role
from agencies.models import LoginSession as HttpSession
from clients.models import SensitiveInfo, UnlockAttempt, UnlockOutcome, UnlockSubject
from clients.unlock import LOCKOUT_FAILURES, unlock_locked_until
from tests.clients.pages import attribute, elements, fragment, one, parsed, text_of
from tests.clients.sensitive_helpers import (
    ILLNESSES,
    INCOME,
    INSURANCE,
    TABS,
    WRONG,
    assert_every_secret,
    assert_no_secrets,
    client_with_secrets,
    detail_url,
    edit_url,
    has_password_field,
    is_not_cacheable,
    item,
    opened_version,
    unlock,
    unlock_url,
    update_url,
)
from tests.conftest import client_for
from tests.factories import PASSWORD, ClientFactory, StaffFactory
from tests.wizard import input_value, step_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(caseworker):
    return client_with_secrets(caseworker)


@pytest.fixture
def caseworker2_client(caseworker2):
    """A caseworker of the same agency without the sensitive-information grant."""
    return client_for(caseworker2)


def only_attempt() -> UnlockAttempt:
    attempts = list(UnlockAttempt.objects.all())
    assert len(attempts) == 1, attempts
    return attempts[0]


def fail_times(http, client, times: int) -> None:
    for _ in range(times):
        assert unlock(http, client, WRONG).status_code == 200


# The profile, locked


def test_it_shows_the_section_locked_with_a_password_field_and_an_unlock_button(caseworker_client, secret):
    response = caseworker_client.get(detail_url(secret))

    assertContains(response, "<strong>Locked.</strong>", html=True)
    assert has_password_field(response)
    form = one(elements(parsed(response), "form", action=unlock_url(secret)))
    assert fragment('<button type="submit" class="btn btn-primary">Unlock</button>') in form


def test_it_never_sends_the_sensitive_values_with_the_profile(caseworker_client, manager_client, secret):
    for http in (caseworker_client, manager_client):
        response = http.get(detail_url(secret))

        assert_no_secrets(response)
        assertNotContains(response, 'role="tab"')


def test_it_marks_the_profile_not_cacheable(caseworker_client, secret):
    assert is_not_cacheable(caseworker_client.get(detail_url(secret)))


# Unlocking: each outcome and its log row


def test_it_unlocks_the_four_tabs_for_granted_staff_with_their_password(caseworker_client, caseworker, secret):
    response = unlock(caseworker_client, secret, address="203.0.113.7")

    assert [text_of(tab) for tab in elements(parsed(response), "button", role="tab")] == list(TABS)
    assert_every_secret(response)
    assert is_not_cacheable(response)
    attempt = only_attempt()
    assert attempt.outcome == UnlockOutcome.GRANTED
    assert (attempt.user, attempt.client, attempt.agency) == (caseworker.user, secret, caseworker.agency)
    assert attempt.address == "203.0.113.7"
    assert timezone.now() - attempt.at < timedelta(minutes=1)


def test_it_logs_the_address_the_request_came_from(caseworker_client, secret):
    caseworker_client.post(unlock_url(secret), {"password": PASSWORD}, REMOTE_ADDR="198.51.100.23")

    assert only_attempt().address == "198.51.100.23"


def test_it_swaps_in_only_the_section_for_htmx(caseworker_client, secret):
    response = unlock(caseworker_client, secret, htmx=True)

    section = parsed(response)
    assert (section.name, attribute(section, "id")) == ("div", "sensitive-info")
    assertNotContains(response, "<html")
    assertContains(response, ILLNESSES, html=True)
    assert is_not_cacheable(response)
    assert "HX-Request" in response["Vary"]


def test_it_shows_a_client_without_sensitive_information_as_not_recorded(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)

    response = unlock(caseworker_client, client)

    assertContains(response, "Not recorded", count=4, html=True)
    assert only_attempt().outcome == UnlockOutcome.GRANTED


def test_it_refuses_a_wrong_password_and_logs_it(caseworker_client, caseworker, secret):
    response = unlock(caseworker_client, secret, WRONG)

    assertContains(response, "That password is not correct")
    assert_no_secrets(response)
    assert has_password_field(response)
    assert is_not_cacheable(response)
    attempt = only_attempt()
    assert (attempt.outcome, attempt.user, attempt.client) == (UnlockOutcome.WRONG_PASSWORD, caseworker.user, secret)


NO_PASSWORD = "Enter the password you log in with to unlock: nothing was tried, so nothing is logged."


def test_an_empty_password_asks_for_one_and_is_no_attempt_logged_or_counted(caseworker_client, caseworker, secret):
    """Enter pressed in another field of the form sends it with the password box empty: no guess at a password, so
    nothing in the log and nothing towards the lock (five of them used to lock the caseworker out)."""
    for _ in range(LOCKOUT_FAILURES):
        response = caseworker_client.post(unlock_url(secret), {"password": ""})
        assert_no_secrets(response)
        assertContains(response, NO_PASSWORD)

    assert not UnlockAttempt.objects.exists()
    assert unlock_locked_until(user=caseworker.user, now=timezone.now()) is None
    assertContains(unlock(caseworker_client, secret), ILLNESSES, html=True)


def test_an_edit_saved_without_the_password_asks_for_it_and_keeps_what_was_typed(caseworker_client, agency, secret):
    data = sensitive_post(agency, "", opened_version=opened_version(secret))

    response = caseworker_client.post(update_url(secret), data)

    assertContains(response, NO_PASSWORD)
    assertContains(response, "Hypertension")  # typed in Illnesses, kept
    assert not UnlockAttempt.objects.exists()
    assert SensitiveInfo.objects.get(client=secret).illnesses == ILLNESSES


def test_staff_without_the_grant_are_refused_and_logged_even_without_a_password(caseworker2_client, secret):
    response = caseworker2_client.post(unlock_url(secret), {"password": ""})

    assert response.status_code == 403
    assert only_attempt().outcome == UnlockOutcome.NOT_PERMITTED


def test_it_refuses_a_caseworker_without_the_grant_even_with_the_right_password(
    caseworker2_client, caseworker2, secret
):
    response = unlock(caseworker2_client, secret)

    assertContains(response, "You are not granted access to sensitive information", status_code=403)
    assert_no_secrets(response, status_code=403)
    attempt = only_attempt()
    assert (attempt.outcome, attempt.user, attempt.client) == (UnlockOutcome.NOT_PERMITTED, caseworker2.user, secret)


def test_it_refuses_a_coordinator_without_the_grant(coordinator_client, secret):
    response = unlock(coordinator_client, secret)

    assert_no_secrets(response, status_code=403)
    assert only_attempt().outcome == UnlockOutcome.NOT_PERMITTED


def test_it_tells_staff_without_the_grant_before_they_try(caseworker2_client, caseworker_client, secret):
    # On the profile and on the edit page alike; staff with the grant are told nothing of the kind.
    for url in (detail_url(secret), edit_url(secret)):
        assertContains(caseworker2_client.get(url), "Your account is not granted access to sensitive information")
        assertNotContains(caseworker_client.get(url), "not granted access")


def test_it_lets_a_granted_manager_unlock(manager_client, manager, secret):
    response = unlock(manager_client, secret)

    assertContains(response, INSURANCE, html=True)
    assert only_attempt().user == manager.user


# Locked again on the next request


def test_it_shows_the_section_locked_again_on_the_next_request(caseworker_client, secret):
    caseworker_client.get(reverse("home"))
    session_before = dict(caseworker_client.session.items())
    assert unlock(caseworker_client, secret).status_code == 200

    response = caseworker_client.get(detail_url(secret))

    assert_no_secrets(response)
    assert has_password_field(response)
    # Nothing about the unlock was remembered for later requests.
    assert dict(caseworker_client.session.items()) == session_before


def lock_url(client) -> str:
    return reverse("clients:sensitive-lock", kwargs={"code": client.code})


def test_lock_swaps_the_locked_section_in_for_the_unlocked_one(caseworker_client, secret):
    unlocked = unlock(caseworker_client, secret, htmx=True)
    lock = one([link for link in elements(parsed(unlocked), "a") if text_of(link) == "Lock"])
    assert (attribute(lock, "hx-get"), attribute(lock, "hx-target")) == (lock_url(secret), "#sensitive-info")

    response = caseworker_client.get(lock_url(secret), headers={"HX-Request": "true"})

    section = parsed(response)
    assert (section.name, attribute(section, "id")) == ("div", "sensitive-info")
    assertNotContains(response, "<html")
    assert_no_secrets(response)
    assert has_password_field(response)
    # Said to a screen reader, and the password field ready for the next unlock.
    assert text_of(one(elements(section, "p", role="status"))).startswith("Locked.")
    assert "autofocus" in dict(one(elements(section, "input", type="password")).attributes)
    assert is_not_cacheable(response)
    assert "HX-Request" in response["Vary"]
    # Locking is no attempt to unlock.
    assert only_attempt().outcome == UnlockOutcome.GRANTED


def test_lock_without_scripts_goes_back_to_the_profile(caseworker_client, secret):
    response = caseworker_client.get(lock_url(secret))

    assertRedirects(response, detail_url(secret) + "#section-sensitive-info", fetch_redirect_response=False)


def test_lock_answers_404_to_the_outsider_and_for_an_anonymous_client(
    outsider_client, caseworker_client, caseworker, secret
):
    anonymous = ClientFactory(registered_by=caseworker, anonymous=True)

    assert outsider_client.get(lock_url(secret), headers={"HX-Request": "true"}).status_code == 404
    assert caseworker_client.get(lock_url(anonymous), headers={"HX-Request": "true"}).status_code == 404
    assert caseworker_client.post(lock_url(secret), headers={"HX-Request": "true"}).status_code == 405


def test_it_answers_405_to_a_get_of_the_unlock(caseworker_client, secret):
    assert caseworker_client.get(unlock_url(secret)).status_code == 405
    assert not UnlockAttempt.objects.exists()


def test_it_answers_404_to_the_outsider_and_logs_it_for_the_outsiders_own_managers(outsider_client, outsider, secret):
    assert unlock(outsider_client, secret).status_code == 404
    assert outsider_client.get(edit_url(secret)).status_code == 404
    assert outsider_client.post(edit_url(secret), {"password": PASSWORD}).status_code == 404
    assert outsider_client.post(update_url(secret), {"password": PASSWORD, "illnesses": "x"}).status_code == 404

    assert SensitiveInfo.objects.get(client=secret).illnesses == ILLNESSES
    # Nothing in the client's agency's log, nor anything that names the client; three refusals in the outsider's.
    assert not UnlockAttempt.objects.for_agency(secret.agency).exists()
    logged = UnlockAttempt.objects.for_agency(outsider.agency)
    assert (
        list(logged.values_list("user", "subject", "client", "reference", "outcome"))
        == [(outsider.user_id, UnlockSubject.OUTSIDE, None, secret.code, UnlockOutcome.OUTSIDE_AGENCY)] * 3
    )


def test_it_shows_the_outsiders_attempt_to_their_own_manager_without_the_clients_name(
    outsider_client, other_agency, secret
):
    manager = StaffFactory(agency=other_agency, role=Role.MANAGER, user__username="harbour-manager")
    unlock(outsider_client, secret)

    response = client_for(manager).get(reverse("clients:unlock-log"))

    assertContains(response, "Refused: not a client of your agency")
    assertContains(response, "No client of this agency")
    assertNotContains(response, secret.last_name)


def test_it_answers_404_for_an_anonymous_client(caseworker_client, caseworker):
    anonymous = ClientFactory(registered_by=caseworker, anonymous=True)

    assert unlock(caseworker_client, anonymous).status_code == 404
    assert not UnlockAttempt.objects.exists()


# Locked out after repeated wrong passwords


def test_it_locks_unlocking_for_15_minutes_after_5_wrong_passwords(caseworker_client, caseworker, secret):
    fail_times(caseworker_client, secret, LOCKOUT_FAILURES)

    response = unlock(caseworker_client, secret)

    assertContains(response, "locked for 15 minutes after 5 wrong passwords", status_code=429)
    assert_no_secrets(response, status_code=429)
    latest = UnlockAttempt.objects.first()
    assert latest.outcome == UnlockOutcome.LOCKED_OUT
    assert latest.user == caseworker.user
    assert UnlockAttempt.objects.filter(outcome=UnlockOutcome.WRONG_PASSWORD).count() == LOCKOUT_FAILURES


def test_it_keeps_the_lock_on_every_client_of_the_agency(caseworker_client, caseworker, secret):
    other = client_with_secrets(caseworker, first_name="Bilal")
    fail_times(caseworker_client, secret, LOCKOUT_FAILURES)

    response = unlock(caseworker_client, other)

    assert_no_secrets(response, status_code=429)


def test_it_unlocks_again_once_the_15_minutes_have_passed(caseworker_client, secret):
    fail_times(caseworker_client, secret, LOCKOUT_FAILURES)
    UnlockAttempt.objects.update(at=timezone.now() - timedelta(minutes=15, seconds=5))

    response = unlock(caseworker_client, secret)

    assert response.status_code == 200
    assert UnlockAttempt.objects.first().outcome == UnlockOutcome.GRANTED


def test_it_does_not_lock_for_wrong_passwords_spread_over_more_than_15_minutes(caseworker_client, caseworker, secret):
    now = timezone.now()
    for minutes in (20, 16, 10, 5, 1):
        UnlockAttempt.objects.create(
            agency=caseworker.agency,
            client=secret,
            user=caseworker.user,
            at=now - timedelta(minutes=minutes),
            outcome=UnlockOutcome.WRONG_PASSWORD,
        )

    assert unlock(caseworker_client, secret).status_code == 200


def test_it_starts_counting_again_after_a_granted_unlock(caseworker_client, secret):
    fail_times(caseworker_client, secret, LOCKOUT_FAILURES - 1)
    assert unlock(caseworker_client, secret).status_code == 200
    fail_times(caseworker_client, secret, 1)

    assert unlock(caseworker_client, secret).status_code == 200


def test_it_locks_only_the_user_who_guessed(caseworker_client, manager_client, secret):
    fail_times(caseworker_client, secret, LOCKOUT_FAILURES)

    assert unlock(manager_client, secret).status_code == 200


def test_it_says_when_the_lock_ends(caseworker, secret):
    start = timezone.now() - timedelta(minutes=3)
    for seconds in range(LOCKOUT_FAILURES):
        UnlockAttempt.objects.create(
            agency=caseworker.agency,
            client=secret,
            user=caseworker.user,
            at=start + timedelta(seconds=seconds),
            outcome=UnlockOutcome.WRONG_PASSWORD,
        )

    until = unlock_locked_until(user=caseworker.user)

    assert until == start + timedelta(seconds=LOCKOUT_FAILURES - 1, minutes=15)


# Editing behind the password


def sensitive_post(agency, password: str, **values) -> dict:
    return {
        "password": password,
        "health_insurance_status": str(item(agency, AgencyList.HEALTH_INSURANCE_STATUS, "Private insurance").pk),
        "illnesses": "Hypertension",
        "self_identity": [str(item(agency, AgencyList.SELF_IDENTITY, "Senior").pk)],
        "family_income": str(item(agency, AgencyList.FAMILY_INCOME, INCOME).pk),
        **values,
    }


def test_it_links_the_section_to_its_password_protected_edit_page(caseworker_client, secret):
    response = caseworker_client.get(detail_url(secret))

    assertContains(
        response,
        f'<a class="btn btn-sm btn-outline-primary" href="{edit_url(secret)}">Edit'
        '<span class="visually-hidden"> Sensitive Information</span></a>',
        html=True,
    )


def test_it_asks_for_the_password_before_showing_the_edit_form(caseworker_client, secret):
    response = caseworker_client.get(edit_url(secret))

    assert has_password_field(response)
    assert_no_secrets(response)
    assertNotContains(response, 'name="illnesses"')
    assert not UnlockAttempt.objects.exists()


def test_it_opens_the_edit_form_with_the_right_password(caseworker_client, secret):
    response = caseworker_client.post(edit_url(secret), {"password": PASSWORD})

    assertContains(response, ILLNESSES, html=True)
    form = one(elements(parsed(response), "form", action=update_url(secret)))
    assert elements(form, "input", type="password", name="password")
    assert is_not_cacheable(response)
    assert only_attempt().outcome == UnlockOutcome.GRANTED


def test_it_keeps_the_edit_form_locked_for_a_wrong_password(caseworker_client, secret):
    response = caseworker_client.post(edit_url(secret), {"password": WRONG})

    assert_no_secrets(response)
    assertContains(response, "That password is not correct")
    assert only_attempt().outcome == UnlockOutcome.WRONG_PASSWORD


def test_it_keeps_the_edit_form_locked_for_staff_without_the_grant(caseworker2_client, secret):
    response = caseworker2_client.post(edit_url(secret), {"password": PASSWORD})

    assert_no_secrets(response, status_code=403)
    assert only_attempt().outcome == UnlockOutcome.NOT_PERMITTED


def test_it_saves_the_edit_with_the_right_password(caseworker_client, caseworker, secret, agency):
    response = caseworker_client.post(
        update_url(secret), sensitive_post(agency, PASSWORD, opened_version=opened_version(secret))
    )

    # Not followed here: following it would show, and so use up, the message the next page must show.
    assertRedirects(response, detail_url(secret) + "#section-sensitive-info", fetch_redirect_response=False)
    info = SensitiveInfo.objects.get(client=secret)
    assert info.illnesses == "Hypertension"
    assert info.health_insurance_status.label == "Private insurance"
    assert [i.label for i in info.self_identity.all()] == ["Senior"]
    assert info.history.latest().history_user == caseworker.user
    assert only_attempt().outcome == UnlockOutcome.GRANTED
    after = caseworker_client.get(response.url)
    assertContains(after, "The Sensitive Information is updated")
    assertNotContains(after, "Hypertension")


def test_it_creates_the_sensitive_information_of_a_client_who_had_none(caseworker_client, caseworker, agency):
    client = ClientFactory(registered_by=caseworker)

    response = caseworker_client.post(
        update_url(client), sensitive_post(agency, PASSWORD, opened_version=opened_version(client))
    )

    assertRedirects(response, detail_url(client) + "#section-sensitive-info")
    assert SensitiveInfo.objects.get(client=client).illnesses == "Hypertension"


def test_it_saves_nothing_with_a_wrong_password_and_keeps_what_was_typed(caseworker_client, secret, agency):
    response = caseworker_client.post(update_url(secret), sensitive_post(agency, WRONG))

    assertContains(response, "That password is not correct")
    assertContains(response, "Hypertension", html=True)
    assert SensitiveInfo.objects.get(client=secret).illnesses == ILLNESSES
    assert only_attempt().outcome == UnlockOutcome.WRONG_PASSWORD
    assert is_not_cacheable(response)


def test_it_saves_nothing_for_staff_without_the_grant(caseworker2_client, secret, agency):
    response = caseworker2_client.post(update_url(secret), sensitive_post(agency, PASSWORD))

    assertNotContains(response, "Hypertension", status_code=403)
    assert_no_secrets(response, status_code=403)
    assert SensitiveInfo.objects.get(client=secret).illnesses == ILLNESSES
    assert only_attempt().outcome == UnlockOutcome.NOT_PERMITTED


def test_it_saves_nothing_while_the_user_is_locked_out(caseworker_client, secret, agency):
    fail_times(caseworker_client, secret, LOCKOUT_FAILURES)

    response = caseworker_client.post(update_url(secret), sensitive_post(agency, PASSWORD))

    assert response.status_code == 429
    assert SensitiveInfo.objects.get(client=secret).illnesses == ILLNESSES


def test_it_answers_405_to_a_get_of_the_update(caseworker_client, secret):
    assert caseworker_client.get(update_url(secret)).status_code == 405


def test_it_keeps_sensitive_fields_out_of_the_profiles_section_edit(caseworker_client, caseworker, secret):
    url = reverse("registration:section-edit", kwargs={"code": secret.code, "section": "sensitive"})

    form = caseworker_client.get(url)
    data = {**step_data("sensitive", staff=caseworker), "volunteer_status": "active"}
    data["opened_version"] = input_value(form, "opened_version")
    data["sensitive-illnesses"] = "Overwritten without a password"
    response = caseworker_client.post(url, data)

    assertNotContains(form, 'name="sensitive-illnesses"')
    assert_no_secrets(form)
    assertContains(form, f'<a href="{edit_url(secret)}">Edit Sensitive Information</a>', html=True)
    assertRedirects(response, detail_url(secret) + "#section-sensitive")
    secret.refresh_from_db()
    assert secret.volunteer_status == "active"
    assert SensitiveInfo.objects.get(client=secret).illnesses == ILLNESSES


# The password is never kept


def every_attempt(caseworker_client, caseworker2_client, secret, agency) -> None:
    unlock(caseworker_client, secret, WRONG)
    unlock(caseworker_client, secret)
    unlock(caseworker2_client, secret)
    caseworker_client.post(edit_url(secret), {"password": PASSWORD})
    caseworker_client.post(update_url(secret), sensitive_post(agency, PASSWORD))
    caseworker_client.post(update_url(secret), sensitive_post(agency, WRONG))
    for _ in range(LOCKOUT_FAILURES):
        unlock(caseworker_client, secret, WRONG)
    assert unlock(caseworker_client, secret).status_code == 429


def test_it_never_writes_the_password_to_a_log(caseworker_client, caseworker2_client, secret, agency, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    # Capturing queries also makes django.db.backends log every statement with its parameters.
    with CaptureQueriesContext(connection) as queries:
        every_attempt(caseworker_client, caseworker2_client, secret, agency)

    assert caplog.records, "nothing was logged: the test would prove nothing"
    assert any("INSERT" in record.getMessage() for record in caplog.records)
    assert PASSWORD not in caplog.text
    assert WRONG not in caplog.text
    assert not [query["sql"] for query in queries if PASSWORD in query["sql"] or WRONG in query["sql"]]


def text_values(model: type[models.Model]) -> list[str]:
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]
    return [str(value) for row in model.objects.values_list(*names) for value in row] if names else []


def test_it_never_stores_the_password_in_the_database(caseworker_client, caseworker2_client, secret, agency):
    every_attempt(caseworker_client, caseworker2_client, secret, agency)

    assert UnlockAttempt.objects.count() > LOCKOUT_FAILURES
    history_tables = [model for model in apps.get_models() if model.__name__.startswith("Historical")]
    assert SensitiveInfo.history.model in history_tables
    for model in apps.get_models():
        for value in text_values(model):
            assert PASSWORD not in value, model.__name__
            assert WRONG not in value, model.__name__
    for session in HttpSession.objects.all():
        assert PASSWORD not in str(session.get_decoded())
