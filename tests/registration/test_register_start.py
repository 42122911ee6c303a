"""Register New Client: the client type, and the registrations in progress to resume."""

import pytest
from django.urls import reverse

from tests.wizard import FIRST_NAME, LAST_NAME, draft_start, step_url, text, walk

pytestmark = pytest.mark.django_db

START = reverse("registration:register-start")


def test_it_offers_named_and_anonymous_clients_and_the_find_client_reminder(caseworker_client):
    page = text(caseworker_client.get(START))

    assert "Client Type" in page
    assert f'action="{reverse("registration:draft-create")}"' in page
    assert f'href="{reverse("registration:anonymous-register")}"' in page
    assert f'href="{reverse("clients:client-find")}"' in page
    assert "Resume registration" not in page


def test_it_lists_the_caseworkers_drafts_to_resume(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    page = text(caseworker_client.get(START))

    assert "Resume registration" in page
    assert f"<td>{FIRST_NAME} {LAST_NAME}</td>" in page
    assert f'href="{step_url(code, "primary")}"' in page


def test_it_lists_a_draft_without_a_name_as_unnamed(caseworker_client):
    code = draft_start(caseworker_client)

    page = text(caseworker_client.get(START))

    assert "<td>Unnamed client</td>" in page
    assert f'href="{step_url(code, "privacy")}"' in page


def test_it_does_not_list_another_caseworkers_drafts(caseworker_client, caseworker2_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    page = text(caseworker2_client.get(START))

    assert "Resume registration" not in page
    assert str(code) not in page


def test_it_does_not_list_drafts_of_another_agency(caseworker_client, outsider_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    page = text(outsider_client.get(START))

    assert "Resume registration" not in page
    assert str(code) not in page


def test_it_no_longer_lists_a_draft_once_the_client_is_registered(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker)

    page = text(caseworker_client.get(START))

    assert str(code) not in page
    assert "Resume registration" not in page


def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get(START)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
