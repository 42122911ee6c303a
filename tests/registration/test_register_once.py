"""Register happens once: Back, reload or a second press after Register lead to the client registered, with
"Already registered as client N", never to a second client or an error page; two presses at once make one client.
The project's own 404 and 500 pages, in English and French."""

import threading

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error
from pytest_django.asserts import assertContains, assertRedirects

from clients.models import Client
from registration import views as registration_views
from tests.conftest import client_for
from tests.wizard import (
    STEP_NAMES,
    message_html,
    page_after,
    registered_client,
    step_data,
    step_post,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db

SUMMARY = STEP_NAMES[-1]


def next_steps_url(client: Client) -> str:
    return reverse("registration:next-steps", kwargs={"code": client.code})


def already(client: Client) -> str:
    return message_html(f"Already registered as client {client.number}.", "info")


@pytest.mark.parametrize("step", [SUMMARY, STEP_NAMES[0], "contact"])
def test_back_or_reload_after_register_leads_to_the_client(caseworker_client, caseworker, step):
    code, response = walk(caseworker_client, caseworker)
    client = registered_client(response)

    back = caseworker_client.get(step_url(code, step))

    assertRedirects(back, next_steps_url(client), fetch_redirect_response=False)
    assertContains(page_after(caseworker_client, back), already(client), html=True)


def test_a_second_press_of_register_registers_no_second_client(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker)
    client = registered_client(response)

    again = step_post(caseworker_client, code, SUMMARY, step_data(SUMMARY, staff=caseworker), "register")

    assertRedirects(again, next_steps_url(client), fetch_redirect_response=False)
    assert Client.objects.count() == 1
    assertContains(page_after(caseworker_client, again), already(client), html=True)


def test_a_draft_never_registered_is_still_not_found(caseworker_client):
    unknown = "7d3f7a8e-0000-4000-8000-000000000000"

    assert caseworker_client.get(step_url(unknown, SUMMARY)).status_code == 404


def test_another_agency_never_reaches_the_client_through_the_draft_code(caseworker_client, caseworker, outsider):
    code, response = walk(caseworker_client, caseworker)
    registered_client(response)

    assert client_for(outsider).get(step_url(code, SUMMARY)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_presses_of_register_at_once_make_one_client(caseworker):
    first = client_for(caseworker)
    code, _response = walk(first, caseworker, register=False)
    second = client_for(caseworker)
    data = {**step_data(SUMMARY, staff=caseworker), "go": "register"}
    together = threading.Barrier(2)
    responses = []

    def press(browser) -> None:
        try:
            together.wait()
            responses.append(browser.post(step_url(code, SUMMARY), data))
        finally:
            connection.close()

    presses = [threading.Thread(target=press, args=(browser,)) for browser in (first, second)]
    for thread in presses:
        thread.start()
    for thread in presses:
        thread.join()

    client = Client.objects.get()
    assert sorted(response.status_code for response in responses) == [302, 302]
    assert {response.url for response in responses} == {next_steps_url(client)}


@pytest.mark.parametrize("go", ["register", "next"])
def test_a_press_whose_draft_became_a_client_while_it_was_under_way_leads_to_that_client(
    caseworker_client, caseworker, monkeypatch, go
):
    # The same moment as above, made certain: the other press registers the client (and the draft is gone) after
    # this press has read the draft and before it keeps what it posted.
    code, _response = walk(caseworker_client, caseworker, register=False)
    data = {**step_data(SUMMARY, staff=caseworker), "go": go}
    draft_read = registration_views.get_draft_for
    other_press = []

    def read_then_the_other_press(request, draft_code):
        draft = draft_read(request, draft_code)
        if not other_press:  # this press: the other one comes in now (and reads the draft here too)
            other_press.append(None)
            other_press[0] = client_for(caseworker).post(step_url(code, SUMMARY), {**data, "go": "register"})
        return draft

    monkeypatch.setattr(registration_views, "get_draft_for", read_then_the_other_press)
    response = caseworker_client.post(step_url(code, SUMMARY), data)

    client = Client.objects.get()
    assert other_press[0].url == next_steps_url(client)
    assertRedirects(response, next_steps_url(client), fetch_redirect_response=False)
    assertContains(page_after(caseworker_client, response), already(client), html=True)


# The project's own error pages


@pytest.mark.parametrize(
    ("language", "heading", "home"),
    [("en", "Page not found", "Back to My Tasks"), ("fr", "Page non trouvée", "Retour à Mes tâches")],
)
def test_a_page_that_does_not_exist_has_a_page_of_ours_with_a_way_home(caseworker_client, language, heading, home):
    caseworker_client.cookies["django_language"] = language

    response = caseworker_client.get("/no-such-page/")

    assert response.status_code == 404
    assertContains(response, f'<h1 class="h3">{heading}</h1>', html=True, status_code=404)
    assertContains(response, f'<a href="{reverse("home")}">{home}</a>', html=True, status_code=404)


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("language", "heading", "home"),
    [("en", "Something went wrong", "Back to My Tasks"), ("fr", "Une erreur est survenue", "Retour à Mes tâches")],
)
def test_a_server_error_has_a_page_of_ours_with_a_way_home(language, heading, home):
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assertContains(response, f'<h1 class="h3">{heading}</h1>', html=True, status_code=500)
    assertContains(response, f'<a href="{reverse("home")}">{home}</a>', html=True, status_code=500)
