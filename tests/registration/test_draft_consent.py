"""Emergency Contact & Consent: a minor who needs consent is registered only with a Guardian, a Person Giving
Consent and an Emergency Contact, each with a name, a relationship and a telephone number."""

import pytest
from pytest_django.asserts import assertContains

from clients.models import Client, ConsentContact
from tests.wizard import (
    RULE_ERRORS,
    contact_person,
    field_errors,
    field_marker,
    form_errors,
    input_value,
    registered_client,
    relationship,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db

CONTACT_KINDS = ("guardian", "consenter", "emergency")


def minor_contacts(agency) -> dict[str, str]:
    mother = str(relationship(agency, "Mother").pk)
    return {
        **contact_person("guardian", name="Ngozi Okafor", relationship=mother, phone="416-555-0101"),
        **contact_person("consenter", name="Ngozi Okafor", relationship=mother, phone="416-555-0101"),
        **contact_person(
            "emergency",
            name="Chidi Okafor",
            relationship=str(relationship(agency, "Brother").pk),
            phone="416-555-0102",
            email="chidi@example.com",
        ),
    }


def test_it_requires_the_three_contacts_of_a_minor_who_needs_consent(caseworker_client, caseworker):
    overrides = {"consent": {"consent_required": "true", "guardian-email": "guardian@example.com"}}

    code, response = walk(caseworker_client, caseworker, overrides)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "consent")
    for kind in CONTACT_KINDS:
        assert form_errors(response, kind) == {
            field: [RULE_ERRORS[f"{kind}-{field}"]] for field in ("name", "relationship", "phone")
        }
        for field in ("name", "relationship", "phone"):
            assert field_errors(response, f"id_{kind}-{field}") == [RULE_ERRORS[f"{kind}-{field}"]]
    assert input_value(response, "guardian-email") == "guardian@example.com"
    assert Client.objects.count() == 0


def test_it_registers_a_minor_with_the_three_contacts(caseworker_client, caseworker, agency):
    overrides = {"consent": {"consent_required": "true", **minor_contacts(agency)}}

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    assert client.consent_required is True
    contacts = {contact.kind: contact for contact in ConsentContact.objects.filter(client=client)}
    assert set(contacts) == set(CONTACT_KINDS)
    assert contacts["guardian"].name == "Ngozi Okafor"
    assert contacts["guardian"].relationship.label == "Mother"
    assert contacts["emergency"].relationship.label == "Brother"
    assert contacts["emergency"].phone.as_e164 == "+14165550102"
    assert contacts["emergency"].email == "chidi@example.com"


def test_it_does_not_require_contacts_when_consent_is_not_required(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker, {"consent": {"consent_required": "false"}})

    client = registered_client(response)
    assert client.consent_required is False
    assert not ConsentContact.objects.filter(client=client).exists()


def test_it_marks_the_minors_contacts_required_once_consent_is_required(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, {"consent": {"consent_required": "true"}}, until="consent")

    response = caseworker_client.get(step_url(code, "consent"))

    assert field_marker(response, "id_guardian-name") == "Required"
    assert field_marker(response, "id_emergency-phone") == "Required"
    assert field_marker(response, "id_guardian-email") is None


def test_it_has_the_minors_contact_markers_ready_but_hidden_until_consent_is_required(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, {"consent": {"consent_required": "false"}}, until="consent")

    response = caseworker_client.get(step_url(code, "consent"))

    assert field_marker(response, "id_guardian-name") is None
    # The page's script shows these when Consent Required turns to Yes: a name, a relationship and a telephone
    # number on each of the three tabs.
    assertContains(response, "data-required-with-consent", count=9)
    assertContains(
        response,
        '<span class="marker marker-ocms" aria-hidden="true" data-consent-marker hidden>Required</span>',
        count=9,
        html=True,
    )
    assertContains(
        response, '<span class="visually-hidden-inline" data-consent-marker hidden>, required</span>', count=9
    )


def test_it_opens_the_first_contact_tab_with_a_mistake(caseworker_client, caseworker, agency):
    guardian_only = {key: value for key, value in minor_contacts(agency).items() if key.startswith("guardian-")}
    overrides = {"consent": {"consent_required": "true", **guardian_only}}

    code, response = walk(caseworker_client, caseworker, overrides)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "consent")
    opened = {kind: is_open for kind, _title, _form, is_open in response.context["section"].contact_tabs}
    assert opened == {"guardian": False, "consenter": True, "emergency": False}
    assertContains(response, 'aria-selected="true"', count=1)
    assertContains(response, 'aria-selected="false"', count=2)
    assertContains(
        response,
        'id="consenter-tab" data-bs-toggle="tab" data-bs-target="#consenter-pane" type="button" role="tab" '
        'aria-controls="consenter-pane" aria-selected="true"',
    )
    assertContains(response, 'class="tab-pane active"', count=1)
    assertContains(response, 'class="tab-pane active" id="consenter-pane" role="tabpanel"')
