"""Who reaches the admin: staff accounts only; a caseworker is refused outright with 403."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [reverse("admin:index"), reverse("admin:agencies_program_changelist")])
def test_it_refuses_the_admin_to_a_caseworker(caseworker_client, url):
    response = caseworker_client.get(url)

    assertContains(response, "Not allowed", status_code=403)


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
