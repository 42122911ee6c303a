"""Writing staff: a staff member's login and profile, and every change of their role or grants, or of whether their
login may log in, or its password, recorded."""

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from agencies.models import ACCESS_FIELDS, PASSWORD_SET, Role, StaffAccessChange, StaffProfile


def may_change_access(*, by: AbstractBaseUser, staff: StaffProfile) -> bool:
    """A superuser, or a manager for the other staff of their agency (never their own profile)."""
    actor = StaffProfile.objects.filter(user=by).first()
    return by.is_superuser or (actor is not None and actor.may_change_access_of(staff))


def may_change_login(*, by: AbstractBaseUser, staff: StaffProfile) -> bool:
    """A superuser, or a coordinator or manager for the other staff of their agency who hold no more than they do
    (StaffProfile.may_change_login_of)."""
    actor = StaffProfile.objects.filter(user=by).first()
    return by.is_superuser or (actor is not None and actor.may_change_login_of(staff))


@transaction.atomic
def staff_login_update(
    *,
    by: AbstractBaseUser,
    staff: StaffProfile,
    first_name: str,
    last_name: str,
    email: str,
    is_active: bool,
    password: str = "",
) -> list[StaffAccessChange]:
    """Change another staff member's login: names, e-mail, whether it may log in and, when one is given, a new
    password; only by whoever may (judged on the profile as saved). A login that may no longer log in is signed out
    at its next request, and a new password signs out its other sessions (Django's session check); both changes are
    recorded with the roles and grants."""
    saved = StaffProfile.objects.select_related("agency").get(pk=staff.pk)
    if not may_change_login(by=by, staff=saved):
        raise PermissionDenied("Only a coordinator or manager who holds at least the staff member's role and grants.")
    user = get_user_model().objects.select_for_update().get(pk=saved.user_id)
    changes = []
    if user.is_active != is_active:
        changes.append(("is_active", str(user.is_active), str(is_active)))
    if password:
        user.set_password(password)
        changes.append(("password", "", PASSWORD_SET))
    user.first_name, user.last_name, user.email, user.is_active = first_name, last_name, email, is_active
    user.save()
    return StaffAccessChange.objects.bulk_create(
        StaffAccessChange(agency=saved.agency, staff=saved, changed_by=by, field=field, old=old, new=new)
        for field, old, new in changes
    )


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
