"""Sensitive Information: unlocking it with the login password, editing it, and the managers' unlock log.

Unlocked content is rendered only in the response to the request that carried the right password; nothing
is remembered in the session, so the next request shows the section locked again.
"""

import csv
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from agencies.access import require_manager
from agencies.models import user_display_name
from agencies.validators import ascii_digits
from clients import versions
from clients.forms import SensitiveInfoForm, UnlockForm, UnlockLogFilterForm
from clients.models import (
    Client,
    SensitiveInfo,
    UnlockAttempt,
    UnlockOutcome,
    UnlockSubject,
    get_client_for,
    get_profile_client_for,
)
from clients.text import fold
from clients.unlock import (
    LOCKOUT_FAILURES,
    LOCKOUT_PERIOD,
    request_address,
    sensitive_info_of,
    sensitive_section_context,
    sensitive_unlock_attempt,
    unlock_locked_until,
    unlock_outside_log,
)
from clients.views.profile import client_profile

# A refusal by role is a 403; a locked-out user is asked to wait; a wrong password is a form error.
STATUS = {
    UnlockOutcome.GRANTED: 200,
    UnlockOutcome.WRONG_PASSWORD: 200,
    UnlockOutcome.NOT_PERMITTED: 403,
    UnlockOutcome.LOCKED_OUT: 429,
}
LOG_PAGE_SIZE = 50


def named_client(request: HttpRequest, code) -> Client:
    """The agency's named client (an anonymous profile has no Sensitive Information), or 404.

    A password posted for a code that names no client of the agency is an attempt too: it is logged for the
    agency of whoever tried, and answered like any unknown page.
    """
    try:
        client = get_client_for(request, code)
    except Http404:
        if request.method == "POST" and request.staff is not None:
            unlock_outside_log(staff=request.staff, code=code, address=request_address(request))
        raise
    if client.is_anonymous:
        raise Http404
    return client


def refusal_message(attempt: UnlockAttempt) -> str:
    if attempt.outcome == UnlockOutcome.NOT_PERMITTED:
        return _(
            "You are not granted access to sensitive information, so it stays locked. "
            "Ask your manager if your work needs it. This attempt is logged."
        )
    if attempt.outcome == UnlockOutcome.LOCKED_OUT:
        until = unlock_locked_until(user=attempt.user, now=attempt.at) or attempt.at
        return _(
            "Unlocking is locked for %(minutes)s minutes after %(failures)s wrong passwords. "
            "Try again after %(time)s. This attempt is logged."
        ) % {
            "minutes": int(LOCKOUT_PERIOD.total_seconds() // 60),
            "failures": LOCKOUT_FAILURES,
            "time": time_format(timezone.localtime(until), "H:i"),
        }
    return _("That password is not correct: enter the password you log in with. This attempt is logged.")


def refusal(attempt: UnlockAttempt | None) -> tuple[str, int]:
    """What the page says of an attempt that did not open, and its status; of no attempt (no password typed), that
    one is needed."""
    if attempt is None:
        return _("Enter the password you log in with to unlock: nothing was tried, so nothing is logged."), 200
    return refusal_message(attempt), STATUS[attempt.outcome]


def attempt_unlock(
    request: HttpRequest, *, client: Client | None = None, draft_code: uuid.UUID | None = None
) -> UnlockAttempt | None:
    """The attempt the posted password makes, decided and logged (clients.unlock.sensitive_unlock_attempt).

    None when staff who may unlock posted no password at all: Enter pressed in another field of the form sends it
    with the box empty, and that is no guess at a password, so it is neither logged nor counted towards the lock.
    """
    if not request.POST.get("password") and request.staff.may_unlock_sensitive:
        return None
    form = UnlockForm(request.POST)
    form.is_valid()  # a single optional field; one Django refuses (a NUL in it) is a wrong password
    return sensitive_unlock_attempt(
        staff=request.staff,
        client=client,
        draft_code=draft_code,
        password=form.cleaned_data.get("password", ""),
        address=request_address(request),
    )


def is_granted(attempt: UnlockAttempt | None) -> bool:
    return attempt is not None and attempt.outcome == UnlockOutcome.GRANTED


@login_required
@require_POST
@sensitive_post_parameters("password")
@never_cache
def sensitive_unlock(request: HttpRequest, code) -> HttpResponse:
    """Staff of the client's agency: open the profile's Sensitive Information with their password.

    Granted staff only; every attempt is logged. htmx swaps just the section; without scripts the whole
    profile comes back.
    """
    client = named_client(request, code)
    attempt = attempt_unlock(request, client=client)
    if is_granted(attempt):
        extra, status = {"unlocked": True, "sensitive": sensitive_info_of(client)}, 200
    else:
        message, status = refusal(attempt)
        extra = {"refusal": message}
    if request.headers.get("HX-Request"):
        context = {"client": client, **sensitive_section_context(request, client), **extra}
        response = render(request, "clients/_profile_sensitive.html", context, status=status)
    else:
        profile_client = get_profile_client_for(request, code)
        response = client_profile(request, profile_client, status=status, **extra)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
@never_cache
def sensitive_lock(request: HttpRequest, code) -> HttpResponse:
    """Lock: the section as it is before an unlock. htmx swaps it in for the unlocked one (the page's address did
    not change when it was unlocked, so a link back to the profile would not reload it); without scripts, the
    profile itself."""
    client = named_client(request, code)
    if not request.headers.get("HX-Request"):
        return redirect(reverse("clients:client-detail", kwargs={"code": client.code}) + "#section-sensitive-info")
    context = {"client": client, **sensitive_section_context(request, client), "relocked": True}
    response = render(request, "clients/_profile_sensitive.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@sensitive_post_parameters("password")
@never_cache
def sensitive_edit(request: HttpRequest, code) -> HttpResponse:
    """Granted staff of the client's agency: open the Sensitive Information for editing with their password."""
    client = named_client(request, code)
    if request.method != "POST":
        return render(request, "clients/sensitive_edit.html", {"client": client, "unlock_form": UnlockForm()})
    attempt = attempt_unlock(request, client=client)
    if not is_granted(attempt):
        message, status = refusal(attempt)
        context = {"client": client, "unlock_form": UnlockForm(), "refusal": message}
        return render(request, "clients/sensitive_edit.html", context, status=status)
    info = sensitive_info_of(client) or SensitiveInfo(client=client)
    form = SensitiveInfoForm(instance=info, agency=request.agency)
    return render(
        request,
        "clients/sensitive_edit.html",
        {"client": client, "form": form, "unlock_form": UnlockForm(), "opened_version": sensitive_version(form)},
    )


# The Sensitive Information is one part of the profile for the version check of its edit (clients.versions).
SENSITIVE_SECTION = "sensitive"


def sensitive_version(saved: SensitiveInfoForm) -> str:
    """The version token of the Sensitive Information as `saved` (an unbound form) shows it."""
    parts = versions.section_parts(versions.FormsSection(sensitive=saved))
    return versions.version_token(parts, client=saved.instance.client, section=SENSITIVE_SECTION)


@login_required
@require_POST
@sensitive_post_parameters("password")
@never_cache
def sensitive_update(request: HttpRequest, code) -> HttpResponse:
    """Granted staff of the client's agency: save the Sensitive Information; only with the right password, and only
    over the version the page was opened on."""
    client = named_client(request, code)
    attempt = attempt_unlock(request, client=client)
    if attempt is not None and attempt.outcome == UnlockOutcome.NOT_PERMITTED:
        # Nothing of the form comes back to someone who may not see it.
        message, status = refusal(attempt)
        context = {"client": client, "unlock_form": UnlockForm(), "refusal": message}
        return render(request, "clients/sensitive_edit.html", context, status=status)
    if not is_granted(attempt):
        # No password, a wrong one, or a lock keeps what was typed, and the version it was typed over: nothing is
        # lost, nothing is saved, and nothing saved is shown.
        message, status = refusal(attempt)
        info = SensitiveInfo.objects.filter(client=client).first() or SensitiveInfo(client=client)
        context = {
            "client": client,
            "form": SensitiveInfoForm(request.POST, instance=info, agency=request.agency),
            "unlock_form": UnlockForm(),
            "refusal": message,
            "opened_version": request.POST.get(versions.OPENED, ""),
        }
        return render(request, "clients/sensitive_edit.html", context, status=status)
    # Read again, compared and saved while the client's row is locked: of two saves at once, the second sees the first.
    # Not FOR UPDATE: the other's unlock attempt, which points at the client, must not wait for this save.
    with transaction.atomic():
        Client.objects.select_for_update(no_key=True).filter(pk=client.pk).first()
        info = SensitiveInfo.objects.filter(client=client).first() or SensitiveInfo(client=client)
        saved = versions.FormsSection(sensitive=SensitiveInfoForm(instance=info, agency=request.agency))
        current = versions.section_parts(saved)
        opened = versions.opened_fingerprints(request.POST, client=client, section=SENSITIVE_SECTION)
        changes = versions.changes_since(opened or {}, current, request.POST, saved)
        form = SensitiveInfoForm(
            versions.bound_data(request.POST, current, changes), instance=info, agency=request.agency
        )
        if not changes and form.is_valid():
            form.save()
            messages.success(request, _("The Sensitive Information is updated. It is locked again."))
            return redirect(reverse("clients:client-detail", kwargs={"code": client.code}) + "#section-sensitive-info")
    context = {
        "client": client,
        "form": form,
        "unlock_form": UnlockForm(),
        "opened_version": versions.version_token(current, client=client, section=SENSITIVE_SECTION),
        "changes": changes,
        "unknown_version": opened is None,
        "changed_by": info.history.select_related("history_user").first() if changes and info.pk else None,
    }
    return render(request, "clients/sensitive_edit.html", context)


# The managers' review of the unlock log


def unlock_log_filtered(request: HttpRequest, form: UnlockLogFilterForm) -> QuerySet[UnlockAttempt]:
    """The agency's attempts, newest first, narrowed by whichever filters are valid."""
    attempts = UnlockAttempt.objects.for_agency(request.agency).select_related("user", "client").order_by("-at", "-pk")
    if not form.is_bound:
        return attempts
    if not form.is_valid():
        return attempts.none()  # the form shows what to correct
    data = form.cleaned_data
    if data["staff"]:
        attempts = attempts.filter(user=data["staff"].user_id)
    text = data["client"].strip()
    if ascii_digits(text):
        attempts = attempts.filter(client__number=int(text)) if len(text) <= 10 else attempts.none()
    elif text:
        for word in fold(text).split():
            attempts = attempts.filter(client__name_words__contains=f" {word}")
    if data["outcome"]:
        attempts = attempts.filter(outcome=data["outcome"])
    if data["date_from"]:
        attempts = attempts.filter(at__date__gte=data["date_from"])
    if data["date_to"]:
        attempts = attempts.filter(at__date__lte=data["date_to"])
    return attempts


@login_required
@require_GET
@never_cache
def unlock_log(request: HttpRequest) -> HttpResponse:
    """Managers: Sensitive Information Access, every attempt of the agency's staff, filterable."""
    require_manager(request)
    form = UnlockLogFilterForm(request.GET or None, agency=request.agency)
    attempts = unlock_log_filtered(request, form)
    page = Paginator(attempts, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    refused_without_grant = attempts.filter(outcome=UnlockOutcome.NOT_PERMITTED).count()
    # A registration keeps its draft's code: an unlock of a draft since registered names that client.
    drafts = [attempt.reference for attempt in page if attempt.subject == UnlockSubject.DRAFT]
    registered = {client.code: client for client in Client.objects.for_agency(request.agency).filter(code__in=drafts)}
    for attempt in page:
        attempt.registered_client = registered.get(attempt.reference)
    return render(
        request,
        "clients/unlock_log.html",
        {
            "form": form,
            "page": page,
            "querystring": query.urlencode(),
            "refused_without_grant": refused_without_grant,
        },
    )


# Spreadsheets run cells that begin with these as formulas; a client's name must never be one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@login_required
@require_GET
@never_cache
def unlock_log_csv(request: HttpRequest) -> HttpResponse:
    """Managers: the filtered Sensitive Information Access log as a CSV file."""
    require_manager(request)
    form = UnlockLogFilterForm(request.GET or None, agency=request.agency)
    if form.is_bound and not form.is_valid():
        # Not an empty file for filters that mean nothing: the log, which says what to correct.
        return redirect(f"{reverse('clients:unlock-log')}?{request.GET.urlencode()}")
    attempts = unlock_log_filtered(request, form)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sensitive-information-access-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [_("When"), _("Staff member"), _("Username"), _("Client number"), _("Client"), _("Outcome"), _("From address")]
    )
    for attempt in attempts.iterator(chunk_size=2000):
        writer.writerow(
            csv_cell(value)
            for value in (
                timezone.localtime(attempt.at).isoformat(timespec="seconds"),
                user_display_name(attempt.user),
                attempt.user.get_username(),
                attempt.client.number if attempt.client else "",
                attempt.client.display_name if attempt.client else attempt.get_subject_display(),
                attempt.get_outcome_display(),
                attempt.address or "",
            )
        )
    return response
