"""Potential duplicate identities: a client of the agency with the same identifier is shown at Identification and
on the summary, with a link to the profile; nothing is blocked, and another agency's clients are never shown."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import ClientFactory
from tests.wizard import foss_id_type, registered_client, step_url, walk

pytestmark = pytest.mark.django_db


def client_with_identifier(staff, value: str, **names):
    """A client of the staff member's agency with this FOSS/GCMS Client ID."""
    return ClientFactory(registered_by=staff, with_identifier=True, identifier__value=value, **names)


def identification_with(agency, value: str) -> dict:
    return {
        "identification": {
            "identifiers-0-identifier_type": str(foss_id_type(agency).pk),
            "identifiers-0-value": value,
        }
    }


@pytest.mark.parametrize("step", ["identification", "summary"])
def test_it_shows_a_client_of_the_agency_with_the_same_identifier(caseworker_client, caseworker, agency, step):
    existing = client_with_identifier(caseworker, "1234-5678", first_name="Lina", last_name="Haddad")
    code, _response = walk(caseworker_client, caseworker, identification_with(agency, "12345678"), register=False)

    response = caseworker_client.get(step_url(code, step))

    assertContains(response, "Potential duplicate identities", count=1)
    assertContains(response, "<td>Lina Haddad</td>", html=True)
    assertContains(response, f"<td>{existing.number}</td>", html=True)
    profile = reverse("clients:client-detail", kwargs={"code": existing.code})
    assertContains(
        response,
        f'<a href="{profile}" target="_blank" rel="noopener">Open profile'
        '<span class="visually-hidden"> Lina Haddad</span></a>',
        html=True,
    )


def test_it_does_not_show_duplicates_when_no_identifier_matches(caseworker_client, caseworker, agency):
    client_with_identifier(caseworker, "1234-5678", first_name="Lina", last_name="Haddad")
    code, _response = walk(caseworker_client, caseworker, identification_with(agency, "87654321"), register=False)

    response = caseworker_client.get(step_url(code, "summary"))

    assertNotContains(response, "Potential duplicate identities")
    assertNotContains(response, "Lina Haddad")


@pytest.mark.parametrize("step", ["identification", "summary"])
def test_it_never_shows_a_client_of_another_agency_with_the_same_identifier(
    caseworker_client, caseworker, outsider, agency, step
):
    theirs = client_with_identifier(outsider, "12345678", first_name="Otto", last_name="Harbour")
    assert theirs.agency != agency
    code, _response = walk(caseworker_client, caseworker, identification_with(agency, "1234-5678"), register=False)

    response = caseworker_client.get(step_url(code, step))

    assertNotContains(response, "Potential duplicate identities")
    assertNotContains(response, "Otto")
    assertNotContains(response, str(theirs.code))


def test_it_registers_the_client_despite_a_duplicate_identifier(caseworker_client, caseworker, agency):
    client_with_identifier(caseworker, "1234-5678", first_name="Lina", last_name="Haddad")

    _code, response = walk(caseworker_client, caseworker, identification_with(agency, "12345678"))

    client = registered_client(response)
    assert client.identifiers.get().value_key == "12345678"
