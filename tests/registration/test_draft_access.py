"""A draft is its owner's: another caseworker of the agency, or anyone of another agency, gets a 404 and changes
nothing; a visitor who is not logged in is sent to log in."""

import pytest
from pytest_django.asserts import assertRedirects

from registration.models import Draft
from tests.wizard import FIRST_NAME, draft_start, login_url, step_url, walk

pytestmark = pytest.mark.django_db


def test_it_answers_404_to_another_caseworker_of_the_agency(caseworker_client, caseworker2_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    assert caseworker2_client.get(step_url(code, "primary")).status_code == 404
    response = caseworker2_client.post(step_url(code, "primary"), {"first_name": "Mallory", "go": "next"})

    assert response.status_code == 404
    assert Draft.objects.get(code=code).data["primary"]["first_name"] == [FIRST_NAME]


def test_it_answers_404_to_the_outsider(caseworker_client, outsider_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    assert outsider_client.get(step_url(code, "primary")).status_code == 404
    assert outsider_client.post(step_url(code, "primary"), {"first_name": "Otto", "go": "next"}).status_code == 404
    assert Draft.objects.get(code=code).data["primary"]["first_name"] == [FIRST_NAME]


def test_it_sends_an_anonymous_visitor_to_login(client, caseworker_client):
    code = draft_start(caseworker_client)

    response = client.get(step_url(code, "primary"))

    assertRedirects(response, login_url(step_url(code, "primary")))
    assert "primary" not in Draft.objects.get(code=code).data
