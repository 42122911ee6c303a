import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies import lockout
from agencies.access import require_coordinator, require_manager
from agencies.middleware import LAST_SEEN, session_remaining
from agencies.models import LoginLockLift, Occupation, StaffAccessChange, StaffProfile
from agencies.validators import has_control_characters

CHANGES_PAGE_SIZE = 50


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Anyone: OCMS's page for a request it refuses to read (handler400), most often a form that sent more fields or
    data than any form of OCMS does (DATA_UPLOAD_MAX_NUMBER_FIELDS, DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    context = {
        "too_much": isinstance(exception, (TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig)),
        "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        "max_megabytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
    }
    return render(request, "400.html", context, status=400)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My Tasks: the start page of every staff member."""
    return render(request, "home.html")


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Anyone: a liveness probe, and the bare baseline of the benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_http_methods(["GET", "POST"])
def session_status(request: HttpRequest) -> HttpResponse:
    """How long the login has left (GET, which does not count as activity); POST keeps it: "Stay signed in"."""
    if request.method == "POST":
        request.session[LAST_SEEN] = time.time()
    return JsonResponse({"remaining": session_remaining(request)})


@login_required
@require_GET
def occupation_search(request: HttpRequest) -> HttpResponse:
    """Staff: NOC 2021 unit groups matching a code or words, for the profession lookups."""
    query = request.GET.get("q", "").strip()
    refused = has_control_characters(query)
    occupations = Occupation.objects.search(query)[:25] if len(query) >= 2 and not refused else []
    return render(
        request,
        "agencies/_occupation_results.html",
        {
            "occupations": occupations,
            "query": "" if refused else query,
            "refused": refused,
            "target": request.GET.get("target", ""),
        },
    )


@login_required
@require_GET
def staff_access_changes(request: HttpRequest) -> HttpResponse:
    """Managers: every change of a role or grant of the agency's staff, newest first."""
    require_manager(request)
    changes = StaffAccessChange.objects.for_agency(request.agency).select_related("staff__user", "changed_by")
    page = Paginator(changes, CHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "agencies/staff_access_changes.html", {"page": page})


class LockLiftForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=StaffProfile.objects.none())

    def __init__(self, *args, agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = StaffProfile.objects.for_agency(agency)


@login_required
@require_GET
def login_locks(request: HttpRequest) -> HttpResponse:
    """Coordinators and managers: the agency's staff whose login is locked now, to lift the lock."""
    require_coordinator(request)
    lifts = LoginLockLift.objects.lifted_since(agency=request.agency, since=timezone.now() - lockout.REPEATS_WINDOW)
    return render(
        request, "agencies/login_locks.html", {"locks": lockout.login_locks(agency=request.agency), "lifts": lifts}
    )


@login_required
@require_POST
def login_lock_lift(request: HttpRequest) -> HttpResponse:
    """Coordinators and managers: end a staff member's login lock now."""
    require_coordinator(request)
    form = LockLiftForm(request.POST, agency=request.agency)
    if not form.is_valid():
        raise Http404
    staff = form.cleaned_data["staff"]
    lockout.login_lock_lift(staff=staff, lifted_by=request.user)
    messages.success(request, _("%(name)s can log in again.") % {"name": staff.display_name})
    return redirect("agencies:login-locks")
