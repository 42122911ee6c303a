"""A step keeps what is typed in its draft as it is typed (the page posts it with go=autosave): nothing is lost
to an idle logout, a closed tab or a language switch, and a step only typed in shows no errors until it is posted.
The step pills show a step as done only when it was posted and is valid."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from registration.models import Draft
from tests.clients.pages import attribute, elements, one, parsed, text_of
from tests.wizard import (
    field_errors,
    input_value,
    login_url,
    step_data,
    step_post,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db


def test_what_is_typed_is_kept_without_moving_on(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="privacy")

    response = step_post(caseworker_client, code, "primary", {"first_name": "Nadia"}, go="autosave")

    assert response.status_code == 204
    draft = Draft.objects.get(code=code)
    assert draft.data["primary"]["first_name"] == ["Nadia"]
    assert draft.step == "primary"


def test_a_step_only_typed_in_opens_as_typed_without_errors(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="privacy")
    step_post(caseworker_client, code, "primary", {"first_name": "Nadia"}, go="autosave")

    again = caseworker_client.get(step_url(code, "primary"))

    assert input_value(again, "first_name") == "Nadia"
    assert field_errors(again, "id_last_name") == []
    # Next checks it as always.
    nexted = step_post(caseworker_client, code, "primary", {"first_name": "Nadia"})
    assert nexted.status_code == 200
    assert field_errors(nexted, "id_last_name")


def test_what_was_typed_survives_the_logout(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="privacy")
    step_post(caseworker_client, code, "primary", {"first_name": "Nadia"}, go="autosave")

    caseworker_client.logout()
    assert caseworker_client.get(step_url(code, "primary")).url == login_url(step_url(code, "primary"))
    caseworker_client.force_login(caseworker.user)

    assert input_value(caseworker_client.get(step_url(code, "primary")), "first_name") == "Nadia"


def test_resume_opens_the_step_only_typed_in(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="immigration")
    step_post(caseworker_client, code, "identification", {}, go="autosave")

    resume = caseworker_client.get(reverse("registration:register-start"))
    assertContains(resume, f'href="{step_url(code, "identification")}"')


def pills(response) -> dict[str, bool]:
    """Each step pill's text, and whether it shows the step as done."""
    steps = one(elements(parsed(response), "ol", class_="wizard-steps"))
    # The hidden ", done" is a child of its own: text_of puts a space before its comma.
    return {text_of(pill).replace(" ,", ","): attribute(pill, "class") == "done" for pill in elements(steps, "li")}


def test_a_step_pill_shows_a_step_done_only_when_it_is_valid(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="immigration")
    # Primary posted again with its last name removed, by a step pill: kept, and not valid.
    step_post(
        caseworker_client, code, "primary", {**step_data("primary", staff=caseworker), "last_name": ""}, "immigration"
    )

    shown = pills(caseworker_client.get(step_url(code, "immigration")))

    assert shown["1. Privacy, done"] is True
    assert shown["2. Primary Information"] is False
    assert not any(text.startswith("2.") and text.endswith(", done") for text in shown)


def test_the_page_keeps_what_is_typed(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="privacy")

    page = caseworker_client.get(step_url(code, "primary"))

    assert "data-autosave" in dict(one(elements(parsed(page), "form", id="step-form")).attributes)
