"""Register New Client: the client type, and the registrations in progress to resume."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from registration.models import Draft
from tests.wizard import FIRST_NAME, LAST_NAME, draft_start, login_url, step_data, step_post, step_url, walk

pytestmark = pytest.mark.django_db

START = reverse("registration:register-start")


def test_it_offers_named_and_anonymous_clients_and_the_find_client_reminder(caseworker_client):
    response = caseworker_client.get(START)

    assertContains(response, "Client Type")
    assertContains(response, f'action="{reverse("registration:draft-create")}"')
    assertContains(response, f'href="{reverse("registration:anonymous-register")}"')
    assertContains(response, f'href="{reverse("clients:client-find")}"')
    assertNotContains(response, "Resume registration")


def test_it_lists_the_caseworkers_drafts_to_resume(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    response = caseworker_client.get(START)

    assertContains(response, "Resume registration")
    assertContains(response, f"<td>{FIRST_NAME} {LAST_NAME}</td>", html=True)
    # Two drafts of one name are told apart by the date of birth typed.
    typed = step_data("primary", staff=caseworker)["date_of_birth"]
    assertContains(response, f'<td class="text-nowrap">{typed}</td>', html=True)
    # Privacy and Primary Information are done: it resumes at the first step not yet done, named by its title.
    assertContains(response, "<td>Immigration</td>", html=True)
    assertContains(response, f'href="{step_url(code, "immigration")}"')


def test_it_resumes_at_a_step_posted_with_a_mistake(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")
    step_post(caseworker_client, code, "privacy", {"privacy_confirmed": ""})

    response = caseworker_client.get(START)

    assertContains(response, "<td>Privacy</td>", html=True)
    assertContains(response, f'href="{step_url(code, "privacy")}"')


def test_it_resumes_where_the_step_pills_say_once_an_earlier_change_made_a_later_step_wrong(
    caseworker_client, caseworker
):
    """Immigration was done; a date of birth changed since (through a step pill) puts its arrival date before the
    birth. The step's kept check is dropped with the change: Resume checks it again, as the pills do."""
    code, _response = walk(
        caseworker_client, caseworker, {"immigration": {"arrival_date": "2015-06-01"}}, until="contact"
    )
    step_post(
        caseworker_client,
        code,
        "primary",
        {**step_data("primary", staff=caseworker), "date_of_birth": "2016-01-01"},
        "contact",
    )

    response = caseworker_client.get(START)

    assertContains(response, "<td>Immigration</td>", html=True)
    assertContains(response, f'href="{step_url(code, "immigration")}"')
    pills = caseworker_client.get(step_url(code, "contact"))
    assertContains(pills, "3. Immigration</button>")
    assertNotContains(pills, "3. Immigration<span")


def test_it_names_the_step_to_resume_at_in_french(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="identification")
    caseworker_client.cookies["django_language"] = "fr"

    response = caseworker_client.get(START)

    assertContains(response, "Reprendre une inscription")
    assertContains(response, "<td>Coordonnées</td>", html=True)
    assertContains(response, f'href="{step_url(code, "contact")}"')


def test_the_owner_can_discard_a_draft_from_the_list(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")
    clear = reverse("registration:draft-clear", kwargs={"code": code})
    assertContains(caseworker_client.get(START), f'<form method="post" action="{clear}">')

    assertRedirects(caseworker_client.post(clear), START)
    assert not Draft.objects.filter(code=code).exists()


def test_it_lists_a_draft_without_a_name_as_unnamed(caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(START)

    assertContains(response, "<td>Client with no name yet</td>", html=True)
    assertContains(response, '<td class="text-nowrap">—</td>', html=True)  # no date of birth typed yet
    assertContains(response, f'href="{step_url(code, "privacy")}"')


def test_it_does_not_list_another_caseworkers_drafts(caseworker_client, caseworker2_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    response = caseworker2_client.get(START)

    assertNotContains(response, "Resume registration")
    assertNotContains(response, str(code))


def test_it_does_not_list_drafts_of_another_agency(caseworker_client, outsider_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    response = outsider_client.get(START)

    assertNotContains(response, "Resume registration")
    assertNotContains(response, str(code))


def test_it_no_longer_lists_a_draft_once_the_client_is_registered(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker)

    response = caseworker_client.get(START)

    assertNotContains(response, str(code))
    assertNotContains(response, "Resume registration")


def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get(START)

    assertRedirects(response, login_url(START))
