"""The Anonymous Client form: a profile without a name, that never becomes a named one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from agencies.models import AgencyList
from clients.models import Client
from clients.sections import EDITABLE_SECTIONS
from clients.validators import NotInFutureValidator
from tests.factories import ClientFactory
from tests.wizard import (
    field_errors,
    field_marker,
    form_errors,
    gender,
    input_value,
    list_item,
    message_html,
    page_after,
    registered_client,
    textarea_value,
)

pytestmark = pytest.mark.django_db

ANONYMOUS = reverse("registration:anonymous-register")


def anonymous_data(staff, **values) -> dict:
    return {
        "gender": str(gender(staff.agency, "Male").pk),
        "arrival_year": "",
        "immigration_status": "",
        "postal_code": "m5v 2t6",
        "registration_date": timezone.localdate().isoformat(),
        "registration_site": str(staff.default_site.pk),
        "comments": "",
        **values,
    }


def test_it_registers_an_anonymous_client(caseworker_client, caseworker, agency):
    status = list_item(agency, AgencyList.IMMIGRATION_STATUS, "Refugee Claimant")
    data = anonymous_data(caseworker, arrival_year="2021", immigration_status=str(status.pk), comments="Info only")

    response = caseworker_client.post(ANONYMOUS, data)

    client = registered_client(response)
    assert client.is_anonymous is True
    assert client.display_name == "Anonymous Client"
    assert (client.first_name, client.last_name) == ("", "")
    assert client.arrival_year == 2021
    assert client.immigration_status == status
    assert client.postal_code == "M5V2T6"
    assert client.registration_site == caseworker.default_site
    assert client.agency == agency
    assert client.created_by == caseworker.user
    assert client.primary_worker == caseworker  # the receipt names who to see
    assert len(str(client.number)) == 7
    page = page_after(caseworker_client, response)
    assertContains(
        page, message_html(f"The anonymous client is registered with client number {client.number}."), html=True
    )
    assertContains(page, "Anonymous Client · Client number")


def test_it_accepts_an_unknown_arrival_year(caseworker_client, caseworker):
    response = caseworker_client.post(ANONYMOUS, anonymous_data(caseworker, arrival_year=""))

    client = registered_client(response)
    assert client.arrival_year is None


def test_it_offers_unknown_as_the_arrival_year(caseworker_client):
    response = caseworker_client.get(ANONYMOUS)

    assertContains(response, '<option value="" selected>Unknown</option>', html=True)
    assertContains(response, "Client Name")


@pytest.mark.parametrize("field", ["postal_code", "registration_date", "registration_site"])
def test_it_requires_the_postal_code_registration_date_and_site(caseworker_client, caseworker, field):
    data = anonymous_data(caseworker, **{field: ""}, comments="Asked about English classes")

    response = caseworker_client.post(ANONYMOUS, data)

    assert response.status_code == 200
    assert list(form_errors(response)) == [field]
    assert field_errors(response, f"id_{field}") == form_errors(response)[field]
    assert textarea_value(response, "comments") == "Asked about English classes"
    assert not Client.objects.exists()


def test_it_refuses_a_registration_date_in_the_future_and_keeps_it(caseworker_client, caseworker):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = caseworker_client.post(ANONYMOUS, anonymous_data(caseworker, registration_date=tomorrow))

    assert response.status_code == 200
    assert form_errors(response) == {"registration_date": [str(NotInFutureValidator.message)]}
    assert field_errors(response, "id_registration_date") == [str(NotInFutureValidator.message)]
    assert input_value(response, "registration_date") == tomorrow
    assert not Client.objects.exists()


def test_it_refuses_a_malformed_postal_code_and_keeps_it(caseworker_client, caseworker):
    response = caseworker_client.post(ANONYMOUS, anonymous_data(caseworker, postal_code="W1A 0AX"))

    assert response.status_code == 200
    message = "Postal code must look like A1A 1A1 (letters D, F, I, O, Q and U are never used)."
    assert form_errors(response) == {"postal_code": [message]}
    assert field_errors(response, "id_postal_code") == [message]
    assert input_value(response, "postal_code") == "W1A 0AX"
    assert not Client.objects.exists()


def test_it_refuses_a_site_of_another_agency(caseworker_client, caseworker, other_agency):
    theirs = other_agency.sites.get()

    response = caseworker_client.post(ANONYMOUS, anonymous_data(caseworker, registration_site=str(theirs.pk)))

    assert response.status_code == 200
    assert list(form_errors(response)) == ["registration_site"]
    assert field_errors(response, "id_registration_site") == form_errors(response)["registration_site"]
    assert not Client.objects.exists()


def test_it_marks_the_required_fields_in_text(caseworker_client):
    response = caseworker_client.get(ANONYMOUS)

    for field_id in ("id_postal_code", "id_registration_date", "id_registration_site"):
        assert field_marker(response, field_id) == "Required", field_id


@pytest.mark.parametrize("section", EDITABLE_SECTIONS)
def test_it_never_opens_a_named_section_of_an_anonymous_client(caseworker_client, caseworker, section):
    client = ClientFactory(registered_by=caseworker, anonymous=True)
    url = reverse("registration:section-edit", kwargs={"code": client.code, "section": section})

    assert caseworker_client.get(url).status_code == 404
    response = caseworker_client.post(url, {"first_name": "Named", "last_name": "Now", "privacy_confirmed": "yes"})

    assert response.status_code == 404
    client.refresh_from_db()
    assert client.is_anonymous is True
    assert client.first_name == ""


@pytest.mark.parametrize(
    ("arrival_year", "registered", "message"),
    [
        (
            "2024",
            "2023-05-01",
            "The registration date is before the Arrival Year 2024: a client registers after arriving.",
        ),
        ("", "1890-01-01", "The registration date must be in 1940 or later."),
    ],
    ids=["before-arrival", "a-century-off"],
)
def test_it_refuses_a_registration_date_no_client_can_have_and_keeps_it(
    caseworker_client, caseworker, arrival_year, registered, message
):
    data = anonymous_data(caseworker, arrival_year=arrival_year, registration_date=registered)

    response = caseworker_client.post(ANONYMOUS, data)

    assert response.status_code == 200
    assert field_errors(response, "id_registration_date") == [message]
    assert input_value(response, "registration_date") == registered
    assert not Client.objects.exists()


def test_an_empty_green_field_is_told_as_the_wizard_tells_it(caseworker_client, caseworker):
    response = caseworker_client.post(ANONYMOUS, anonymous_data(caseworker, postal_code=""))

    assert field_errors(response, "id_postal_code") == [
        "Postal Code is required by OCMS: fill it in to register the client."
    ]
