"""`manage.py clean_expired`: drafts untouched for 30 days and family codes reserved but never joined are
removed; everything younger, and every family with a member, stays."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from clients.models import Family
from registration.models import Draft
from tests.factories import ClientFactory, FamilyFactory

pytestmark = pytest.mark.django_db


def aged(model, obj, days: int, field: str) -> None:
    model.objects.filter(pk=obj.pk).update(**{field: timezone.now() - timedelta(days=days)})


def clean(**options) -> str:
    out = StringIO()
    call_command("clean_expired", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def leftovers(caseworker, agency):
    old_draft = Draft.objects.create(agency=agency, owner=caseworker.user, data={"primary": {"first_name": ["Old"]}})
    recent_draft = Draft.objects.create(agency=agency, owner=caseworker.user)
    aged(Draft, old_draft, 31, "updated_at")
    aged(Draft, recent_draft, 29, "updated_at")
    unused = FamilyFactory(agency=agency)
    joined = FamilyFactory(agency=agency)
    ClientFactory(registered_by=caseworker, family=joined)
    just_reserved = FamilyFactory(agency=agency)
    for family in (unused, joined):
        aged(Family, family, 31, "created_at")
    return {"drafts": (old_draft, recent_draft), "families": (unused, joined, just_reserved)}


def test_it_removes_what_was_left_unused_for_thirty_days(leftovers):
    old_draft, recent_draft = leftovers["drafts"]
    unused, joined, just_reserved = leftovers["families"]

    out = clean()

    assert list(Draft.objects.all()) == [recent_draft]
    assert set(Family.objects.all()) == {joined, just_reserved}
    assert out == "Removed 1 draft(s) and 1 unused family code(s) untouched for 30 days.\n"


def test_a_dry_run_removes_nothing(leftovers):
    out = clean(dry_run=True)

    assert Draft.objects.count() == 2 and Family.objects.count() == 3
    assert out.startswith("Would remove 1 draft(s) and 1 unused family code(s)")
