"""Login lockouts: django-axes with OCMS's policy.

- Failures count per login *and* address together (AXES_FAILURE_LIMIT): a stranger guessing at someone's
  login from elsewhere locks only themselves out, never the person at their own desk.
- An address also has a higher limit across every login (OCMS_ADDRESS_FAILURE_LIMIT), against password
  spraying.
- A lock lasts minutes, and doubles with each failure made while locked in the last day.
- The agency's coordinators and managers see and lift their staff's locks (agencies.views.login_locks).

Each failure's expiry is when its lock would end (axes' attempt expiration); a failure counts while it has not
expired.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agencies.backends import axes_username
from agencies.models import Agency, StaffProfile

FIRST_LOCK = timedelta(minutes=5)
DOUBLINGS = 3  # 5, 10, 20, then at most 40 minutes
REPEATS_WINDOW = timedelta(days=1)


def lock_length(request: HttpRequest | None) -> timedelta:
    """How long a failure made now keeps counting: 5 minutes, doubled by each failure made while locked that day."""
    if request is None:
        return FIRST_LOCK
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    repeats = AccessFailureLog.objects.filter(
        username=axes_username(request, None),
        ip_address=getattr(request, "axes_ip_address", None) or get_client_ip_address(request),
        locked_out=True,
        attempt_time__gt=now - REPEATS_WINDOW,
    ).count()
    return FIRST_LOCK * 2 ** min(repeats, DOUBLINGS)


class OcmsAxesHandler(AxesDatabaseHandler):
    """axes' database handler, counting each failure until its own expiry, with a second limit per address."""

    def get_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> list[QuerySet]:
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        return [
            attempts.filter(expiration__expires_at__gt=now)
            for attempts in self.filter_user_attempts(request, credentials)
        ]

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # AXES_LOCKOUT_PARAMETERS: [["username", "ip_address"], "ip_address"], in that order.
        by_login, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.OCMS_ADDRESS_FAILURE_LIMIT:
            return max(by_login, settings.AXES_FAILURE_LIMIT)
        return by_login


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The page a locked-out login gets: until when, and who can lift the lock sooner."""
    by_login, by_address = OcmsAxesHandler().get_user_attempts(request, credentials)
    locking = by_login
    if (by_address.aggregate(total=Sum("failures_since_start"))["total"] or 0) >= settings.OCMS_ADDRESS_FAILURE_LIMIT:
        locking = by_address
    until = locking.aggregate(until=Max("expiration__expires_at"))["until"]
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"locked_until": until and timezone.localtime(until)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


@dataclass(frozen=True)
class LoginLock:
    """A staff member's login locked from one address, and until when."""

    staff: StaffProfile
    address: str | None
    failures: int
    until: datetime
    by_address: bool  # locked because the address failed too often across logins


def login_locks(*, agency: Agency) -> list[LoginLock]:
    """The agency's staff whose login is locked now, from which address and until when."""
    now = timezone.now()
    profiles = StaffProfile.objects.for_agency(agency).select_related("user")
    staff = {profile.user.get_username(): profile for profile in profiles}
    live = AccessAttempt.objects.filter(expiration__expires_at__gt=now)
    attempts = live.filter(username__in=staff).select_related("expiration").order_by("username", "ip_address")
    addresses = {attempt.ip_address for attempt in attempts}
    per_address = dict(
        live.filter(ip_address__in=addresses)
        .values("ip_address")
        .annotate(total=Sum("failures_since_start"))
        .values_list("ip_address", "total")
    )
    locks = []
    for attempt in attempts:
        by_address = per_address.get(attempt.ip_address, 0) >= settings.OCMS_ADDRESS_FAILURE_LIMIT
        if attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT or by_address:
            locks.append(
                LoginLock(
                    staff=staff[attempt.username],
                    address=attempt.ip_address,
                    failures=attempt.failures_since_start,
                    until=attempt.expiration.expires_at,
                    by_address=by_address and attempt.failures_since_start < settings.AXES_FAILURE_LIMIT,
                )
            )
    return locks


def login_lock_lift(*, staff: StaffProfile) -> int:
    """Forget the staff member's failed logins, from every address: their lock ends now."""
    count, _ = AccessAttempt.objects.filter(username=staff.user.get_username()).delete()
    return count
