"""Next Steps, after Register: the client number, the family, and what to do next."""

import pytest
from django.urls import reverse

from clients.models import Family
from clients.models.family import family_check_letter
from tests.wizard import registered_client, saved_client, text, walk

pytestmark = pytest.mark.django_db


def next_steps_url(client) -> str:
    return reverse("registration:next-steps", kwargs={"code": client.code})


def test_it_shows_the_client_number_and_offers_another_client(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker)
    client = registered_client(response)

    page = text(caseworker_client.get(response.url))

    assert f"Client number <strong>{client.number}</strong>" in page
    assert "Register Another Client" in page
    assert "Register Another Family Member" not in page
    assert "Family Members" not in page
    assert f'href="{reverse("clients:client-detail", kwargs={"code": client.code})}"' in page


def test_it_offers_another_family_member_when_the_client_has_a_family_code(caseworker_client, caseworker, agency):
    family = Family.objects.create(agency=agency, code=f"F-4821-{family_check_letter('4821')}")
    relative = saved_client(caseworker, first_name="Ngozi", family=family)
    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": family.code}})
    client = registered_client(response)

    page = text(caseworker_client.get(next_steps_url(client)))

    assert "Register Another Family Member" in page
    assert "Register Another Client" not in page
    assert family.code in page
    assert f"<td>Ngozi {relative.last_name}</td><td>{relative.number}</td>" in page
    assert f"<td>{client.display_name}</td><td>{client.number}</td>" in page


def test_it_offers_another_anonymous_client_after_an_anonymous_one(caseworker_client, caseworker):
    client = saved_client(caseworker)
    client.is_anonymous = True
    client.save()

    page = text(caseworker_client.get(next_steps_url(client)))

    assert "Register Another Client" in page
    assert f'href="{reverse("registration:anonymous-register")}"' in page


def test_it_answers_404_to_the_outsider(outsider_client, caseworker):
    client = saved_client(caseworker)

    assert outsider_client.get(next_steps_url(client)).status_code == 404
