"""Named Client, on Register New Client: a new draft of the caseworker's, opened on its first step."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from registration.models import Draft
from tests.wizard import draft_start, login_url, step_url

pytestmark = pytest.mark.django_db

NAMED_CLIENT = reverse("registration:draft-create")


def test_it_starts_a_draft_owned_by_the_caseworker(caseworker_client, caseworker):
    code = draft_start(caseworker_client)

    draft = Draft.objects.get(code=code)
    assert draft.owner == caseworker.user
    assert draft.agency == caseworker.agency
    assert (draft.data, draft.checks) == ({}, {})


def test_it_opens_the_new_draft_on_the_privacy_step(caseworker_client):
    response = caseworker_client.post(NAMED_CLIENT)

    draft = Draft.objects.get()
    assertRedirects(response, step_url(draft.code, "privacy"))


def test_it_answers_405_to_a_get_on_named_client(caseworker_client):
    assert caseworker_client.get(NAMED_CLIENT).status_code == 405
    assert not Draft.objects.exists()


def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.post(NAMED_CLIENT)

    assertRedirects(response, login_url(NAMED_CLIENT), fetch_redirect_response=False)
    assert not Draft.objects.exists()
