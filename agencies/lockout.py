"""Login lockouts: django-axes with OCMS's policy.

- Failures count per login *and* address together (AXES_FAILURE_LIMIT): a stranger guessing at someone's
  login from elsewhere locks only themselves out, never the person at their own desk.
- An address also has a higher limit across every login (OCMS_ADDRESS_FAILURE_LIMIT), against password
  spraying.
- A lock lasts minutes: 5 for the first of the day, doubling with each new lock of the same login and
  address that day (of the address, for a lock of the address), up to 40. A try made while locked is refused
  and holds the lock for that long again from the try.
- The agency's coordinators and managers see and lift their staff's locks (agencies.views.login_locks). Lifting
  forgets the staff member's own failures; a lock of the whole address is lifted for them alone (LoginLockLift),
  never for the other logins tried from it.

Each failure's expiry (axes' attempt expiration) is when it stops counting; when a lock begins, every failure
that makes it is held until the lock ends.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agencies.backends import axes_username
from agencies.models import Agency, LoginLockLift, StaffProfile

FIRST_LOCK = timedelta(minutes=5)
DOUBLINGS = 3  # 5, 10, 20, then at most 40 minutes
REPEATS_WINDOW = timedelta(days=1)


def address_failures(address: str | None, now: datetime) -> int:
    """The failures from an address, whatever the login, that still count."""
    live = AccessAttempt.objects.filter(ip_address=address, expiration__expires_at__gt=now)
    return live.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locks(request: HttpRequest, credentials: dict | None, address_total: int) -> bool:
    """The address failed too often across logins, and this login was not let in from it by a lift."""
    if address_total < settings.OCMS_ADDRESS_FAILURE_LIMIT:
        return False
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    username = axes_username(request, credentials)
    return not LoginLockLift.objects.in_force(username=username, address=address, now=now).exists()


def lock_starts(locked: list[bool]) -> int:
    """How many locks began in a row of failures, each marked locked out or not, in time order."""
    return sum(1 for before, now in zip([False, *locked], locked, strict=False) if now and not before)


def lock_length(request: HttpRequest | None) -> timedelta:
    """How long a failure made now counts, and how long a lock it begins lasts: 5 minutes, doubled by each
    earlier lock that day, of the login from this address, or of the address while it is over its own limit."""
    if request is None:
        return FIRST_LOCK
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    failures = AccessFailureLog.objects.filter(ip_address=address, attempt_time__gt=now - REPEATS_WINDOW)
    if address_failures(address, now) < settings.OCMS_ADDRESS_FAILURE_LIMIT:
        failures = failures.filter(username=axes_username(request, None))
    locked = list(failures.order_by("attempt_time", "pk").values_list("locked_out", flat=True))
    # A lock in force (its first failure already logged) is not an earlier one.
    earlier = lock_starts(locked) - (1 if locked and locked[-1] else 0)
    return FIRST_LOCK * 2 ** min(max(earlier, 0), DOUBLINGS)


class OcmsAxesHandler(AxesDatabaseHandler):
    """axes' database handler, counting each failure until its own expiry, with a second limit per address."""

    def get_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> list[QuerySet]:
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        return [
            attempts.filter(expiration__expires_at__gt=now)
            for attempts in self.filter_user_attempts(request, credentials)
        ]

    def counts(self, request: HttpRequest, credentials: dict | None = None) -> tuple[QuerySet, QuerySet, int, int]:
        # AXES_LOCKOUT_PARAMETERS: [["username", "ip_address"], "ip_address"], in that order.
        by_login, by_address = self.get_user_attempts(request, credentials)
        login_total, address_total = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0 for attempts in (by_login, by_address)
        )
        return by_login, by_address, login_total, address_total

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        _by_login, _by_address, by_login, by_address = self.counts(request, credentials)
        if address_locks(request, credentials, by_address):
            return max(by_login, settings.AXES_FAILURE_LIMIT)
        return by_login

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and getattr(request, "axes_locked_out", False):
            self.lock_hold(request, credentials)

    def lock_hold(self, request: HttpRequest, credentials: dict | None) -> None:
        """Hold every failure that makes the lock until the lock ends, whichever browser each came from."""
        by_login, by_address, _login_total, address_total = self.counts(request, credentials)
        locking = by_address if address_locks(request, credentials, address_total) else by_login
        until = (getattr(request, "axes_attempt_time", None) or timezone.now()) + lock_length(request)
        AccessAttemptExpiration.objects.filter(access_attempt__in=locking, expires_at__lt=until).update(
            expires_at=until
        )

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A successful login forgets that login's failures from its address, never the address's others:
        someone else's lock, or a sprayer's count, survives the sprayer logging in to an account of their own."""
        by_login, _by_address = self.filter_user_attempts(request, credentials)
        count, _ = by_login.delete()
        return count


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The page a locked-out login gets: until when, and who can lift the lock sooner."""
    by_login, by_address = OcmsAxesHandler().get_user_attempts(request, credentials)
    locking = by_login
    address_total = by_address.aggregate(total=Sum("failures_since_start"))["total"] or 0
    whole_address = address_locks(request, credentials, address_total)
    if whole_address:
        locking = by_address
    until = locking.aggregate(until=Max("expiration__expires_at"))["until"]
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"locked_until": until and timezone.localtime(until), "whole_address": whole_address},
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
    lifted = set(
        LoginLockLift.objects.filter(staff__in=profiles, across_logins=True, until__gt=now).values_list(
            "staff__user__username", "address"
        )
    )
    locks = []
    for attempt in attempts:
        by_address = (
            per_address.get(attempt.ip_address, 0) >= settings.OCMS_ADDRESS_FAILURE_LIMIT
            and (attempt.username, attempt.ip_address) not in lifted
        )
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


def login_lock_lift(*, staff: StaffProfile, lifted_by) -> int:
    """End the staff member's locks now, each recorded: forget their failed logins, from every address; from an
    address locked across logins, let them alone in for the rest of the day (the address stays locked for the
    other logins tried from it). The failures forgotten, as a count."""
    now = timezone.now()
    LoginLockLift.objects.bulk_create(
        LoginLockLift(
            staff=staff,
            address=lock.address,
            across_logins=lock.by_address,
            lifted_by=lifted_by,
            until=now + REPEATS_WINDOW if lock.by_address else now,
        )
        for lock in login_locks(agency=staff.agency)
        if lock.staff.pk == staff.pk
    )
    count, _ = AccessAttempt.objects.filter(username=staff.user.get_username()).delete()
    return count
