"""Next Steps, after Register: the client number, the family, and what to do next."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import ClientFactory
from tests.wizard import registered_client, walk

pytestmark = pytest.mark.django_db

NAMED_CLIENT = reverse("registration:draft-create")
ANONYMOUS_CLIENT = reverse("registration:anonymous-register")


def next_steps_url(client) -> str:
    return reverse("registration:next-steps", kwargs={"code": client.code})


def test_it_shows_the_client_number_and_offers_another_client(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker)
    client = registered_client(response)

    page = caseworker_client.get(response.url)

    assertContains(page, f"Client number <strong>{client.number}</strong>")
    assertContains(
        page, '<button class="btn btn-outline-primary" type="submit">Register Another Client</button>', html=True
    )
    assertContains(page, f'action="{NAMED_CLIENT}"', count=1)
    assertNotContains(page, 'name="relative"')
    assertNotContains(page, "Register Another Family Member")
    assertNotContains(page, "Family Members")
    assertContains(page, f'href="{reverse("clients:client-detail", kwargs={"code": client.code})}"')


def test_it_offers_another_family_member_and_another_client_when_the_client_has_a_family_code(
    caseworker_client, caseworker
):
    relative = ClientFactory(registered_by=caseworker, with_family=True, first_name="Ngozi")
    family = relative.family
    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": family.code}})
    client = registered_client(response)

    page = caseworker_client.get(next_steps_url(client))

    assertContains(page, "Register Another Family Member")
    assertContains(page, f'<input type="hidden" name="relative" value="{client.code}">', html=True)
    # Or someone of no relation: the next person waiting need not be family.
    assertContains(
        page, '<button class="btn btn-outline-primary" type="submit">Register Another Client</button>', html=True
    )
    assertContains(page, family.code)
    assertContains(page, f"<tr><td>Ngozi {relative.last_name}</td><td>{relative.number}</td></tr>", html=True)
    assertContains(page, f"<tr><td>{client.display_name}</td><td>{client.number}</td></tr>", html=True)


def test_it_offers_another_anonymous_client_after_an_anonymous_one(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, anonymous=True)

    page = caseworker_client.get(next_steps_url(client))

    assertContains(
        page, f'<a class="btn btn-outline-primary" href="{ANONYMOUS_CLIENT}">Register Another Client</a>', html=True
    )
    assertNotContains(page, f'action="{NAMED_CLIENT}"')


def test_it_answers_404_to_the_outsider(outsider_client, caseworker):
    client = ClientFactory(registered_by=caseworker)

    assert outsider_client.get(next_steps_url(client)).status_code == 404
