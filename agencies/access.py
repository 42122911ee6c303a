"""Access helpers: the only way a view reaches an agency-owned row, and who may do what."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404


def get_for_agency[M: Model](request: HttpRequest, model: type[M], *, queryset=None, **lookup) -> M:
    """The row of the request's agency (from `queryset` when given), or 404: another agency's row looks like no
    row at all. The models' own helpers (clients.models.get_client_for, ...) call it with their security filters."""
    if request.agency is None:
        raise Http404
    rows = (queryset if queryset is not None else model.objects).for_agency(request.agency)
    try:
        row = get_object_or_404(rows, **lookup)
    except (ValidationError, ValueError):
        # A code that is not even a UUID names no row either.
        raise Http404 from None
    if getattr(row, "agency_id", None) == request.agency.pk:
        row.agency = request.agency  # the request's, already read: a page naming the row's agency reads it no more
    return row


def may_use_admin(request: HttpRequest) -> bool:
    """The Django admin is for superusers, and for the coordinators and managers of an agency."""
    user = request.user
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    staff = getattr(request, "staff", None)
    return staff is not None and staff.is_coordinator


def require_coordinator(request: HttpRequest) -> None:
    if request.staff is None or not request.staff.is_coordinator:
        raise PermissionDenied


def require_manager(request: HttpRequest) -> None:
    if request.staff is None or not request.staff.is_manager:
        raise PermissionDenied


def require_icare_upload(request: HttpRequest) -> None:
    """Only staff given the "may upload to iCARE" grant make and read the agency's iCARE files."""
    if request.staff is None or not request.staff.may_upload_icare:
        raise PermissionDenied
