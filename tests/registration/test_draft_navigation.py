"""Moving between the wizard's steps (Next, Back, a step's pill): whatever was typed is kept in the draft, valid or
not, through a logout too."""

import pytest
from pytest_django.asserts import assertRedirects

from registration.models import Draft
from tests.wizard import (
    DATE_OF_BIRTH,
    FIRST_NAME,
    LAST_NAME,
    RULE_ERRORS,
    draft_start,
    field_attributes,
    field_errors,
    input_value,
    login_url,
    step_data,
    step_post,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db


def test_it_keeps_invalid_input_when_going_back(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="privacy")
    invalid = {**step_data("primary", staff=caseworker), "first_name": "", "date_of_birth": "2999-01-01"}

    response = step_post(caseworker_client, code, "primary", invalid, go="back")

    assertRedirects(response, step_url(code, "privacy"))
    stored = Draft.objects.get(code=code).data["primary"]
    assert stored["date_of_birth"] == ["2999-01-01"]
    assert stored["last_name"] == [LAST_NAME]
    again = caseworker_client.get(step_url(code, "primary"))
    assert input_value(again, "last_name") == LAST_NAME
    assert input_value(again, "date_of_birth") == "2999-01-01"
    assert field_errors(again, "id_first_name") == [RULE_ERRORS["first_name"]]


def test_it_keeps_each_step_when_jumping_between_steps(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, {"contact": {"city": "Hamilton"}}, until="contact")

    response = step_post(caseworker_client, code, "employment", step_data("employment", staff=caseworker), "primary")

    assertRedirects(response, step_url(code, "primary"))
    assert input_value(caseworker_client.get(step_url(code, "primary")), "first_name") == FIRST_NAME
    assert input_value(caseworker_client.get(step_url(code, "contact")), "city") == "Hamilton"
    assert set(Draft.objects.get(code=code).data) == {
        "privacy",
        "primary",
        "immigration",
        "identification",
        "contact",
        "employment",
    }


def test_it_keeps_a_draft_through_logout_and_login(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, {"primary": {"preferred_name": "Ami"}}, until="primary")
    caseworker_client.logout()

    assertRedirects(caseworker_client.get(step_url(code, "primary")), login_url(step_url(code, "primary")))
    caseworker_client.force_login(caseworker.user)
    response = caseworker_client.get(step_url(code, "primary"))

    assert response.status_code == 200
    assert input_value(response, "first_name") == FIRST_NAME
    assert input_value(response, "preferred_name") == "Ami"
    assert input_value(response, "date_of_birth") == DATE_OF_BIRTH


def test_it_shows_an_empty_step_not_yet_visited(caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "primary"))

    assert response.status_code == 200
    assert response.context["section"].forms["primary"].is_bound is False
    assert "value" not in field_attributes(response, "first_name")
    assert field_errors(response, "id_first_name") == []
    assert field_errors(response, "id_last_name") == []
    assert "primary" not in Draft.objects.get(code=code).data


def test_it_answers_404_for_an_unknown_step(caseworker_client):
    code = draft_start(caseworker_client)

    assert caseworker_client.get(step_url(code, "nowhere")).status_code == 404
