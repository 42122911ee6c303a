"""One validation on every path: a section edit checks its dates against the client's other saved sections, and
puts the message on the field being edited, naming the other date, its value and its section. A refused edit
leaves the client as it was, which every section can still save."""

from datetime import date

import pytest

from clients.sections import EDITABLE_SECTIONS, SectionName
from tests.factories import ClientFactory
from tests.registration.edit_pages import Editor
from tests.wizard import field_errors, step_url, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrived(caseworker):
    """Born 1990-04-12, landed and arrived 2019-03-10, back in Canada 2020-01-05, registered 2021-06-01."""
    return ClientFactory(
        registered_by=caseworker,
        date_of_birth=date(1990, 4, 12),
        landing_date=date(2019, 3, 10),
        arrival_date=date(2019, 3, 10),
        reentry_date=date(2020, 1, 5),
        registration_date=date(2021, 6, 1),
    )


def refused(response, field: str) -> list[str]:
    assert response.status_code == 200, response.status_code
    section = response.context["section"]
    return [str(message) for form in section.forms.values() for message in form.errors.get(field, [])]


@pytest.mark.parametrize(
    ("section", "typed", "field", "message"),
    [
        (
            SectionName.PRIMARY,
            {"date_of_birth": "2019-06-01"},
            "date_of_birth",
            "The date of birth is after the Landing Date 2019-03-10 (Immigration Related).",
        ),
        (
            SectionName.IMMIGRATION,
            {"arrival_date": "1989-01-01", "landing_date": "2019-03-10"},
            "arrival_date",
            "The arrival date is before the Date of Birth 1990-04-12 (Primary Information).",
        ),
        (
            SectionName.IMMIGRATION,
            {"reentry_date": "2018-12-31"},
            "reentry_date",
            "The re-entry date is before the Arrival Date 2019-03-10 (Immigration).",
        ),
        (
            SectionName.SUMMARY,
            {"registration_date": "1990-01-01"},
            "registration_date",
            "The registration date is before the Date of Birth 1990-04-12 (Primary Information).",
        ),
        (
            SectionName.IDENTIFICATION,
            {"first_visit_date": "1980-01-01"},
            "first_visit_date",
            "The date of first agency visit in program is before the Date of Birth 1990-04-12 (Primary Information).",
        ),
    ],
    ids=[
        "birth-after-landing",
        "arrival-before-birth",
        "reentry-before-arrival",
        "registered-before-birth",
        "first-visit-before-birth",
    ],
)
def test_an_edit_that_puts_the_dates_out_of_order_is_refused_on_its_field(
    caseworker_client, arrived, section, typed, field, message
):
    response = Editor(caseworker_client, arrived, section).type(**typed).save()

    assert message in refused(response, field)
    arrived.refresh_from_db()
    assert (arrived.date_of_birth, arrived.arrival_date, arrived.reentry_date, arrived.registration_date) == (
        date(1990, 4, 12),
        date(2019, 3, 10),
        date(2020, 1, 5),
        date(2021, 6, 1),
    )


def test_a_birth_date_after_the_registration_date_names_the_registration_summary(caseworker_client, caseworker):
    client = ClientFactory(
        registered_by=caseworker, date_of_birth=date(1990, 4, 12), registration_date=date(2021, 6, 1)
    )

    response = Editor(caseworker_client, client, SectionName.PRIMARY).type(date_of_birth="2022-01-01").save()

    assert "The date of birth is after the Registration Date 2021-06-01 (Registration Summary)." in refused(
        response, "date_of_birth"
    )


def test_dates_in_order_are_saved(caseworker_client, arrived):
    response = Editor(caseworker_client, arrived, SectionName.PRIMARY).type(date_of_birth="1991-05-20").save()

    assert response.status_code == 302
    arrived.refresh_from_db()
    assert arrived.date_of_birth == date(1991, 5, 20)


def test_after_a_refused_edit_every_section_still_saves(caseworker_client, arrived):
    Editor(caseworker_client, arrived, SectionName.PRIMARY).type(date_of_birth="2019-06-01").save()

    for section in EDITABLE_SECTIONS:
        if section != SectionName.SENSITIVE:
            assert Editor(caseworker_client, arrived, section).save().status_code == 302, section


# A minor and Consent Required: the article's "Consent Required" is the minor's, so a client under 18 on the
# Registration Date (today, before there is one) cannot say No.


def test_a_minor_cannot_be_registered_with_consent_not_required(caseworker_client, caseworker):
    overrides = {"primary": {"date_of_birth": "2020-02-03"}, "consent": {"consent_required": "false"}}

    code, response = walk(caseworker_client, caseworker, overrides, until="consent")

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "consent")
    [message] = field_errors(response, "id_consent_required")
    assert message.startswith("The client is 6 on ") and "(Date of Birth 2020-02-03, Primary Information)" in message


def test_the_wizard_refuses_a_first_agency_visit_before_the_birth(caseworker_client, caseworker):
    overrides = {"primary": {"date_of_birth": "1990-04-12"}, "identification": {"first_visit_date": "1980-01-01"}}

    code, response = walk(caseworker_client, caseworker, overrides, until="identification")

    assert response.request["PATH_INFO"] == step_url(code, "identification")
    assert field_errors(response, "id_first_visit_date") == [
        "The date of first agency visit in program is before the Date of Birth 1990-04-12 (Primary Information)."
    ]


@pytest.mark.parametrize(
    ("born", "consent_required", "section", "field", "typed", "message"),
    [
        pytest.param(
            date(1990, 4, 12),
            False,
            SectionName.PRIMARY,
            "date_of_birth",
            "2010-01-01",
            "This makes the client a minor (11 on 2021-06-01), and Consent Required is No "
            "(Emergency Contact & Consent).",
            id="a-client-who-said-no-made-a-minor",
        ),
        pytest.param(
            date(2015, 4, 12),
            None,
            SectionName.CONSENT,
            "consent_required",
            "false",
            "The client is 6 on 2021-06-01 (Date of Birth 2015-04-12, Primary Information): a minor needs consent.",
            id="consent-taken-away-from-a-minor",
        ),
    ],
)
def test_a_profile_edit_cannot_leave_a_minor_without_consent(
    caseworker_client, caseworker, born, consent_required, section, field, typed, message
):
    client = ClientFactory(
        registered_by=caseworker,
        date_of_birth=born,
        registration_date=date(2021, 6, 1),
        consent_required=consent_required,
    )

    response = Editor(caseworker_client, client, section).type(**{field: typed}).save()

    assert message in refused(response, field)
    client.refresh_from_db()
    assert client.date_of_birth == born
    assert client.consent_required is consent_required


def test_an_adult_may_need_consent_or_not(caseworker_client, arrived):
    response = Editor(caseworker_client, arrived, SectionName.CONSENT).type(consent_required="false").save()

    assert response.status_code == 302
    arrived.refresh_from_db()
    assert arrived.consent_required is False


def test_a_birth_after_the_registration_date_is_told_as_such_not_as_a_negative_age(caseworker_client, caseworker):
    client = ClientFactory(
        registered_by=caseworker,
        date_of_birth=date(1990, 4, 12),
        registration_date=date(2021, 6, 1),
        consent_required=False,
    )

    response = Editor(caseworker_client, client, SectionName.PRIMARY).type(date_of_birth="2022-01-01").save()

    assert refused(response, "date_of_birth") == [
        "The date of birth is after the Registration Date 2021-06-01 (Registration Summary)."
    ]


def test_two_messages_of_one_field_are_lines_of_the_one_element_its_input_is_described_by(caseworker_client, arrived):
    """Django describes the input by "<id>_error": one element of that id, holding both messages."""
    response = Editor(caseworker_client, arrived, SectionName.PRIMARY).type(date_of_birth="2020-01-01").save()

    assert field_errors(response, "id_date_of_birth") == [
        "The date of birth is after the Landing Date 2019-03-10 (Immigration Related).",
        "The date of birth is after the Arrival Date 2019-03-10 (Immigration Related).",
    ]
    assert response.content.decode().count('id="id_date_of_birth_error"') == 1
    assert 'aria-describedby="id_date_of_birth_error"' in response.content.decode()
