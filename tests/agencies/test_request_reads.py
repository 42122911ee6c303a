"""What every signed-in request reads before its view: the session with its user, their staff profile, agency and
default site, in one fixed statement (agencies/sessions.py, agencies/backends.py); Django's checks of the session
still hold."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from agencies.backends import UsernameOrEmailBackend
from agencies.models import LoginSession as Session
from agencies.models import StaffProfile
from agencies.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_staff_profile_agency_and_site_in_one_query(caseworker):
    caseworker.default_site = caseworker.agency.sites.order_by("name").first()
    caseworker.save()
    expected = StaffProfile.objects.select_related("user", "agency", "default_site").get(pk=caseworker.pk)

    with CaptureQueriesContext(connection) as queries:
        user = UsernameOrEmailBackend().get_user(caseworker.user_id)
        profile = user.staff_profile
        read = (
            user.username,
            user.email,
            user.is_active,
            user.last_login,
            profile.role,
            profile.may_unlock_sensitive,
            profile.user is user,
            profile.agency.name,
            profile.agency.code,
            profile.default_site.name,
            profile.default_site.code,
        )

    assert len(queries) == 1
    assert read == (
        expected.user.username,
        expected.user.email,
        True,
        expected.user.last_login,
        expected.role,
        expected.may_unlock_sensitive,
        True,
        expected.agency.name,
        expected.agency.code,
        expected.default_site.name,
        expected.default_site.code,
    )


def test_a_profile_without_default_site_reads_none(caseworker):
    StaffProfile.objects.filter(pk=caseworker.pk).update(default_site=None)

    user = UsernameOrEmailBackend().get_user(caseworker.user_id)

    with CaptureQueriesContext(connection) as queries:
        assert user.staff_profile.default_site is None
        assert user.staff_profile.agency == caseworker.agency
    assert len(queries) == 0


def test_a_user_without_staff_profile_reads_as_none_without_a_query():
    user_id = UserFactory(username="root-like").pk

    user = UsernameOrEmailBackend().get_user(user_id)

    with CaptureQueriesContext(connection) as queries, pytest.raises(StaffProfile.DoesNotExist):
        user.staff_profile  # noqa: B018 - reading it is the test
    assert len(queries) == 0


def test_an_unknown_or_inactive_user_has_no_session_user(caseworker):
    get_user_model().objects.filter(pk=caseworker.user_id).update(is_active=False)

    assert UsernameOrEmailBackend().get_user(caseworker.user_id) is None
    assert UsernameOrEmailBackend().get_user(caseworker.user_id + 1000) is None


def test_a_saved_session_reads_back_and_an_expired_one_is_forgotten():
    store = SessionStore()
    store["note"] = "kept"
    store.create()
    key = store.session_key

    assert SessionStore(key).load() == {"note": "kept"}

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None


def test_a_signed_in_page_reads_session_and_user_in_one_statement(caseworker, caseworker_client):
    caseworker_client.get("/health/")  # the first request of a login notes its time in the session (one write)

    with CaptureQueriesContext(connection) as queries:
        response = caseworker_client.get("/")

    assertContains(response, caseworker.agency.name)  # the menu names the user's agency: the user was read
    assert len(queries) == 1
    assert queries[0]["sql"].split(" FROM ")[1].split()[0] == '"agencies_loginsession"'
    assert '"auth_user"' in queries[0]["sql"]


def test_the_session_row_names_its_user_and_goes_with_them(caseworker, caseworker_client):
    caseworker_client.get("/")
    session = Session.objects.get(session_key=caseworker_client.session.session_key)

    assert session.user_id == caseworker.user_id

    get_user_model().objects.filter(pk=caseworker.user_id).delete()
    assert not Session.objects.filter(pk=session.pk).exists()


def test_a_session_whose_password_changed_signs_out_though_its_user_came_with_it(caseworker, caseworker_client):
    # The user read with the session still goes through Django's check of the session's password hash.
    user = caseworker.user
    user.set_password("a-new-secret-2026")
    user.save()

    assertRedirects(caseworker_client.get("/"), "/accounts/login/?next=/", fetch_redirect_response=False)


def test_a_deactivated_user_read_with_the_session_is_signed_out(caseworker, caseworker_client):
    get_user_model().objects.filter(pk=caseworker.user_id).update(is_active=False)

    assertRedirects(caseworker_client.get("/"), "/accounts/login/?next=/", fetch_redirect_response=False)


def test_an_expired_session_signs_the_caseworker_out(caseworker_client):
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    assertRedirects(caseworker_client.get("/"), "/accounts/login/?next=/", fetch_redirect_response=False)


def test_the_statement_every_request_runs_is_prepared_once_not_planned_each_time(caseworker_client):
    for _ in range(4):
        caseworker_client.get("/")

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]

    assert [statement for statement in prepared if '"agencies_loginsession"' in statement]
