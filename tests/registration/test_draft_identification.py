"""Identification Documents: each identifier saved with the key it is compared by, a repeated one refused, and the
alert when none of them is one iCARE takes."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clients.models import Client, Identifier
from clients.rules import IDENTIFIER_ALERT
from tests.factories import ClientFactory, IdentifierFactory
from tests.wizard import (
    draft_start,
    field_errors,
    field_marker,
    foss_id_type,
    identifier_rows,
    identifier_type,
    input_value,
    message_html,
    page_after,
    registered_client,
    row_errors,
    selected_value,
    step_data,
    step_post,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db


def test_it_saves_identifiers_with_their_comparison_key(caseworker_client, caseworker, agency):
    passport = identifier_type(agency, "Passport Number")
    overrides = {"identification": identifier_rows((foss_id_type(agency), "12-3456 7890"), (passport, "p-998877"))}

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    saved = {i.identifier_type.label: (i.value, i.value_key) for i in Identifier.objects.filter(client=client)}
    assert saved == {
        "FOSS/GCMS Client ID": ("12-3456 7890", "1234567890"),
        "Passport Number": ("p-998877", "P998877"),
    }
    assertNotContains(page_after(caseworker_client, response), escape(IDENTIFIER_ALERT))


def test_it_alerts_when_the_only_identifier_is_a_passport_number(caseworker_client, caseworker, agency):
    overrides = {
        "identification": {
            "identifiers-0-identifier_type": str(identifier_type(agency, "Passport Number").pk),
            "identifiers-0-value": "P998877",
        }
    }

    _code, response = walk(caseworker_client, caseworker, overrides)

    registered_client(response)
    assertContains(page_after(caseworker_client, response), message_html(IDENTIFIER_ALERT, "warning"), html=True)


def test_it_marks_the_identifier_row_required_for_icare(caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "identification"))

    assert field_marker(response, "id_identifiers-0-identifier_type") == "Required for iCARE"


def test_it_refuses_the_same_identifier_twice_for_one_client(caseworker_client, caseworker, agency):
    foss = foss_id_type(agency)
    overrides = {"identification": identifier_rows((foss, "1234-5678"), (foss, "12345678"))}

    code, response = walk(caseworker_client, caseworker, overrides)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "identification")
    message = "This identifier is already listed above: remove one of the two rows."
    assert row_errors(response, "identifiers", 0) == {}
    assert row_errors(response, "identifiers", 1) == {"value": [message]}
    assert field_errors(response, "id_identifiers-1-value") == [message]
    assert Client.objects.count() == 0
    assert not Identifier.objects.exists()


UCI_MESSAGE = "A FOSS/GCMS Client ID is IRCC's UCI: 8 digits (0000-0000) or 10 digits (00-0000-0000)."


NOT_UCI = ["ABC", "1234-567", "123456789", "12-3456-78901", "UCI 1234-5678", "１２３４５６７８"]


@pytest.mark.parametrize("typed", NOT_UCI)
def test_it_refuses_a_foss_gcms_client_id_that_cannot_be_a_uci(caseworker_client, caseworker, agency, typed):
    overrides = {"identification": identifier_rows((foss_id_type(agency), typed))}

    code, response = walk(caseworker_client, caseworker, overrides)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "identification")
    assert row_errors(response, "identifiers", 0) == {"value": [UCI_MESSAGE]}
    assert field_errors(response, "id_identifiers-0-value") == [UCI_MESSAGE]
    assert input_value(response, "identifiers-0-value") == typed  # kept as typed, to be corrected
    assert Client.objects.count() == 0


@pytest.mark.parametrize("typed", ["1234-5678", "12345678", "12-3456-7890", " 12 3456 7890 "])
def test_it_takes_a_uci_of_8_or_10_digits_however_grouped(caseworker_client, caseworker, agency, typed):
    passport = identifier_type(agency, "Passport Number")
    overrides = {"identification": identifier_rows((foss_id_type(agency), typed), (passport, "AB12"))}

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    assert client.identifiers.count() == 2  # a passport number has no format of its own


def test_it_asks_for_the_value_of_an_identifier_row(caseworker_client, caseworker, agency):
    overrides = {"identification": {"identifiers-0-identifier_type": str(foss_id_type(agency).pk)}}

    code, response = walk(caseworker_client, caseworker, overrides)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "identification")
    message = "Type the identifier's number, or remove the row."
    assert row_errors(response, "identifiers", 0) == {"value": [message]}
    assert field_errors(response, "id_identifiers-0-value") == [message]
    assert selected_value(response, "identifiers-0-identifier_type") == str(foss_id_type(agency).pk)
    assert Client.objects.count() == 0


def test_an_identifier_another_client_holds_is_shown_on_the_next_page_with_its_client(
    caseworker_client, caseworker, agency
):
    holder = ClientFactory(
        registered_by=caseworker, first_name="Samir", last_name="Haddad", date_of_birth=date(1979, 2, 3)
    )
    IdentifierFactory(client=holder, value="1111-2222")
    code, _response = walk(caseworker_client, caseworker, until="primary")
    data = step_data("identification", staff=caseworker) | {
        "identifiers-0-identifier_type": str(foss_id_type(agency).pk),
        "identifiers-0-value": "1111 2222",
    }

    response = step_post(caseworker_client, code, "identification", data)

    # It never blocks: the caseworker goes on, and the page there names the client.
    assertRedirects(response, step_url(code, "contact"), fetch_redirect_response=False)
    profile = reverse("clients:client-detail", kwargs={"code": holder.code})
    assertContains(
        page_after(caseworker_client, response),
        '<div class="alert alert-warning" role="alert">Same FOSS/GCMS Client ID: 1111-2222 — Samir Haddad '
        f'(born 1979-02-03, client {holder.number}). <a href="{profile}" target="_blank" rel="noopener">'
        "Open profile (opens in a new tab)</a></div>",
        html=True,
    )


def held_while_typing(browser, value: str, agency, *, code=None):
    """What the Identification step's live check shows while this FOSS/GCMS Client ID is typed."""
    url = reverse("registration:identifiers-held", kwargs={"code": code} if code else {})
    return browser.get(
        url,
        {
            "identifiers-TOTAL_FORMS": "1",
            "identifiers-INITIAL_FORMS": "0",
            "identifiers-0-identifier_type": str(foss_id_type(agency).pk),
            "identifiers-0-value": value,
        },
    )


def test_an_identifier_another_client_holds_is_shown_while_it_is_typed(caseworker_client, caseworker, agency):
    holder = ClientFactory(
        registered_by=caseworker, first_name="Samir", last_name="Haddad", date_of_birth=date(1979, 2, 3)
    )
    IdentifierFactory(client=holder, value="1111-2222")

    response = held_while_typing(caseworker_client, "11112222", agency)

    assertContains(response, "Potential duplicate identities")
    assertContains(response, "Samir Haddad")
    assertContains(response, holder.number)
    assertContains(response, "1979-02-03")
    assertContains(response, reverse("clients:client-detail", kwargs={"code": holder.code}))
    assertNotContains(held_while_typing(caseworker_client, "11112223", agency), "Samir Haddad")


def test_the_live_identifier_check_on_a_profile_edit_leaves_out_the_client_itself(
    caseworker_client, caseworker, agency
):
    holder = ClientFactory(registered_by=caseworker, first_name="Samir", last_name="Haddad")
    IdentifierFactory(client=holder, value="1111-2222")

    response = held_while_typing(caseworker_client, "1111-2222", agency, code=holder.code)

    assertNotContains(response, "Potential duplicate identities")


def test_the_live_identifier_check_is_for_the_users_agency_only(caseworker_client, agency, outsider):
    IdentifierFactory(client=ClientFactory(registered_by=outsider), value="1111-2222")

    assertNotContains(held_while_typing(caseworker_client, "1111-2222", agency), "Potential duplicate identities")


def test_the_identification_step_checks_identifiers_as_they_are_typed(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    page = caseworker_client.get(step_url(code, "identification"))

    assertContains(page, f'hx-get="{reverse("registration:identifiers-held")}"')
    assertContains(page, 'aria-live="polite"')
