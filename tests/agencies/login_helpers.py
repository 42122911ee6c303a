"""Logging in as a browser at a given address does, and letting time pass for the login locks."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog
from django.db.models import F
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

WRONG = "not-the-password"
# Documentation addresses (RFC 5737): one desk, another desk, a third place.
ADDRESS = "203.0.113.5"
OTHER_ADDRESS = "198.51.100.20"
THIRD_ADDRESS = "192.0.2.44"


def log_in(client: Client, username: str, password: str = PASSWORD, *, address: str = ADDRESS, **extra) -> HttpResponse:
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def fail(username: str, times: int = 1, *, address: str = ADDRESS, **extra) -> None:
    """Wrong passwords for `username` from `address`, each from a fresh browser."""
    for _ in range(times):
        log_in(Client(), username, WRONG, address=address, **extra)


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def assert_logs_in(staff, *, address: str = ADDRESS) -> None:
    """The staff member's right password, from a fresh browser at `address`, logs them in."""
    client = Client()
    response = log_in(client, staff.user.username, address=address)
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(staff.user.pk)


def refused_log_in(username: str, *, address: str = ADDRESS) -> HttpResponse:
    """The right password for `username` from a fresh browser at `address`, which logs nobody in: the answer."""
    client = Client()
    response = log_in(client, username, address=address)
    assert logged_in_user_id(client) is None
    return response


def lock_of(username: str, address: str = ADDRESS) -> AccessAttempt:
    """django-axes' record of the login's failures from the address: its count and its expiry."""
    return AccessAttempt.objects.select_related("expiration").get(username=username, ip_address=address)


def time_passes(delta: timedelta) -> None:
    """As if `delta` went by: every record of a failed login moves that far into the past.

    Moving the records rather than the clock: axes reads the time under several names
    (axes.handlers.proxy.now, django.utils.timezone.now) and the test client's own session would expire
    with a moved clock; shifted records are what a later request sees either way.
    """
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)
    AccessAttemptExpiration.objects.update(expires_at=F("expires_at") - delta)
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - delta)
