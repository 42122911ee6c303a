"""Writing staff: a staff member's login and profile, and every change of their role or grants, recorded."""

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from agencies.models import ACCESS_FIELDS, Role, StaffAccessChange, StaffProfile


def may_change_access(*, by: AbstractBaseUser, staff: StaffProfile) -> bool:
    """A superuser, or a manager for the other staff of their agency (never their own profile)."""
    if by.is_superuser:
        return True
    actor = StaffProfile.objects.filter(user=by).first()
    return actor is not None and actor.may_change_access_of(staff)


@transaction.atomic
def staff_profile_save(*, by: AbstractBaseUser, staff: StaffProfile) -> list[StaffAccessChange]:
    """Save a staff profile; a change of its role or grants only by whoever may make it, and recorded.

    A new profile starts as a caseworker without grants: anything else counts as a change.
    """
    if staff.pk:
        before = StaffProfile.objects.select_for_update().get(pk=staff.pk)
        old = {name: getattr(before, name) for name in ACCESS_FIELDS}
    else:
        old = {"role": Role.CASEWORKER, "may_unlock_sensitive": False, "may_upload_icare": False}
    changed = [name for name in ACCESS_FIELDS if getattr(staff, name) != old[name]]
    if changed and not may_change_access(by=by, staff=staff):
        raise PermissionDenied("Only a manager changes roles and grants, and never their own.")
    staff.full_clean(exclude=["user"])
    staff.save()
    return StaffAccessChange.objects.bulk_create(
        StaffAccessChange(
            agency=staff.agency,
            staff=staff,
            changed_by=by,
            field=name,
            old=str(old[name]),
            new=str(getattr(staff, name)),
        )
        for name in changed
    )


@transaction.atomic
def staff_member_create(
    *, by: AbstractBaseUser, staff: StaffProfile, username: str, password: str, **names: str
) -> StaffProfile:
    """A new login and its staff profile, in one transaction."""
    staff.user = get_user_model().objects.create_user(username=username, password=password, **names)
    staff_profile_save(by=by, staff=staff)
    return staff
