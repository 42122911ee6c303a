"""Unlocking a client's Sensitive Information: who may, the lock after repeated wrong passwords, and the log.

The password is checked and forgotten: it is never stored, logged or sent back to the browser.
"""

import uuid
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from agencies.models import StaffProfile
from agencies.proxies import client_address
from clients.forms import UnlockForm
from clients.models import Client, SensitiveInfo, UnlockAttempt, UnlockOutcome, UnlockSubject

LOCKOUT_FAILURES = 5
LOCKOUT_PERIOD = timedelta(minutes=15)


def request_address(request: HttpRequest) -> str | None:
    """Where the attempt came from: the client's address, read behind the trusted proxies only."""
    return client_address(request)


def unlock_locked_until(*, user, now: datetime | None = None) -> datetime | None:
    """When the user may try again, if they are locked out now; None when they are not.

    LOCKOUT_FAILURES wrong passwords within LOCKOUT_PERIOD lock unlocking for LOCKOUT_PERIOD after the
    last of them. A granted unlock starts the count again, as a successful login does for django-axes.
    """
    now = now or timezone.now()
    # A lock that still holds began at most two periods ago: its first wrong password is no older than that.
    attempts = UnlockAttempt.objects.filter(user=user, at__gt=now - 2 * LOCKOUT_PERIOD, at__lte=now).order_by(
        "at", "pk"
    )
    wrong: list[datetime] = []
    for at, outcome in attempts.values_list("at", "outcome"):
        if outcome == UnlockOutcome.GRANTED:
            wrong = []
        elif outcome == UnlockOutcome.WRONG_PASSWORD:
            wrong.append(at)
    until = None
    for first, last in zip(wrong, wrong[LOCKOUT_FAILURES - 1 :], strict=False):
        if last - first <= LOCKOUT_PERIOD and last + LOCKOUT_PERIOD > now:
            until = max(until or now, last + LOCKOUT_PERIOD)
    return until


@sensitive_variables("password")
@transaction.atomic
def sensitive_unlock_attempt(
    *,
    staff: StaffProfile,
    password: str,
    address: str | None,
    client: Client | None = None,
    draft_code: uuid.UUID | None = None,
) -> UnlockAttempt:
    """Decide one attempt to open a client's Sensitive Information (or what a draft holds of it), and log it
    whatever the outcome.

    Staff without the grant are refused before their password is looked at; a locked-out user's
    password is not checked either, so guessing during the lock tells nothing.
    """
    # One attempt of a user at a time: parallel guesses cannot slip past the lockout count.
    user = get_user_model().objects.select_for_update().get(pk=staff.user_id)
    now = timezone.now()
    if not staff.may_unlock_sensitive:
        outcome = UnlockOutcome.NOT_PERMITTED
    elif unlock_locked_until(user=user, now=now) is not None:
        outcome = UnlockOutcome.LOCKED_OUT
    elif password and user.check_password(password):
        outcome = UnlockOutcome.GRANTED
    else:
        outcome = UnlockOutcome.WRONG_PASSWORD
    return UnlockAttempt.objects.create(
        agency=staff.agency,
        subject=UnlockSubject.CLIENT if client is not None else UnlockSubject.DRAFT,
        client=client,
        reference=draft_code,
        user=user,
        at=now,
        address=address,
        outcome=outcome,
    )


def unlock_outside_log(*, staff: StaffProfile, code: str, address: str | None) -> UnlockAttempt:
    """An attempt at a code that names no client of the staff member's agency: refused, and logged for their
    own agency's managers. The password is never looked at."""
    try:
        reference = uuid.UUID(str(code))
    except ValueError:
        reference = None
    return UnlockAttempt.objects.create(
        agency=staff.agency,
        subject=UnlockSubject.OUTSIDE,
        reference=reference,
        user=staff.user,
        address=address,
        outcome=UnlockOutcome.OUTSIDE_AGENCY,
    )


def sensitive_info_of(client: Client) -> SensitiveInfo | None:
    """The client's Sensitive Information, read only for a response that unlocked it."""
    return (
        SensitiveInfo.objects.filter(client=client)
        .select_related("health_insurance_status", "family_income")
        .prefetch_related("self_identity")
        .first()
    )


def sensitive_section_context(request: HttpRequest, client: Client) -> dict:
    """What the profile's Sensitive Information section shows by default: locked.

    Only the response to an unlock adds `unlocked` and `sensitive`. Managers also see who has tried to
    open this client's information.
    """
    attempts = None
    if request.staff is not None and request.staff.is_manager and not client.is_anonymous:
        attempts = UnlockAttempt.objects.for_agency(request.agency).filter(client=client).select_related("user")[:10]
    return {
        "unlock_form": UnlockForm(auto_id="unlock_%s"),
        "unlocked": False,
        "sensitive": None,
        "refusal": "",
        "unlock_attempts": attempts,
    }
