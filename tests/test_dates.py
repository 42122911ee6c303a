"""Dates as the article says, on every form that takes one: typed as YYYY-MM-DD in a text box (not the browser's
date input, whose format follows the browser's language), read strictly as YYYY-MM-DD on an English or a French
page; an impossible date keeps what was typed and says it is not a valid date, never "required"."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from clients.models import Client, Session
from clients.sections import SectionName
from tests.factories import ClientFactory
from tests.registration.edit_pages import Editor
from tests.wizard import (
    field_attributes,
    field_errors,
    gender,
    input_value,
    registered_client,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db

IMPOSSIBLE = "2026-02-30"
MESSAGE = f"“{IMPOSSIBLE}” is not a valid date. Use YYYY-MM-DD, e.g. 2024-03-09."
FRENCH_MESSAGE = f"« {IMPOSSIBLE} » n'est pas une date valide. Utilisez AAAA-MM-JJ, p. ex. 2024-03-09."
REQUIRED_WORDS = ("required", "This field is required", "obligatoire")


def refused_with_typed_text_kept(response, name: str, message: str = MESSAGE) -> None:
    """The page again, the message under the field, the text as typed in the box, and no word of "required"."""
    assert response.status_code == 200, response.status_code
    assert field_errors(response, f"id_{name}") == [message]
    assert input_value(response, name) == IMPOSSIBLE
    for words in REQUIRED_WORDS:
        assert all(words not in error for error in field_errors(response, f"id_{name}"))


def test_the_wizard_keeps_an_impossible_date_of_birth_and_says_it_is_not_a_date(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker, {"primary": {"date_of_birth": IMPOSSIBLE}})

    assert response.request["PATH_INFO"] == step_url(code, "primary")
    refused_with_typed_text_kept(response, "date_of_birth")
    assert Client.objects.count() == 0


def test_the_wizard_reads_a_typed_date_as_year_month_day(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker, {"primary": {"date_of_birth": "2004-03-09"}})

    assert registered_client(response).date_of_birth == date(2004, 3, 9)


def test_a_french_page_reads_yyyy_mm_dd_and_refuses_its_own_day_first_format(caseworker_client, caseworker):
    caseworker_client.cookies["django_language"] = "fr"

    code, response = walk(caseworker_client, caseworker, {"primary": {"date_of_birth": "09/03/2004"}})
    assert response.request["PATH_INFO"] == step_url(code, "primary")
    assert field_errors(response, "id_date_of_birth") == [
        "« 09/03/2004 » n'est pas une date valide. Utilisez AAAA-MM-JJ, p. ex. 2024-03-09."
    ]

    _code, response = walk(caseworker_client, caseworker, {"primary": {"date_of_birth": "2004-03-09"}})
    assert registered_client(response).date_of_birth == date(2004, 3, 9)


def test_a_french_page_says_so_in_french(caseworker_client, caseworker):
    caseworker_client.cookies["django_language"] = "fr"

    _code, response = walk(caseworker_client, caseworker, {"primary": {"date_of_birth": IMPOSSIBLE}})

    refused_with_typed_text_kept(response, "date_of_birth", FRENCH_MESSAGE)


def test_a_date_box_is_a_text_box_that_asks_for_yyyy_mm_dd(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker, until="privacy")
    page = caseworker_client.get(step_url(code, "primary"))

    attributes = field_attributes(page, "date_of_birth")
    assert (attributes["type"], attributes["inputmode"], attributes["autocomplete"], attributes["placeholder"]) == (
        "text",
        "numeric",
        "off",
        "YYYY-MM-DD",
    )
    assertContains(page, 'aria-label="Choose date"')


def test_a_section_edit_keeps_an_impossible_date_and_changes_nothing(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, arrival_date=date(2019, 3, 10))

    response = Editor(caseworker_client, client, SectionName.IMMIGRATION).type(arrival_date=IMPOSSIBLE).save()

    refused_with_typed_text_kept(response, "arrival_date")
    client.refresh_from_db()
    assert client.arrival_date == date(2019, 3, 10)


def test_the_anonymous_form_keeps_an_impossible_registration_date(caseworker_client, caseworker):
    data = {
        "gender": str(gender(caseworker.agency, "Male").pk),
        "arrival_year": "",
        "immigration_status": "",
        "postal_code": "M5V 2T6",
        "registration_date": IMPOSSIBLE,
        "registration_site": str(caseworker.default_site.pk),
        "comments": "",
    }

    response = caseworker_client.post(reverse("registration:anonymous-register"), data)

    refused_with_typed_text_kept(response, "registration_date")
    assert Client.objects.count() == 0


def test_a_session_keeps_an_impossible_date(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)
    url = reverse("clients:session-create", kwargs={"code": client.code})

    response = caseworker_client.post(url, {"date": IMPOSSIBLE, "duration_minutes": "30"})

    refused_with_typed_text_kept(response, "date")
    assert Session.objects.count() == 0


def test_the_unlock_log_filter_keeps_an_impossible_date(manager_client):
    response = manager_client.get(reverse("clients:unlock-log"), {"date_from": IMPOSSIBLE})

    refused_with_typed_text_kept(response, "date_from")


def test_the_icare_check_keeps_an_impossible_date(manager_client):
    response = manager_client.get(
        reverse("reports:icare-check"), {"date_from": IMPOSSIBLE, "date_to": timezone.localdate().isoformat()}
    )

    refused_with_typed_text_kept(response, "date_from")
    assertNotContains(response, "Enter the first registration date")


def test_find_client_keeps_an_impossible_date_of_birth(caseworker_client):
    response = caseworker_client.get(reverse("clients:client-find"), {"q": "", "date_of_birth": IMPOSSIBLE})

    refused_with_typed_text_kept(response, "date_of_birth")
