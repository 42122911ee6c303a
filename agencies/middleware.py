import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import logout
from django.contrib.auth import middleware as auth_middleware
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject

from agencies.access import may_use_admin
from agencies.backends import SESSION_READ
from agencies.models import StaffProfile

# Paths a signed-in user without a staff profile may still reach (to sign out, or as a superuser).
OPEN_PREFIXES = ("/accounts/", "/admin/", "/static/", "/i18n/", "/health/")
ADMIN_PREFIX = "/admin/"


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the user taken from the statement that read the session (agencies/sessions.py) rather than
    read again: one trip to the database less on every signed-in request."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: signed_in_user(request))


def signed_in_user(request: HttpRequest):
    """Django's request.user (django.contrib.auth.get_user, with its checks), the session's store lent to the
    authentication backend while it runs."""
    if not hasattr(request, "_cached_user"):
        lent = SESSION_READ.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            SESSION_READ.reset(lent)
    return request._cached_user


class AgencyMiddleware:
    """Puts the signed-in user's staff profile and agency on the request.

    A user with no staff profile belongs to no agency and may not use the application.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.staff = None
        request.agency = None
        if request.user.is_authenticated:
            try:
                # Loaded with the user (agencies.backends.UsernameOrEmailBackend.get_user): no query of its own.
                profile = request.user.staff_profile
            except StaffProfile.DoesNotExist:
                profile = None
            if profile is not None:
                request.staff = profile
                request.agency = profile.agency
            elif not request.path.startswith(OPEN_PREFIXES):
                return render(request, "auth/no_agency.html", {"logout_url": reverse("logout")}, status=403)
            if request.path.startswith(ADMIN_PREFIX) and not may_use_admin(request):
                # Caseworkers are refused the admin outright, rather than offered a login form to try another account.
                raise PermissionDenied
        return self.get_response(request)


class NoStoreMiddleware:
    """No page of OCMS is kept by a browser or a proxy: nearly all of them show a client's data.

    Static files never come this far (WhiteNoise answers them first), so they are still cached.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response


SIGNED_IN_AT = "ocms_signed_in_at"
LAST_SEEN = "ocms_last_seen"
# How often activity moves the idle timeout forward: the session is saved (its expiry renewed) when its
# last stamp is older than this, so an active login ends SESSION_COOKIE_AGE after its last request, to the minute.
SEEN_EVERY = 60


class SessionLifetimeMiddleware:
    """A login lasts at most OCMS_SESSION_MAX_AGE (a working day), however active, and ends after
    SESSION_COOKIE_AGE idle: each minute of activity saves the session once, which renews its expiry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SIGNED_IN_AT, now)
            if now - started > settings.OCMS_SESSION_MAX_AGE:
                # Logged out here; the view then sends the user to the login page like any expired session.
                logout(request)
            elif now - request.session.get(LAST_SEEN, 0) > SEEN_EVERY and not is_idle_check(request):
                request.session[LAST_SEEN] = now
        response = self.get_response(request)
        if request.user.is_authenticated:
            # How long the login has left, for the page's idle warning (static/js/ocms.js) after an htmx request.
            response[REMAINING_HEADER] = str(session_remaining(request))
        return response


REMAINING_HEADER = "X-Session-Remaining"


def is_idle_check(request: HttpRequest) -> bool:
    """The idle warning asking how long is left: a question, not activity (it must not keep the login alive)."""
    return request.method == "GET" and request.path == reverse("agencies:session")


def session_remaining(request: HttpRequest) -> int:
    """Seconds until the login ends: SESSION_COOKIE_AGE after the last activity that renewed it, and never after
    the working day's OCMS_SESSION_MAX_AGE."""
    now = time.time()
    idle_end = request.session.get(LAST_SEEN, now) + settings.SESSION_COOKIE_AGE
    day_end = request.session.get(SIGNED_IN_AT, now) + settings.OCMS_SESSION_MAX_AGE
    return max(0, int(min(idle_end, day_end) - now))
