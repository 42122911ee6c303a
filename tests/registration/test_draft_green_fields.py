"""Green (OCMS) fields: a step with one missing is refused, the message beside the field, the rest of what was typed
kept; and the text markers that tell green and yellow fields apart without colour."""

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from agencies.models import AgencyList
from clients.models import Client
from registration.models import Draft
from tests.wizard import (
    FIRST_NAME,
    LAST_NAME,
    RULE_ERRORS,
    draft_start,
    field_errors,
    field_marker,
    form_errors,
    input_value,
    list_item,
    selected_value,
    step_url,
    textarea_value,
    walk,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("step", "field", "kept_field", "kept_value"),
    [
        ("primary", "first_name", "last_name", LAST_NAME),
        ("primary", "last_name", "first_name", FIRST_NAME),
        ("primary", "gender", "first_name", FIRST_NAME),
        ("primary", "date_of_birth", "last_name", LAST_NAME),
        ("contact", "postal_code", "city", "Toronto"),
        ("summary", "registration_date", "comments", "Met at the library"),
        ("summary", "primary_worker", "registration_date", None),
    ],
)
def test_it_blocks_each_missing_green_field_beside_the_field_and_keeps_the_rest(
    caseworker_client, caseworker, step, field, kept_field, kept_value
):
    kept_value = kept_value or timezone.localdate().isoformat()
    overrides = {step: {field: "", kept_field: kept_value}}

    code, response = walk(caseworker_client, caseworker, overrides)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, step)
    assert form_errors(response, step) == {field: [RULE_ERRORS[field]]}
    assert field_errors(response, f"id_{field}") == [RULE_ERRORS[field]]
    if kept_field == "comments":
        assert textarea_value(response, kept_field) == kept_value
    else:
        assert input_value(response, kept_field) == kept_value
    assert Client.objects.count() == 0
    assert Draft.objects.get(code=code).data[step][kept_field] == [kept_value]


def test_it_keeps_the_selected_values_when_a_step_is_refused(caseworker_client, caseworker, agency):
    gender = list_item(agency, AgencyList.GENDER, "Male")
    overrides = {"primary": {"first_name": "", "gender": str(gender.pk), "marital_status": "married"}}

    code, response = walk(caseworker_client, caseworker, overrides)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "primary")
    assert field_errors(response, "id_first_name") == [RULE_ERRORS["first_name"]]
    assert selected_value(response, "gender") == str(gender.pk)
    assert selected_value(response, "marital_status") == "married"


# The markers


def test_it_marks_green_and_yellow_fields_in_text(caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "primary"))

    assert field_marker(response, "id_first_name") == "Required"
    assert field_marker(response, "id_date_of_birth") == "Required"
    assert field_marker(response, "id_official_language") == "Required for iCARE"
    assert field_marker(response, "id_preferred_name") is None
    assertContains(response, 'id="field-legend"', count=1)
    assertContains(response, '<span class="marker marker-ocms ms-0">Required</span>', html=True)
    assertContains(response, '<span class="marker marker-icare ms-0">Required for iCARE</span>', html=True)


@pytest.mark.parametrize(("consent", "marker"), [("true", "Required for iCARE"), ("false", None)])
def test_it_marks_the_contact_fields_for_icare_only_when_the_client_consents_to_research(
    caseworker_client, caseworker, consent, marker
):
    code, _response = walk(
        caseworker_client, caseworker, {"immigration": {"research_consent": consent}}, until="immigration"
    )

    response = caseworker_client.get(step_url(code, "contact"))

    for field_id in ("id_email", "id_phone", "id_street_number", "id_street_name", "id_city", "id_province"):
        assert field_marker(response, field_id) == marker, field_id
    assert field_marker(response, "id_postal_code") == "Required"
