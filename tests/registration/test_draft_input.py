"""Impossible input refused with a message that says how to put it right, what was typed kept; possible input
stored in one form (a postal code without its space, telephone numbers in E.164)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from agencies.models import IcareList, IcareValue
from agencies.validators import PostalCodeValidator
from clients.models import Client
from clients.validators import BirthDateValidator, NotInFutureValidator
from tests.wizard import (
    DATE_OF_BIRTH,
    draft_start,
    field_attributes,
    field_errors,
    form_errors,
    input_value,
    registered_client,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db

PHONE_MESSAGE = "Enter a telephone number such as 416-555-0199, or +44 20 7946 0958 for a number outside Canada."
EMAIL_MESSAGE = "Enter an email address such as name@example.com."


@pytest.mark.parametrize(
    ("step", "values", "field", "message"),
    [
        ("primary", {"date_of_birth": "2999-01-01"}, "date_of_birth", str(BirthDateValidator.message)),
        ("primary", {"date_of_birth": "1899-12-31"}, "date_of_birth", str(BirthDateValidator.message)),
        (
            "immigration",
            {"arrival_date": "1985-06-01"},
            "arrival_date",
            f"The arrival date is before the Date of Birth {DATE_OF_BIRTH} (Primary Information).",
        ),
        (
            "immigration",
            {"arrival_date": "2015-06-01", "reentry_date": "2014-01-20"},
            "reentry_date",
            "The re-entry date is before the Arrival Date 2015-06-01 (Immigration).",
        ),
        (
            "immigration",
            {"landing_date": "1985-06-01"},
            "landing_date",
            f"The landing date is before the Date of Birth {DATE_OF_BIRTH} (Primary Information).",
        ),
        ("immigration", {"arrival_date": "2999-06-01"}, "arrival_date", str(NotInFutureValidator.message)),
        (
            "summary",
            {"registration_date": "1989-12-31"},
            "registration_date",
            f"The registration date is before the Date of Birth {DATE_OF_BIRTH} (Primary Information).",
        ),
        ("summary", {"registration_date": "2999-06-01"}, "registration_date", str(NotInFutureValidator.message)),
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
        "registered-before-birth",
        "registered-in-future",
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
    assert form_errors(response, step) == {field: [message]}
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


@pytest.mark.parametrize(("language", "blank"), [("en", "- Select an option -"), ("fr", "- Choisir une option -")])
def test_the_country_drop_downs_say_what_every_other_drop_down_says_before_a_choice(
    language, blank, caseworker_client, settings
):
    code = draft_start(caseworker_client)
    caseworker_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = caseworker_client.get(step_url(code, "immigration"))

    for name in ("country_of_origin", "last_residence"):
        assertContains(
            response,
            f'<select name="{name}" class="form-select" id="id_{name}"><option value="" selected>{blank}</option>',
        )
    assertNotContains(response, "---------")


def test_it_refuses_the_same_language_twice_on_its_step(caseworker_client, caseworker):
    arabic = IcareValue.objects.of(IcareList.LANGUAGE).get(value="Arabic")
    rows = {
        "languages-TOTAL_FORMS": "2",
        "languages-0-language": str(arabic.pk),
        "languages-1-language": str(arabic.pk),
    }

    code, response = walk(caseworker_client, caseworker, {"language": rows})

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "language")
    assert field_errors(response, "id_languages-1-language") == [
        "This language is already listed above: remove one of the two rows."
    ]
    assert not Client.objects.exists()


def test_it_refuses_a_certificate_year_before_the_client_was_born(caseworker_client, caseworker):
    rows = {
        "certificates-TOTAL_FORMS": "1",
        "certificates-0-institution": "University of Lagos",
        "certificates-0-year": "1950",
        "certificates-0-country": "NG",
    }

    code, response = walk(caseworker_client, caseworker, {"employment": rows})

    assert response.request["PATH_INFO"] == step_url(code, "employment")
    assert field_errors(response, "id_certificates-0-year") == [
        f"The year is before the client's Date of Birth {DATE_OF_BIRTH}: enter the year of the certificate."
    ]
    assert input_value(response, "certificates-0-year") == "1950"
    assert not Client.objects.exists()


@pytest.mark.parametrize("typed", ["416-555-0199 ext. 12", "416 555 0199 x12", "416 555 0199 poste 12"])
def test_a_telephone_extension_is_refused_rather_than_dropped(caseworker_client, caseworker, typed):
    """A number is kept in E.164, which has no extension: "ext. 12" was accepted and lost without a word."""
    code, response = walk(caseworker_client, caseworker, {"contact": {"phone": typed}})

    assert response.request["PATH_INFO"] == step_url(code, "contact")
    assert field_errors(response, "id_phone") == [
        "OCMS keeps a telephone number without an extension: type the number alone, such as 416-555-0199."
    ]
    assert not Client.objects.exists()


def test_an_emergency_contact_s_telephone_and_email_are_refused_as_the_client_s_are(caseworker_client, caseworker):
    contact = {"emergency-name": "Jean Roy", "emergency-phone": "416-555", "emergency-email": "jean@"}

    code, response = walk(caseworker_client, caseworker, {"consent": contact})

    assert response.request["PATH_INFO"] == step_url(code, "consent")
    assert field_errors(response, "id_emergency-phone") == [PHONE_MESSAGE]
    assert field_errors(response, "id_emergency-email") == [EMAIL_MESSAGE]


def test_a_date_out_of_order_reads_as_french_writes_it(caseworker_client, caseworker):
    """Labels inside the sentence in lower case but for their proper nouns: "retour au Canada", not "au canada"."""
    caseworker_client.post(reverse("set_language"), {"language": "fr"})

    code, response = walk(caseworker_client, caseworker, {"immigration": {"reentry_date": "1985-06-01"}})

    assert response.request["PATH_INFO"] == step_url(code, "immigration")
    (message,) = field_errors(response, "id_reentry_date")
    assert message.startswith(f"La date de retour au Canada est antérieure à la date de naissance {DATE_OF_BIRTH} (")


def test_a_postal_code_pasted_with_spaces_around_it_is_not_cut_short_by_the_browser(caseworker_client, caseworker):
    """The box holds " k1a 0b1 " whole (the browser stops typing at its maxlength), and the code is kept as stored."""
    code = draft_start(caseworker_client)
    page = caseworker_client.get(step_url(code, "contact"))
    assert int(field_attributes(page, "postal_code")["maxlength"]) >= len(" k1a 0b1 ")

    _code, response = walk(caseworker_client, caseworker, {"contact": {"postal_code": " k1a 0b1 "}}, code=code)

    assert registered_client(response).postal_code == "K1A0B1"


def province(name: str) -> str:
    return str(IcareValue.objects.of(IcareList.PROVINCE).get(value=name).pk)


def test_a_postal_code_of_another_province_is_refused_beside_the_province(caseworker_client, caseworker):
    contact = {"postal_code": "C1A 4P3", "province": province("Québec"), "city": "Montréal"}

    code, response = walk(caseworker_client, caseworker, {"contact": contact})

    assert response.request["PATH_INFO"] == step_url(code, "contact")
    assert field_errors(response, "id_province") == [
        "The postal code C1A 4P3 is in Prince Edward Island, not in Québec: correct whichever is wrong."
    ]
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("postal_code", "name"),
    [("H2X 1Y4", "Québec"), ("K1A 0B1", "Ontario"), ("X0A 0H0", "Nunavut"), ("X1A 2L9", "Northwest Territories")],
)
def test_a_postal_code_of_its_province_is_kept(caseworker_client, caseworker, postal_code, name):
    _code, response = walk(
        caseworker_client, caseworker, {"contact": {"postal_code": postal_code, "province": province(name)}}
    )

    assert registered_client(response).province.value == name
