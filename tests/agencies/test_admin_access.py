"""Who reaches the admin: staff accounts only; a caseworker is refused outright with 403."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [reverse("admin:index"), reverse("admin:agencies_program_changelist")])
def test_it_refuses_the_admin_to_a_caseworker(caseworker_client, url):
    response = caseworker_client.get(url)

    assertContains(response, "Not allowed", status_code=403)


@pytest.mark.parametrize(
    ("role", "url", "advice"),
    [
        ("caseworker", reverse("admin:index"), "Ask your agency coordinator or manager if your work needs it."),
        ("coordinator", reverse("clients:unlock-log"), "Ask your agency's manager if your work needs it."),
        ("manager", reverse("admin:auth_user_changelist"), "kept for the people who run OCMS for the agencies"),
    ],
)
def test_it_tells_each_role_whom_to_ask_when_it_refuses(request, role, url, advice):
    response = client_for(request.getfixturevalue(role)).get(url)

    assertContains(response, "Not allowed", status_code=403)
    assertContains(response, advice, status_code=403)


def test_it_does_not_offer_a_caseworker_the_admin_login_form(caseworker_client):
    assert caseworker_client.get(reverse("admin:login")).status_code == 403


def test_it_opens_the_admin_to_a_coordinator_with_admin_rights(coordinator):
    coordinator.user.is_staff = True
    coordinator.user.save()
    http = Client()
    http.force_login(coordinator.user)

    assert http.get(reverse("admin:index")).status_code == 200


def test_it_sends_a_visitor_who_is_not_logged_in_to_the_admin_login(client):
    response = client.get(reverse("admin:index"))

    assertRedirects(response, f"{reverse('admin:login')}?next={reverse('admin:index')}", fetch_redirect_response=False)


def test_it_hides_the_administration_link_from_a_caseworker(caseworker_client):
    assertNotContains(caseworker_client.get(reverse("home")), f'href="{reverse("admin:index")}"')


OTHER_PACKAGES_ADMIN = [
    "admin:auth_user_changelist",
    "admin:auth_group_changelist",
    "admin:axes_accessattempt_changelist",
    "admin:axes_accessfailurelog_changelist",
    "admin:django_tasks_database_dbtaskresult_changelist",
]


@pytest.fixture
def coordinator_with_every_permission(coordinator):
    """A coordinator whom someone gave every one of Django's permissions, as a careless superuser might."""
    coordinator.user.user_permissions.set(Permission.objects.all())
    return coordinator


@pytest.mark.parametrize("route", OTHER_PACKAGES_ADMIN)
def test_it_keeps_other_packages_admin_pages_from_a_coordinator_whatever_their_permissions(
    coordinator_with_every_permission, other_agency, route
):
    response = client_for(coordinator_with_every_permission).get(reverse(route))

    assertNotContains(response, "otto", status_code=403)


def test_it_lists_no_other_packages_models_on_a_coordinators_admin_index(coordinator_with_every_permission):
    response = client_for(coordinator_with_every_permission).get(reverse("admin:index"))

    assertContains(response, "Programs")
    for route in OTHER_PACKAGES_ADMIN:
        assertNotContains(response, reverse(route))


@pytest.mark.parametrize("route", OTHER_PACKAGES_ADMIN)
def test_it_opens_other_packages_admin_pages_to_a_superuser(route):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    http = Client()
    http.force_login(root)

    assert http.get(reverse(route)).status_code == 200
