"""Register, on the summary: the named client saved with every step's rows, and what iCARE still needs said once;
a step not yet seen or still to correct sends the caseworker back to it."""

import pytest
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import IcareList, IcareValue
from clients.models import Client
from clients.rules import IDENTIFIER_ALERT
from registration.models import Draft
from tests.wizard import (
    DATE_OF_BIRTH,
    FIRST_NAME,
    LAST_NAME,
    draft_start,
    foss_id_type,
    icare_badge_html,
    message_html,
    official_language,
    page_after,
    registered_client,
    step_data,
    step_post,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db


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


# What iCARE still needs, said once the client is registered: Next Steps' iCARE status, and the help article's
# alert on Save when the client has no iCARE identifier


IDENTIFIER_RULE = "An iCARE client identifier with its value"


def test_it_warns_about_each_missing_yellow_field_and_still_registers(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker)

    client = registered_client(response)
    page = page_after(caseworker_client, response)
    assertContains(
        page, message_html(f"{FIRST_NAME} {LAST_NAME} is registered with client number {client.number}."), html=True
    )
    assertContains(page, message_html(IDENTIFIER_ALERT, "warning"), html=True)
    missing = ["Preferred Official Language", "Consent for Future Research/Consultation", IDENTIFIER_RULE]
    assertContains(page, icare_badge_html(client, missing), html=True)
    # Said once: the iCARE status lists it, no message says it again.
    assertContains(page, "Not ready for iCARE", count=1)


def test_it_warns_nothing_when_every_yellow_field_is_filled(caseworker_client, caseworker, agency):
    overrides = {
        "primary": {"official_language": str(official_language("English").pk)},
        "immigration": {"research_consent": "false"},
        "identification": {
            "identifiers-0-identifier_type": str(foss_id_type(agency).pk),
            "identifiers-0-value": "1234-5678",
        },
    }

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    page = page_after(caseworker_client, response)
    assertContains(
        page, message_html(f"{FIRST_NAME} {LAST_NAME} is registered with client number {client.number}."), html=True
    )
    assertNotContains(page, "Not ready for iCARE")
    assertNotContains(page, escape(IDENTIFIER_ALERT))
    assertNotContains(page, 'class="alert alert-warning"')
    assertContains(page, "iCARE ready")


def test_it_registers_a_client_who_consented_to_research_without_contact_but_warns(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker, {"immigration": {"research_consent": "true"}})

    client = registered_client(response)
    assert client.research_consent is True
    missing = [
        "Preferred Official Language",
        IDENTIFIER_RULE,
        "Email or Telephone Number",
        "Street Number",
        "Street Name",
        "City",
        "Province",
    ]
    assertContains(page_after(caseworker_client, response), icare_badge_html(client, missing), html=True)


def test_it_asks_nothing_more_than_the_postal_code_when_the_client_declines_research(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker, {"immigration": {"research_consent": "false"}})

    client = registered_client(response)
    page = page_after(caseworker_client, response)
    assertContains(page, icare_badge_html(client, ["Preferred Official Language", IDENTIFIER_RULE]), html=True)
    assertNotContains(page, "Email or Telephone Number")


# A step not seen, or still wrong

NEEDS_CORRECTING = "This step needs correcting before the client can be registered: Primary Information."


def assert_register_sends_back_to_primary(browser, staff, code, message: str) -> None:
    """Register, pressed on the summary, registers nobody: it sends the caseworker to Primary Information, with
    this message on it."""
    response = step_post(browser, code, "summary", step_data("summary", staff=staff), go="register")

    assertRedirects(response, step_url(code, "primary"), fetch_redirect_response=False)
    assertContains(page_after(browser, response), message_html(message, "error"), html=True)
    assert Client.objects.count() == 0


def test_it_sends_the_caseworker_back_to_a_step_not_yet_seen_before_registering(caseworker_client, caseworker):
    code = draft_start(caseworker_client)
    step_post(caseworker_client, code, "privacy", step_data("privacy", staff=caseworker), go="summary")

    assert_register_sends_back_to_primary(
        caseworker_client,
        caseworker,
        code,
        "Fill in this step, or confirm it is empty with Next, before registering the client: Primary Information.",
    )
    assert Draft.objects.filter(code=code).exists()


def test_it_tells_the_caseworker_every_step_still_to_do_not_one_register_at_a_time(caseworker_client, caseworker):
    code = draft_start(caseworker_client)
    step_post(caseworker_client, code, "privacy", step_data("privacy", staff=caseworker), go="summary")

    response = step_post(caseworker_client, code, "summary", step_data("summary", staff=caseworker), go="register")

    later = (
        "Still to do after it: Immigration; Identification; Contact; Employment; Language and Housing; "
        "Sensitive and Volunteer; Consent and Referral."
    )
    assertContains(page_after(caseworker_client, response), message_html(later, "info"), html=True)


def test_it_sends_the_caseworker_to_the_step_to_correct_before_registering(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, register=False)
    step_post(
        caseworker_client, code, "primary", {**step_data("primary", staff=caseworker), "last_name": ""}, "summary"
    )

    assert_register_sends_back_to_primary(caseworker_client, caseworker, code, NEEDS_CORRECTING)
    assert Draft.objects.filter(code=code).exists()


def test_it_sends_the_caseworker_to_the_first_blocking_step_in_order(caseworker_client, caseworker):
    """A step to correct comes before a later step never seen: the caseworker goes to the earlier one first."""
    code = draft_start(caseworker_client)
    step_post(caseworker_client, code, "privacy", step_data("privacy", staff=caseworker))
    step_post(
        caseworker_client, code, "primary", {**step_data("primary", staff=caseworker), "last_name": ""}, "summary"
    )

    assert_register_sends_back_to_primary(caseworker_client, caseworker, code, NEEDS_CORRECTING)


# The rows added with [+], and the referral


def test_it_saves_the_rows_of_every_step(caseworker_client, caseworker):
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
