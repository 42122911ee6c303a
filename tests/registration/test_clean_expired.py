"""`manage.py clean_expired`: drafts untouched for 30 days and family codes reserved but never joined are
removed; everything younger, and every family with a member, stays."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from clients.models import Family
from clients.models.family import family_code_of
from families import services as family_services
from families.services import family_reserve
from registration.models import Draft
from tests.factories import ClientFactory, FamilyFactory, StaffFactory

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


def draft_holding(staff, family_code: str) -> Draft:
    """A registration draft with this family code typed at its Primary Information step."""
    return Draft.objects.create(agency=staff.agency, owner=staff.user, data={"primary": {"family_code": [family_code]}})


def test_a_reserved_code_that_a_recent_draft_holds_is_kept(caseworker, agency, other_agency):
    # "New" handed out the code 40 days ago; the draft it was typed in was touched 10 days ago, so Register may come.
    held = FamilyFactory(agency=agency)
    lowercase = FamilyFactory(agency=agency)
    abandoned = FamilyFactory(agency=agency)
    elsewhere = FamilyFactory(agency=agency)
    for family in (held, lowercase, abandoned, elsewhere):
        aged(Family, family, 40, "created_at")
    recent = draft_holding(caseworker, held.code)
    typed_draft = draft_holding(caseworker, lowercase.code.lower().replace("-", ""))  # as typed, not as stored
    old = draft_holding(caseworker, abandoned.code)
    # The same code in another agency's draft holds nothing of this agency.
    draft_holding(StaffFactory(agency=other_agency), elsewhere.code)
    for draft in (recent, typed_draft):
        aged(Draft, draft, 10, "updated_at")
    aged(Draft, old, 31, "updated_at")

    out = clean()

    assert set(Family.objects.all()) == {held, lowercase}
    assert out == "Removed 1 draft(s) and 2 unused family code(s) untouched for 30 days.\n"


def test_new_does_not_hand_out_again_a_code_a_recent_draft_holds(caseworker, agency, monkeypatch):
    held = FamilyFactory(agency=agency, code=family_code_of("4821"))
    aged(Family, held, 40, "created_at")
    draft_holding(caseworker, held.code)
    clean()
    draws = iter([4821, 1234])
    monkeypatch.setattr(family_services.secrets, "randbelow", lambda _limit: next(draws))

    assert family_reserve(agency=agency).code == family_code_of("1234")
