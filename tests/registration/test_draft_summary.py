"""The Registration Summary step: its own green fields, filled in for the caseworker, and what it says of the other
steps before Register (the yellow fields missing, the steps to correct)."""

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from clients.models import Client
from registration.models import Draft
from tests.wizard import (
    DATE_OF_BIRTH,
    FIRST_NAME,
    RULE_ERRORS,
    draft_start,
    field_errors,
    form_errors,
    input_value,
    selected_value,
    step_data,
    step_post,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db


# What the summary is filled in with


def test_it_fills_the_summary_with_the_caseworker_today_and_their_site(caseworker_client, caseworker):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "summary"))

    assert response.status_code == 200
    assert selected_value(response, "primary_worker") == str(caseworker.pk)
    assert input_value(response, "registration_date") == timezone.localdate().isoformat()
    assert input_value(response, "registration_site") == str(caseworker.default_site.code)
    assertContains(
        response,
        '<input type="text" class="form-control" id="site-name-display" readonly value="Main Office" data-site-name>',
        html=True,
    )


def test_it_offers_only_staff_of_the_agency_as_primary_worker(caseworker_client, caseworker, caseworker2, outsider):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "summary"))

    options = response.context["section"].forms["summary"].fields["primary_worker"].queryset
    assert set(options) == {caseworker, caseworker2}


# Its own green fields


def test_it_blocks_registration_without_a_registration_site(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker, {"summary": {"registration_site": ""}})

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "summary")
    assert form_errors(response, "summary") == {"registration_site": [RULE_ERRORS["registration_site"]]}
    # The site picker shows it under the picker, as the description of the Site Name it shows.
    assertContains(
        response,
        '<div class="invalid-feedback d-block" id="id_registration_site_error">'
        f"{RULE_ERRORS['registration_site']}</div>",
        html=True,
    )
    assertContains(response, 'aria-describedby="id_registration_site_error"')
    assert Client.objects.count() == 0
    assert Draft.objects.filter(code=code).exists()


def test_it_refuses_a_registration_site_of_another_agency(caseworker_client, caseworker, other_agency):
    theirs = other_agency.sites.get()

    code, response = walk(caseworker_client, caseworker, {"summary": {"registration_site": str(theirs.code)}})

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "summary")
    assert set(form_errors(response, "summary")) == {"registration_site"}
    assert Client.objects.count() == 0


def test_it_refuses_a_primary_worker_of_another_agency(caseworker_client, caseworker, outsider):
    code, response = walk(caseworker_client, caseworker, {"summary": {"primary_worker": str(outsider.pk)}})

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "summary")
    assert set(form_errors(response, "summary")) == {"primary_worker"}
    assert field_errors(response, "id_primary_worker") == form_errors(response, "summary")["primary_worker"]
    assert Client.objects.count() == 0


# What it says of the other steps


def test_it_lists_the_missing_yellow_fields_on_the_summary_before_register(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, register=False)

    response = caseworker_client.get(step_url(code, "summary"))

    assertContains(response, "<strong>Not ready for iCARE.</strong>", html=True)
    for label in ("Preferred Official Language", "Consent for Future Research/Consultation"):
        assertContains(response, f"<li>{label}</li>", html=True)
    assert Client.objects.count() == 0


def test_it_keeps_each_posted_steps_outcome_for_the_summary(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, {"primary": {"last_name": ""}}, until="primary")

    checks = Draft.objects.get(code=code).checks

    assert checks["privacy"] == {"valid": True, "facts": {"privacy_confirmed": True}}
    assert checks["primary"]["valid"] is False
    assert checks["primary"]["facts"]["first_name"] == FIRST_NAME
    assert checks["primary"]["facts"]["date_of_birth"] == DATE_OF_BIRTH


def test_the_summary_lists_a_step_made_wrong_by_a_later_change_to_an_earlier_one(caseworker_client, caseworker):
    arrived = {"immigration": {"arrival_date": "2015-06-01"}}
    code, _response = walk(caseworker_client, caseworker, arrived, register=False)
    born_after_arrival = {**step_data("primary", staff=caseworker), "date_of_birth": "2016-01-01"}
    step_post(caseworker_client, code, "primary", born_after_arrival, "summary")

    response = caseworker_client.get(step_url(code, "summary"))

    assert [step.name for step in response.context["steps_with_errors"]] == ["immigration"]
    # The outcome kept while the arrival date was valid is not what the summary read: it was checked again.
    assert Draft.objects.get(code=code).checks["immigration"]["valid"] is False
    assertContains(
        response,
        '<button type="submit" name="go" value="immigration" class="btn btn-link btn-sm p-0 align-baseline">'
        "Immigration</button>",
        html=True,
    )


def test_the_summary_checks_a_posted_step_without_a_kept_outcome(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, {"contact": {"postal_code": ""}}, register=False)
    draft = Draft.objects.get(code=code)
    draft.checks = {}  # as a draft begun before outcomes were kept
    draft.save()

    response = caseworker_client.get(step_url(code, "summary"))

    assert [step.name for step in response.context["steps_with_errors"]] == ["contact"]
