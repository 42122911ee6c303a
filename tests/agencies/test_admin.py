"""The admin: a superuser sees every agency, a coordinator only their own."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import Program
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

PROGRAMS_URL = reverse("admin:agencies_program_changelist")


@pytest.fixture
def harbour_program(other_agency) -> Program:
    return ProgramFactory(agency=other_agency, name="Harbour Youth Outreach")


def listed_programs(response) -> set[str]:
    return {str(program.agency_id) + ":" + program.name for program in response.context["cl"].result_list}


@pytest.fixture
def superuser_client() -> Client:
    user = UserFactory(username="root")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_admin_client(coordinator) -> Client:
    coordinator.user.is_staff = True
    coordinator.user.save()
    coordinator.user.user_permissions.add(*Permission.objects.filter(content_type__app_label="agencies"))
    client = Client()
    client.force_login(coordinator.user)
    return client


def test_it_shows_a_superuser_every_agencys_programs(superuser_client, agency, harbour_program):
    response = superuser_client.get(PROGRAMS_URL)

    assertContains(response, "Harbour Youth Outreach")
    assertContains(response, "Language Training")
    assert len(listed_programs(response)) == Program.objects.count()


def test_it_shows_a_coordinator_only_their_agencys_programs(coordinator_admin_client, agency, harbour_program):
    response = coordinator_admin_client.get(PROGRAMS_URL)

    assertContains(response, "Language Training")
    assertNotContains(response, "Harbour Youth Outreach")
    own = {f"{agency.pk}:{name}" for name in agency.programs.values_list("name", flat=True)}
    assert listed_programs(response) == own


def test_it_does_not_open_another_agencys_program_for_a_coordinator(coordinator_admin_client, harbour_program):
    response = coordinator_admin_client.get(reverse("admin:agencies_program_change", args=[harbour_program.pk]))

    assertRedirects(response, reverse("admin:index"))


def test_it_files_a_coordinators_new_program_under_their_agency(coordinator_admin_client, agency, other_agency):
    add_url = reverse("admin:agencies_program_add")

    form = coordinator_admin_client.get(add_url)
    response = coordinator_admin_client.post(add_url, {"name": "Youth Mentoring", "is_active": "on"})

    assertContains(form, 'name="name"')
    assertNotContains(form, 'name="agency"')
    assertRedirects(response, PROGRAMS_URL)
    assert Program.objects.get(name="Youth Mentoring").agency == agency


def test_it_refuses_a_superuser_a_staff_profile_with_another_agencys_program(
    superuser_client, caseworker, harbour_program
):
    """The site of another agency was refused already (StaffProfile.clean); the programs were not."""
    url = reverse("admin:agencies_staffprofile_change", args=[caseworker.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {
        name: value for name, value in form.initial.items() if value is not None and not name.startswith("password")
    }
    data |= {
        "user": caseworker.user_id,
        "agency": caseworker.agency_id,
        "programs": [*caseworker.programs.values_list("pk", flat=True), harbour_program.pk],
        "is_active": "on",
    }

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["programs"] == [
        "Choose programs of the staff member's own agency."
    ]
    assert harbour_program not in caseworker.programs.all()
