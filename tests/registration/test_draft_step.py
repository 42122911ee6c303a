"""The named-client wizard: each step's input kept in a draft, green fields blocking, yellow ones warning."""

import html
import re

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyList, IcareList, IcareValue
from clients.models import Client, ClientProgram, ConsentContact, Family, Identifier, SensitiveInfo
from clients.models.family import family_check_letter
from clients.rules import IDENTIFIER_ALERT, RULES
from clients.validators import BirthDateValidator, NotInFutureValidator, PostalCodeValidator
from registration.models import Draft
from tests.wizard import (
    DATE_OF_BIRTH,
    FIRST_NAME,
    LAST_NAME,
    contact_person,
    draft_start,
    field_errors,
    field_marker,
    foss_id_type,
    identifier_type,
    input_value,
    list_item,
    official_language,
    registered_client,
    relationship,
    saved_client,
    selected_value,
    step_data,
    step_post,
    step_url,
    text,
    walk,
)

pytestmark = pytest.mark.django_db

RULE_ERRORS = {rule.key: str(rule.error) for rule in RULES}
PHONE_MESSAGE = "Enter a telephone number such as 416-555-0199, or +44 20 7946 0958 for a number outside Canada."
EMAIL_MESSAGE = "Enter an email address such as name@example.com."


def page_after(http, response) -> str:
    """The text of the page a redirect leads to, with the messages shown on it."""
    return text(http.get(response.url))


# Registering with only the green fields


def test_it_registers_a_client_with_only_the_green_fields(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker)

    client = registered_client(response)
    assert (client.first_name, client.last_name) == (FIRST_NAME, LAST_NAME)
    assert client.date_of_birth.isoformat() == DATE_OF_BIRTH
    assert client.gender.label == "Female"
    assert client.postal_code == "M5V2T6"
    assert client.agency == caseworker.agency
    assert client.created_by == caseworker.user
    assert client.primary_worker == caseworker
    assert client.registration_site == caseworker.default_site
    assert client.registration_date == timezone.localdate()
    assert client.privacy_confirmed is True
    assert client.is_anonymous is False
    assert len(str(client.number)) == 7
    assert not Draft.objects.filter(code=code).exists()


def test_it_gives_the_next_registered_client_the_next_number(caseworker_client, caseworker):
    first = registered_client(walk(caseworker_client, caseworker)[1])
    second = registered_client(walk(caseworker_client, caseworker, {"primary": {"first_name": "Bola"}})[1])

    assert second.number == first.number + 1


def test_it_warns_about_each_missing_yellow_field_and_still_registers(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker)

    registered_client(response)
    page = page_after(caseworker_client, response)
    assert f"{FIRST_NAME} {LAST_NAME} is registered with client number" in page
    assert str(IDENTIFIER_ALERT) in page
    assert (
        "Not ready for iCARE. Still missing: Preferred Official Language, Consent for Future Research/Consultation."
        in (page)
    )


def test_it_warns_nothing_when_every_yellow_field_is_filled(caseworker_client, caseworker, agency):
    overrides = {
        "primary": {"official_language": str(official_language("English").pk)},
        "immigration": {"research_consent": "false"},
        "identification": {
            "identifiers-0-identifier_type": str(foss_id_type(agency).pk),
            "identifiers-0-value": "UCI 1234-5678",
        },
    }

    _code, response = walk(caseworker_client, caseworker, overrides)

    registered_client(response)
    page = page_after(caseworker_client, response)
    assert "Not ready for iCARE" not in page
    assert str(IDENTIFIER_ALERT) not in page
    assert "iCARE ready" in page


def test_it_lists_the_missing_yellow_fields_on_the_summary_before_register(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, register=False)

    page = text(caseworker_client.get(step_url(code, "summary")))

    assert "Not ready for iCARE." in page
    for label in ("Preferred Official Language", "Consent for Future Research/Consultation"):
        assert f"<li>{label}</li>" in page
    assert Client.objects.count() == 0


# Green fields block


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
    assert field_errors(response, f"id_{field}") == [RULE_ERRORS[field]]
    if kept_field == "comments":
        assert f"{kept_value}</textarea>" in response.content.decode()
    else:
        assert input_value(response, kept_field) == kept_value
    assert Client.objects.count() == 0
    assert Draft.objects.get(code=code).data[step][kept_field] == [kept_value]


def test_it_keeps_the_selected_values_when_a_step_is_refused(caseworker_client, caseworker, agency):
    gender = list_item(agency, AgencyList.GENDER, "Male")
    overrides = {"primary": {"first_name": "", "gender": str(gender.pk), "marital_status": "married"}}

    _code, response = walk(caseworker_client, caseworker, overrides)

    assert field_errors(response, "id_first_name") == [RULE_ERRORS["first_name"]]
    assert selected_value(response, "gender") == str(gender.pk)
    assert selected_value(response, "marital_status") == "married"


def test_it_blocks_registration_without_a_registration_site(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker, {"summary": {"registration_site": ""}})

    assert response.status_code == 200
    assert response.context["section"].forms["summary"].errors["registration_site"] == [
        RULE_ERRORS["registration_site"]
    ]
    picker = response.content.decode().split('class="mb-3 site-picker', 1)[1].split('id="site-results"', 1)[0]
    assert RULE_ERRORS["registration_site"] in html.unescape(picker)
    assert Client.objects.count() == 0
    assert Draft.objects.filter(code=code).exists()


def test_it_refuses_a_registration_site_of_another_agency(caseworker_client, caseworker, other_agency):
    theirs = other_agency.sites.get()

    _code, response = walk(caseworker_client, caseworker, {"summary": {"registration_site": str(theirs.code)}})

    assert response.status_code == 200
    assert "registration_site" in response.context["section"].forms["summary"].errors
    assert Client.objects.count() == 0


def test_it_refuses_a_primary_worker_of_another_agency(caseworker_client, caseworker, outsider):
    _code, response = walk(caseworker_client, caseworker, {"summary": {"primary_worker": str(outsider.pk)}})

    assert response.status_code == 200
    assert field_errors(response, "id_primary_worker")
    assert Client.objects.count() == 0


def test_it_asks_to_answer_the_privacy_question(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker, {"privacy": {"privacy_confirmed": ""}})

    assert response.status_code == 200
    assert field_errors(response, "id_privacy_confirmed") == ["Choose Yes or No."]
    assert Draft.objects.get(code=code).data["privacy"] == {"privacy_confirmed": [""]}


def test_it_sends_the_caseworker_back_to_a_step_not_yet_seen_before_registering(caseworker_client, caseworker):
    code = draft_start(caseworker_client)
    step_post(caseworker_client, code, "privacy", step_data("privacy", staff=caseworker), go="summary")

    response = step_post(caseworker_client, code, "summary", step_data("summary", staff=caseworker), go="register")

    assert response.status_code == 302
    assert response.url == step_url(code, "primary")
    assert "Fill in this step, or confirm it is empty with Next" in page_after(caseworker_client, response)
    assert Client.objects.count() == 0


def test_it_sends_the_caseworker_to_the_step_to_correct_before_registering(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, register=False)
    step_post(
        caseworker_client, code, "primary", {**step_data("primary", staff=caseworker), "last_name": ""}, "summary"
    )

    response = step_post(caseworker_client, code, "summary", step_data("summary", staff=caseworker), go="register")

    assert response.status_code == 302
    assert response.url == step_url(code, "primary")
    assert "This step needs correcting before the client can be registered: Primary Information." in page_after(
        caseworker_client, response
    )
    assert Client.objects.count() == 0


# The outcomes the summary reads


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
    assert "immigration" not in Draft.objects.get(code=code).checks


def test_the_summary_checks_a_posted_step_without_a_kept_outcome(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, {"contact": {"postal_code": ""}}, register=False)
    draft = Draft.objects.get(code=code)
    draft.checks = {}  # as a draft begun before outcomes were kept
    draft.save()

    response = caseworker_client.get(step_url(code, "summary"))

    assert [step.name for step in response.context["steps_with_errors"]] == ["contact"]


# Impossible input


@pytest.mark.parametrize(
    ("step", "values", "field", "message"),
    [
        ("primary", {"date_of_birth": "2999-01-01"}, "date_of_birth", str(BirthDateValidator.message)),
        ("primary", {"date_of_birth": "1899-12-31"}, "date_of_birth", str(BirthDateValidator.message)),
        (
            "immigration",
            {"arrival_date": "1985-06-01"},
            "arrival_date",
            f"The arrival date is before the date of birth ({DATE_OF_BIRTH}).",
        ),
        (
            "immigration",
            {"arrival_date": "2015-06-01", "reentry_date": "2014-01-20"},
            "reentry_date",
            "The re-entry date must come after the arrival date (2015-06-01).",
        ),
        (
            "immigration",
            {"landing_date": "1985-06-01"},
            "landing_date",
            f"The landing date is before the date of birth ({DATE_OF_BIRTH}).",
        ),
        ("immigration", {"arrival_date": "2999-06-01"}, "arrival_date", str(NotInFutureValidator.message)),
        ("contact", {"postal_code": "D1A 1A1"}, "postal_code", str(PostalCodeValidator.message)),
        ("contact", {"postal_code": "12345"}, "postal_code", str(PostalCodeValidator.message)),
        ("contact", {"email": "amara@"}, "email", EMAIL_MESSAGE),
        ("contact", {"phone": "416-555"}, "phone", PHONE_MESSAGE),
    ],
    ids=[
        "birth-in-future",
        "birth-before-1900",
        "arrival-before-birth",
        "reentry-before-arrival",
        "landing-before-birth",
        "arrival-in-future",
        "postal-code-with-D",
        "postal-code-of-digits",
        "email",
        "phone",
    ],
)
def test_it_refuses_impossible_input_with_a_clear_message_and_keeps_what_was_typed(
    caseworker_client, caseworker, step, values, field, message
):
    code, response = walk(caseworker_client, caseworker, {step: values})

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, step)
    assert field_errors(response, f"id_{field}") == [message]
    shown = input_value(response, field)
    if field == "phone":
        # The phone widget re-shows an invalid number in national style: the digits typed are kept.
        assert digits(shown) == digits(values[field])
    else:
        assert shown == values[field]
    assert Client.objects.count() == 0


def digits(value: str | None) -> str:
    return "".join(ch for ch in value or "" if ch.isdigit())


def test_it_stores_the_postal_code_normalised_and_the_phone_in_e164(caseworker_client, caseworker):
    overrides = {"contact": {"postal_code": "m5v 2t6", "phone": "416-555-0199", "phone_alt1": "(647) 555 0100"}}

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    assert client.postal_code == "M5V2T6"
    assert client.phone.as_e164 == "+14165550199"
    assert client.phone_alt1.as_e164 == "+16475550100"
    assert Client.objects.filter(pk=client.pk, phone="+14165550199").exists()


# Nothing lost


def test_it_keeps_invalid_input_when_going_back(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="privacy")
    invalid = {**step_data("primary", staff=caseworker), "first_name": "", "date_of_birth": "2999-01-01"}

    response = step_post(caseworker_client, code, "primary", invalid, go="back")

    assert response.status_code == 302
    assert response.url == step_url(code, "privacy")
    stored = Draft.objects.get(code=code).data["primary"]
    assert stored["date_of_birth"] == ["2999-01-01"]
    assert stored["last_name"] == [LAST_NAME]
    again = caseworker_client.get(step_url(code, "primary"))
    assert input_value(again, "last_name") == LAST_NAME
    assert input_value(again, "date_of_birth") == "2999-01-01"
    assert field_errors(again, "id_first_name") == [RULE_ERRORS["first_name"]]


def test_it_keeps_each_step_when_jumping_between_steps(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, {"contact": {"city": "Hamilton"}}, until="contact")

    response = step_post(caseworker_client, code, "employment", step_data("employment", staff=caseworker), "primary")

    assert response.url == step_url(code, "primary")
    assert input_value(caseworker_client.get(step_url(code, "primary")), "first_name") == FIRST_NAME
    assert input_value(caseworker_client.get(step_url(code, "contact")), "city") == "Hamilton"
    assert set(Draft.objects.get(code=code).data) == {
        "privacy",
        "primary",
        "immigration",
        "identification",
        "contact",
        "employment",
    }


def test_it_keeps_a_draft_through_logout_and_login(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, {"primary": {"preferred_name": "Ami"}}, until="primary")
    caseworker_client.logout()

    assert caseworker_client.get(step_url(code, "primary")).status_code == 302
    caseworker_client.force_login(caseworker.user)
    response = caseworker_client.get(step_url(code, "primary"))

    assert response.status_code == 200
    assert input_value(response, "first_name") == FIRST_NAME
    assert input_value(response, "preferred_name") == "Ami"
    assert input_value(response, "date_of_birth") == DATE_OF_BIRTH


def test_it_shows_an_empty_step_not_yet_visited(caseworker_client, caseworker):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "primary"))

    assert response.status_code == 200
    assert input_value(response, "first_name") is None
    assert not field_errors(response, "id_first_name")


def test_it_answers_404_for_an_unknown_step(caseworker_client):
    code = draft_start(caseworker_client)

    assert caseworker_client.get(step_url(code, "nowhere")).status_code == 404


def test_it_fills_the_summary_with_the_caseworker_today_and_their_site(caseworker_client, caseworker):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "summary"))

    assert selected_value(response, "primary_worker") == str(caseworker.pk)
    assert input_value(response, "registration_date") == timezone.localdate().isoformat()
    assert input_value(response, "registration_site") == str(caseworker.default_site.code)
    assert 'value="Main Office" data-site-name' in response.content.decode()


def test_it_offers_only_staff_of_the_agency_as_primary_worker(caseworker_client, caseworker, caseworker2, outsider):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "summary"))

    options = response.context["section"].forms["summary"].fields["primary_worker"].queryset
    assert set(options) == {caseworker, caseworker2}


# Privacy


def test_it_offers_the_anonymous_form_when_the_privacy_statement_is_declined(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker, {"privacy": {"privacy_confirmed": "no"}})

    assert response.status_code == 200
    page = text(response)
    assert "The client has not confirmed the Privacy/Confidentiality Statement" in page
    assert f'href="{reverse("registration:anonymous-register")}"' in page
    assert "Use the Anonymous Client form" in page
    assert Draft.objects.get(code=code).data["privacy"] == {"privacy_confirmed": ["no"]}


def test_it_never_registers_a_named_client_who_declined_the_privacy_statement(caseworker_client, caseworker):
    code = draft_start(caseworker_client)
    step_post(caseworker_client, code, "privacy", {"privacy_confirmed": "no"}, go="primary")

    _code, response = walk(caseworker_client, caseworker, code=code, start="primary")

    assert Client.objects.count() == 0
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.url == step_url(code, "privacy")


# Shading


def test_it_marks_green_and_yellow_fields_in_text(caseworker_client, caseworker):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "primary"))

    assert field_marker(response, "id_first_name") == "Required"
    assert field_marker(response, "id_date_of_birth") == "Required"
    assert field_marker(response, "id_official_language") == "Required for iCARE"
    assert field_marker(response, "id_preferred_name") is None
    assert 'id="field-legend"' in response.content.decode()


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


# Research consent


def test_it_registers_a_client_who_consented_to_research_without_contact_but_warns(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker, {"immigration": {"research_consent": "true"}})

    client = registered_client(response)
    assert client.research_consent is True
    page = page_after(caseworker_client, response)
    assert (
        "Not ready for iCARE. Still missing: Preferred Official Language, Email or Telephone Number, "
        "Street Number, Street Name, City, Province." in page
    )


def test_it_asks_nothing_more_than_the_postal_code_when_the_client_declines_research(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker, {"immigration": {"research_consent": "false"}})

    registered_client(response)
    page = page_after(caseworker_client, response)
    assert "Still missing: Preferred Official Language." in page
    assert "Email or Telephone Number" not in page


# The minor's consent


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
    for kind in ("guardian", "consenter", "emergency"):
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
    assert set(contacts) == {"guardian", "consenter", "emergency"}
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
    content = response.content.decode()
    # The page's script shows these when Consent Required turns to Yes.
    assert content.count("data-required-with-consent") == 9
    assert content.count("data-consent-marker hidden") == 9


def test_it_opens_the_first_contact_tab_with_a_mistake(caseworker_client, caseworker, agency):
    guardian_only = {key: value for key, value in minor_contacts(agency).items() if key.startswith("guardian-")}
    overrides = {"consent": {"consent_required": "true", **guardian_only}}

    code, response = walk(caseworker_client, caseworker, overrides)

    assert response.request["PATH_INFO"] == step_url(code, "consent")
    content = response.content.decode()
    tabs = dict(re.findall(r'id="(\w+)-tab"[^>]*aria-selected="(true|false)"', content))
    assert tabs == {"guardian": "false", "consenter": "true", "emergency": "false"}
    assert 'id="consenter-pane" role="tabpanel"' in content
    assert re.search(r'class="tab-pane active" id="consenter-pane"', content)


# Identification and the Agency Program Table


def test_it_makes_the_client_returning_when_a_program_is_returning(caseworker_client, caseworker):
    overrides = {"identification": {"programs-1-status": "returning"}}

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    statuses = dict(ClientProgram.objects.filter(client=client).values_list("program__name", "status"))
    assert statuses == {"Employment": "new", "Language Training": "returning", "Settlement": "new"}
    assert client.agency_status == "returning"


def test_it_keeps_the_program_status_and_the_volunteer_status_of_the_same_program(caseworker_client, caseworker):
    overrides = {
        "identification": {"programs-2-status": "returning"},
        "sensitive": {"programs-2-volunteer_status": "inactive"},
    }

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    settlement = ClientProgram.objects.get(client=client, program__name="Settlement")
    assert (settlement.status, settlement.volunteer_status) == ("returning", "inactive")


def test_it_keeps_the_client_new_when_every_program_is_new(caseworker_client, caseworker):
    client = registered_client(walk(caseworker_client, caseworker)[1])

    assert client.agency_status == "new"


def test_it_saves_identifiers_with_their_comparison_key(caseworker_client, caseworker, agency):
    overrides = {
        "identification": {
            "identifiers-TOTAL_FORMS": "2",
            "identifiers-0-identifier_type": str(foss_id_type(agency).pk),
            "identifiers-0-value": "uci 1234-5678",
            "identifiers-1-identifier_type": str(identifier_type(agency, "Passport Number").pk),
            "identifiers-1-value": "p-998877",
        }
    }

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    saved = {i.identifier_type.label: (i.value, i.value_key) for i in Identifier.objects.filter(client=client)}
    assert saved == {
        "FOSS/GCMS Client ID": ("uci 1234-5678", "UCI12345678"),
        "Passport Number": ("p-998877", "P998877"),
    }
    assert str(IDENTIFIER_ALERT) not in page_after(caseworker_client, response)


def test_it_alerts_when_the_only_identifier_is_a_passport_number(caseworker_client, caseworker, agency):
    overrides = {
        "identification": {
            "identifiers-0-identifier_type": str(identifier_type(agency, "Passport Number").pk),
            "identifiers-0-value": "P998877",
        }
    }

    _code, response = walk(caseworker_client, caseworker, overrides)

    registered_client(response)
    assert str(IDENTIFIER_ALERT) in page_after(caseworker_client, response)


def test_it_marks_the_identifier_row_required_for_icare(caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "identification"))

    assert field_marker(response, "id_identifiers-0-identifier_type") == "Required for iCARE"


def test_it_refuses_the_same_identifier_twice_for_one_client(caseworker_client, caseworker, agency):
    foss = str(foss_id_type(agency).pk)
    overrides = {
        "identification": {
            "identifiers-TOTAL_FORMS": "2",
            "identifiers-0-identifier_type": foss,
            "identifiers-0-value": "1234-5678",
            "identifiers-1-identifier_type": foss,
            "identifiers-1-value": "12345678",
        }
    }

    try:
        code, response = walk(caseworker_client, caseworker, overrides)
    except IntegrityError as error:
        pytest.fail(f"Register crashed instead of refusing the repeated identifier: {error}")

    assert Client.objects.count() == 0
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.url == step_url(code, "identification")


def test_it_asks_for_the_value_of_an_identifier_row(caseworker_client, caseworker, agency):
    overrides = {"identification": {"identifiers-0-identifier_type": str(foss_id_type(agency).pk)}}

    _code, response = walk(caseworker_client, caseworker, overrides)

    assert response.status_code == 200
    assert field_errors(response, "id_identifiers-0-value") == ["Type the identifier's number, or remove the row."]
    assert selected_value(response, "identifiers-0-identifier_type") == str(foss_id_type(agency).pk)


def duplicate_of(staff, value: str, **names) -> Client:
    client = saved_client(staff, **names)
    Identifier.objects.create(client=client, identifier_type=foss_id_type(staff.agency), value=value)
    return client


def identification_with(agency, value: str) -> dict:
    return {
        "identification": {
            "identifiers-0-identifier_type": str(foss_id_type(agency).pk),
            "identifiers-0-value": value,
        }
    }


def test_it_shows_a_client_of_the_agency_with_the_same_identifier(caseworker_client, caseworker, agency):
    existing = duplicate_of(caseworker, "1234-5678", first_name="Lina", last_name="Haddad")
    code, _response = walk(caseworker_client, caseworker, identification_with(agency, "12345678"), register=False)

    for step in ("identification", "summary"):
        page = text(caseworker_client.get(step_url(code, step)))

        assert "Potential duplicate identities" in page, step
        assert "Lina Haddad" in page, step
        assert f"<td>{existing.number}</td>" in page, step
        assert reverse("clients:client-detail", kwargs={"code": existing.code}) in page, step


def test_it_does_not_show_duplicates_when_no_identifier_matches(caseworker_client, caseworker, agency):
    duplicate_of(caseworker, "1234-5678", first_name="Lina", last_name="Haddad")
    code, _response = walk(caseworker_client, caseworker, identification_with(agency, "87654321"), register=False)

    page = text(caseworker_client.get(step_url(code, "summary")))

    assert "Potential duplicate identities" not in page
    assert "Lina Haddad" not in page


def test_it_never_shows_a_client_of_another_agency_with_the_same_identifier(
    caseworker_client, caseworker, outsider, agency
):
    theirs = duplicate_of(outsider, "12345678", first_name="Otto", last_name="Harbour")
    assert theirs.agency != agency
    code, _response = walk(caseworker_client, caseworker, identification_with(agency, "1234-5678"), register=False)

    for step in ("identification", "summary"):
        page = text(caseworker_client.get(step_url(code, step)))

        assert "Potential duplicate identities" not in page, step
        assert "Otto" not in page, step
        assert str(theirs.code) not in page, step


def test_it_registers_the_client_despite_a_duplicate_identifier(caseworker_client, caseworker, agency):
    duplicate_of(caseworker, "1234-5678", first_name="Lina", last_name="Haddad")

    _code, response = walk(caseworker_client, caseworker, identification_with(agency, "12345678"))

    client = registered_client(response)
    assert client.identifiers.get().value_key == "12345678"


# Languages, certificates, children, referral


def test_it_saves_the_rows_of_every_step(caseworker_client, caseworker, agency):
    english = IcareValue.objects.of(IcareList.LANGUAGE).get(value="English")
    toddler = IcareValue.objects.of(IcareList.CHILD_AGE).filter(value__startswith="Toddler").get()
    referral = IcareValue.objects.of(IcareList.REFERRAL_SOURCE).first()
    overrides = {
        "employment": {
            "certificates-TOTAL_FORMS": "1",
            "certificates-0-institution": "University of Lagos",
            "certificates-0-year": "2012",
            "certificates-0-country": "NG",
        },
        "language": {"languages-0-language": str(english.pk), "languages-0-comments": "Fluent at work"},
        "consent": {
            "children-TOTAL_FORMS": "1",
            "children-0-name": "Tobi",
            "children-0-age_group": str(toddler.pk),
            "referral_sources": [str(referral.pk)],
        },
    }

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    assert [(c.institution, c.year, c.country.code) for c in client.certificates.all()] == [
        ("University of Lagos", 2012, "NG")
    ]
    assert [(lang.language, lang.comments) for lang in client.languages.all()] == [(english, "Fluent at work")]
    assert [(child.name, child.age_group) for child in client.children.all()] == [("Tobi", toddler)]
    assert list(client.referral_sources.all()) == [referral]


# Sensitive information


def sensitive_overrides(agency) -> dict:
    insurance = list_item(agency, AgencyList.HEALTH_INSURANCE_STATUS, "Waiting period")
    identity = list_item(agency, AgencyList.SELF_IDENTITY, "Senior")
    return {
        "sensitive": {
            "sensitive-health_insurance_status": str(insurance.pk),
            "sensitive-illnesses": "Asthma",
            "sensitive-self_identity": [str(identity.pk)],
        }
    }


def test_it_saves_sensitive_information_entered_by_granted_staff(caseworker_client, caseworker, agency):
    _code, response = walk(caseworker_client, caseworker, sensitive_overrides(agency))

    client = registered_client(response)
    info = SensitiveInfo.objects.get(client=client)
    assert info.illnesses == "Asthma"
    assert info.health_insurance_status.label == "Waiting period"
    assert [item.label for item in info.self_identity.all()] == ["Senior"]


def test_it_shows_granted_staff_the_sensitive_fields(caseworker_client, caseworker):
    code = draft_start(caseworker_client)

    page = text(caseworker_client.get(step_url(code, "sensitive")))

    assert 'name="sensitive-illnesses"' in page
    assert "Locked." not in page


def test_it_shows_the_sensitive_section_locked_to_staff_without_the_grant(caseworker2_client, caseworker2):
    code = draft_start(caseworker2_client)

    page = text(caseworker2_client.get(step_url(code, "sensitive")))

    assert "Locked." in page
    assert "Health Insurance Status, Illnesses, Self-Identity and Family Income" in page
    assert 'name="sensitive-illnesses"' not in page
    assert 'name="volunteer_status"' in page


def test_it_ignores_sensitive_information_posted_by_staff_without_the_grant(caseworker2_client, caseworker2, agency):
    _code, response = walk(caseworker2_client, caseworker2, sensitive_overrides(agency))

    client = registered_client(response)
    assert not SensitiveInfo.objects.filter(client=client).exists()
    assert "Asthma" not in text(caseworker2_client.get(reverse("clients:client-detail", kwargs={"code": client.code})))


def test_it_saves_the_volunteer_status_per_program(caseworker_client, caseworker):
    overrides = {"sensitive": {"volunteer_status": "active", "programs-2-volunteer_status": "active"}}

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    assert client.volunteer_status == "active"
    rows = dict(ClientProgram.objects.filter(client=client).values_list("program__name", "volunteer_status"))
    assert rows == {"Employment": "", "Language Training": "", "Settlement": "active"}


# Drafts belong to their owner


def test_it_answers_404_to_another_caseworker_of_the_agency(caseworker_client, caseworker2_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    assert caseworker2_client.get(step_url(code, "primary")).status_code == 404
    response = caseworker2_client.post(step_url(code, "primary"), {"first_name": "Mallory", "go": "next"})

    assert response.status_code == 404
    assert Draft.objects.get(code=code).data["primary"]["first_name"] == [FIRST_NAME]


def test_it_answers_404_to_the_outsider(caseworker_client, outsider_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    assert outsider_client.get(step_url(code, "primary")).status_code == 404
    assert outsider_client.post(step_url(code, "primary"), {"first_name": "Otto", "go": "next"}).status_code == 404
    assert Draft.objects.get(code=code).data["primary"]["first_name"] == [FIRST_NAME]


def test_it_sends_an_anonymous_visitor_to_login(client, caseworker_client):
    code = draft_start(caseworker_client)

    response = client.get(step_url(code, "primary"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_starts_a_draft_owned_by_the_caseworker(caseworker_client, caseworker):
    code = draft_start(caseworker_client)

    draft = Draft.objects.get(code=code)
    assert draft.owner == caseworker.user
    assert draft.agency == caseworker.agency


def test_it_answers_405_to_a_get_on_named_client(caseworker_client):
    assert caseworker_client.get(reverse("registration:draft-create")).status_code == 405
    assert not Draft.objects.exists()


# Family Code


def test_it_refuses_a_family_code_with_a_wrong_check_letter_and_keeps_it(caseworker_client, caseworker):
    right = family_check_letter("1234")
    wrong = next(letter for letter in "XYZW" if letter != right)

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": f"F-1234-{wrong}"}})

    assert response.status_code == 200
    message = "This is not a family code of your agency. Codes look like F-4821-K: check it, or click New."
    assert response.context["section"].forms["primary"].errors["family_code"] == [message]
    field = text(response).split('id="family-code-field"', 1)[1].split('id="id_official_language"', 1)[0]
    assert message in field
    assert input_value(response, "family_code") == f"F-1234-{wrong}"
    assert not Family.objects.exists()


def test_it_creates_the_family_of_a_new_valid_code_typed_loosely(caseworker_client, caseworker, agency):
    code = f"f 1234 {family_check_letter('1234').lower()}"

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": code}})

    client = registered_client(response)
    assert client.family.code == f"F-1234-{family_check_letter('1234')}"
    assert client.family.agency == agency


def test_it_joins_an_existing_family_of_the_agency(caseworker_client, caseworker, agency):
    family = Family.objects.create(agency=agency, code=f"F-4821-{family_check_letter('4821')}")
    relative = saved_client(caseworker, first_name="Ngozi", family=family)

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": family.code}})

    client = registered_client(response)
    assert client.family == family
    assert set(family.members.all()) == {client, relative}
