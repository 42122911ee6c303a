"""One agency never sees another agency's rows, and a login without an agency reaches nothing."""

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from agencies.access import get_for_agency
from agencies.models import ListItem, Program, Site, StaffProfile
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Program, Site, ListItem, StaffProfile], ids=lambda m: m.__name__)
def test_it_lists_only_the_agencys_own_rows(model, agency, other_agency, caseworker, outsider):
    own = model.objects.for_agency(agency)
    theirs = model.objects.for_agency(other_agency)

    assert own.exists()
    assert theirs.exists()
    assert {row.agency_id for row in own} == {agency.pk}
    assert not set(own.values_list("pk", flat=True)) & set(theirs.values_list("pk", flat=True))


@pytest.mark.parametrize("model", [Program, Site, ListItem, StaffProfile], ids=lambda m: m.__name__)
def test_it_lists_nothing_for_a_request_without_an_agency(model, agency, caseworker):
    assert not model.objects.for_agency(None).exists()


def test_it_returns_the_agencys_own_row(rf, agency):
    request = rf.get("/")
    request.agency = agency
    program = agency.programs.get(name="Settlement")

    assert get_for_agency(request, Program, code=program.code) == program


def test_it_answers_404_for_another_agencys_row(rf, agency, other_agency):
    request = rf.get("/")
    request.agency = agency
    theirs = ProgramFactory(agency=other_agency, name="Harbour Youth Outreach")

    with pytest.raises(Http404):
        get_for_agency(request, Program, code=theirs.code)


def test_it_answers_404_when_the_request_has_no_agency(rf, agency):
    request = rf.get("/")
    request.agency = None
    program = agency.programs.first()

    with pytest.raises(Http404):
        get_for_agency(request, Program, code=program.code)


@pytest.fixture
def unlinked_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="nolink"))
    return client


def test_it_tells_a_user_without_a_staff_profile_that_the_account_is_not_linked(unlinked_client):
    response = unlinked_client.get("/")

    assertContains(response, "Your account is not linked to an agency", status_code=403)
    assertContains(response, f'action="{reverse("logout")}"', status_code=403)


def test_it_lets_a_user_without_a_staff_profile_log_out(unlinked_client):
    response = unlinked_client.post(reverse("logout"))

    assertRedirects(response, reverse("login"))
    assert "_auth_user_id" not in unlinked_client.session
    assertRedirects(unlinked_client.get("/"), f"{reverse('login')}?next=/")
