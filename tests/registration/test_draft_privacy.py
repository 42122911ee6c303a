"""The Privacy step: a named client is registered only once the Privacy/Confidentiality Statement is confirmed;
declined, the caseworker is offered the Anonymous Client form."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from clients.models import Client
from registration.models import Draft
from tests.wizard import (
    RULE_ERRORS,
    draft_start,
    field_errors,
    form_errors,
    message_html,
    page_after,
    step_post,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db


def test_it_asks_to_answer_the_privacy_question(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker, {"privacy": {"privacy_confirmed": ""}})

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "privacy")
    assert form_errors(response, "privacy") == {"privacy_confirmed": ["Choose Yes or No."]}
    assert field_errors(response, "id_privacy_confirmed") == ["Choose Yes or No."]
    assert Draft.objects.get(code=code).data["privacy"] == {"privacy_confirmed": [""]}


def test_it_offers_the_anonymous_form_when_the_privacy_statement_is_declined(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker, {"privacy": {"privacy_confirmed": "no"}})

    assertContains(response, "The client has not confirmed the Privacy/Confidentiality Statement")
    assertContains(
        response,
        f'<a class="btn btn-primary" href="{reverse("registration:anonymous-register")}">'
        "Use the Anonymous Client form</a>",
        html=True,
    )
    assert Draft.objects.get(code=code).data["privacy"] == {"privacy_confirmed": ["no"]}
    assert not Client.objects.exists()


def test_it_never_registers_a_named_client_who_declined_the_privacy_statement(caseworker_client, caseworker):
    code = draft_start(caseworker_client)
    step_post(caseworker_client, code, "privacy", {"privacy_confirmed": "no"}, go="primary")

    _code, response = walk(caseworker_client, caseworker, code=code, start="primary")

    assertRedirects(response, step_url(code, "privacy"), fetch_redirect_response=False)
    message = message_html(RULE_ERRORS["privacy_confirmed"], "error")
    assertContains(page_after(caseworker_client, response), message, html=True)
    assert Client.objects.count() == 0
    assert Draft.objects.filter(code=code).exists()
