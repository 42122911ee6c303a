"""Clear: the caseworker discards a registration in progress."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from registration.models import Draft
from tests.wizard import message_html, page_after, walk

pytestmark = pytest.mark.django_db

START = reverse("registration:register-start")


def clear_url(code) -> str:
    return reverse("registration:draft-clear", kwargs={"code": code})


def test_it_deletes_the_draft_and_says_nothing_was_saved(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="contact")

    response = caseworker_client.post(clear_url(code))

    assertRedirects(response, START, fetch_redirect_response=False)
    assert not Draft.objects.filter(code=code).exists()
    message = message_html("The registration was cleared: nothing was saved.", "info")
    assertContains(page_after(caseworker_client, response), message, html=True)


def test_it_asks_for_confirmation_on_the_clear_button(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker, until="privacy")

    page = page_after(caseworker_client, response)

    assertContains(page, f'<form class="mt-2" method="post" action="{clear_url(code)}">', count=1)
    assertContains(
        page,
        '<button type="submit" class="btn btn-link text-danger px-0" '
        'data-confirm="Clear this registration? Everything typed in every step will be deleted.">Clear</button>',
        html=True,
    )


def test_it_answers_405_to_a_get(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    assert caseworker_client.get(clear_url(code)).status_code == 405
    assert Draft.objects.filter(code=code).exists()


def test_it_answers_404_to_another_caseworker_of_the_agency(caseworker_client, caseworker2_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    assert caseworker2_client.post(clear_url(code)).status_code == 404
    assert Draft.objects.filter(code=code).exists()


def test_it_answers_404_to_the_outsider(caseworker_client, outsider_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    assert outsider_client.post(clear_url(code)).status_code == 404
    assert Draft.objects.filter(code=code).exists()
