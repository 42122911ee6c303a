from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from agencies.models import StaffProfile

# Paths a signed-in user without a staff profile may still reach (to sign out, or as a superuser).
OPEN_PREFIXES = ("/accounts/", "/admin/", "/static/", "/i18n/", "/health/")
ADMIN_PREFIX = "/admin/"


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
            profile = (
                StaffProfile.objects.select_related("agency", "default_site", "user").filter(user=request.user).first()
            )
            if profile is not None:
                request.staff = profile
                request.agency = profile.agency
            elif not request.path.startswith(OPEN_PREFIXES):
                return render(request, "auth/no_agency.html", {"logout_url": reverse("logout")}, status=403)
            if request.path.startswith(ADMIN_PREFIX) and not request.user.is_staff:
                # Caseworkers are refused the admin outright, rather than offered its login form to try another account.
                raise PermissionDenied
        return self.get_response(request)
