"""Create New Family Member and Register Another Family Member: the wizard opens with the family code and
what the help article lists copied from the relative (last name, immigration dates and origin, official
language, contact information), each marked and each editable; nothing else is copied."""

import re
from datetime import date

import pytest
from django.urls import reverse

from agencies.models import AgencyList, IcareList, IcareValue
from clients.models import Client, ConsentContact, Family, Identifier, SensitiveInfo
from clients.models.family import family_check_letter, family_code_is_valid
from families.services import PREFILL_FIELDS
from registration.models import Draft
from tests.wizard import (
    FIRST_NAME,
    foss_id_type,
    gender,
    input_value,
    list_item,
    official_language,
    province,
    registered_client,
    relationship,
    saved_client,
    selected_value,
    step_url,
    text,
    walk,
)

pytestmark = pytest.mark.django_db

NAMED_CLIENT = reverse("registration:draft-create")
BADGE = "Copied from the family member"

# What the issue lists, by wizard step; the family code comes with them.
COPIED = {
    "primary": {"last_name", "official_language", "family_code"},
    "immigration": {
        "landing_date",
        "arrival_date",
        "reentry_date",
        "country_of_origin",
        "last_residence",
        "immigration_class",
    },
    "contact": {
        "email",
        "email_safe",
        "phone",
        "phone_safe",
        "phone_alt1",
        "phone_alt2",
        "street_number",
        "street_name",
        "street_type",
        "street_direction",
        "unit",
        "city",
        "province",
        "country",
        "postal_code",
    },
}
CHECKBOXES = {"email_safe", "phone_safe"}
SELECTS = {
    "official_language",
    "country_of_origin",
    "last_residence",
    "immigration_class",
    "street_type",
    "street_direction",
    "province",
    "country",
}
# What a relative has that a new family member must never start with, by wizard step.
NOT_COPIED = {
    "primary": ["first_name", "preferred_name", "date_of_birth", "gender", "marital_status"],
    "immigration": ["initial_destination", "immigration_status", "research_consent"],
    "identification": ["identifiers-0-identifier_type", "identifiers-0-value"],
    "employment": ["employment_status"],
    "language": ["housing_status"],
    "sensitive": ["sensitive-health_insurance_status", "sensitive-illnesses", "sensitive-family_income"],
    "consent": ["emergency-name", "emergency-phone"],
}


def icare(list_name: str, starts: str) -> IcareValue:
    return IcareValue.objects.of(list_name).filter(value__startswith=starts).order_by("position").first()


def family_of_four(agency) -> Family:
    return Family.objects.create(agency=agency, code=f"F-4821-{family_check_letter('4821')}")


def relative_with_everything(staff, **fields) -> Client:
    """Samir Haddad, with a value in every field a caseworker might fill, and rows hanging off him."""
    agency = staff.agency
    values = {
        "first_name": "Samir",
        "last_name": "Haddad",
        "preferred_name": "Sam",
        "gender": gender(agency, "Male"),
        "date_of_birth": date(1979, 2, 3),
        "marital_status": "married",
        "official_language": official_language("French"),
        "landing_date": date(2019, 6, 1),
        "arrival_date": date(2019, 6, 2),
        "reentry_date": date(2022, 1, 10),
        "initial_destination": "Montréal",
        "country_of_origin": "SY",
        "last_residence": "LB",
        "immigration_class": list_item(agency, AgencyList.IMMIGRATION_CLASS, "Government-Assisted Refugee"),
        "immigration_status": list_item(agency, AgencyList.IMMIGRATION_STATUS, "Permanent Resident"),
        "research_consent": True,
        "email": "samir.haddad@example.com",
        "email_safe": True,
        "phone": "+14165550142",
        "phone_safe": True,
        "phone_alt1": "+16475550100",
        "phone_alt2": "+15145550123",
        "street_number": "120",
        "street_name": "Bloor",
        "street_type": icare(IcareList.STREET_TYPE, "Street"),
        "street_direction": icare(IcareList.STREET_DIRECTION, "W"),
        "unit": "4B",
        "city": "Toronto",
        "province": province("Ontario"),
        "country": "CA",
        "postal_code": "M5S1X5",
        "employment_status": IcareValue.objects.of(IcareList.EMPLOYMENT_STATUS).order_by("position").first(),
        "housing_status": list_item(agency, AgencyList.HOUSING_STATUS, "Rents"),
        "comments": "Works nights.",
        **fields,
    }
    relative = saved_client(staff, **values)
    Identifier.objects.create(client=relative, identifier_type=foss_id_type(agency), value="1234-5678")
    SensitiveInfo.objects.create(client=relative, illnesses="Asthma")
    ConsentContact.objects.create(
        client=relative, kind="emergency", name="Layla Haddad", relationship=relationship(agency, "Sister")
    )
    return relative


def new_family_member(browser, relative: Client) -> Draft:
    """Press Create New Family Member on the relative's profile."""
    response = browser.post(NAMED_CLIENT, {"relative": str(relative.code)})
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response.url == step_url(draft.code, "privacy")
    return draft


def field_blocks(response) -> dict[str, str]:
    """Each field's block on the page (its label, input, messages and badges), by the input's name."""
    blocks = {}
    for block in re.split(r'<div class="mb-3', response.content.decode())[1:]:
        names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', block)
        for name in names:
            blocks.setdefault(name, block)
    return blocks


def shown(response, name: str) -> str | None:
    """What the page shows in a field, as the browser would post it (None: nothing is posted)."""
    if name in CHECKBOXES:
        tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', response.content.decode()).group(0)
        return "on" if re.search(r"\bchecked\b", tag) else None
    if name in SELECTS:
        return selected_value(response, name) or ""
    return input_value(response, name) or ""


def as_shown(browser, draft: Draft) -> dict[str, dict[str, str | None]]:
    """The copied fields of each step as the steps show them, ready to post unchanged."""
    overrides = {}
    for step, names in COPIED.items():
        response = browser.get(step_url(draft.code, step))
        overrides[step] = {name: shown(response, name) for name in names}
    return overrides


def register(browser, staff, draft: Draft, overrides) -> Client:
    _code, response = walk(browser, staff, overrides, code=draft.code)
    return registered_client(response)


# What is copied


def test_it_copies_exactly_the_listed_fields_and_the_family_code(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))

    draft = new_family_member(caseworker_client, relative)

    assert {step: set(values) for step, values in draft.prefill.items()} == COPIED
    assert {step: {*fields} for step, fields in PREFILL_FIELDS.items()} == {
        step: names - {"family_code"} for step, names in COPIED.items()
    }
    assert draft.prefill["primary"]["family_code"] == relative.family.code
    assert draft.prefill["primary"]["last_name"] == "Haddad"
    assert draft.prefill["contact"]["postal_code"] == "M5S 1X5"
    assert draft.prefilled_from == relative


def test_a_member_registered_with_the_copied_values_has_the_relatives_values(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)

    member = register(caseworker_client, caseworker, draft, as_shown(caseworker_client, draft))

    differing = {
        name: (getattr(member, name), getattr(relative, name))
        for names in PREFILL_FIELDS.values()
        for name in names
        if getattr(member, name) != getattr(relative, name)
    }
    assert differing == {}
    assert member.family == relative.family


def test_nothing_else_is_copied(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)

    member = register(caseworker_client, caseworker, draft, as_shown(caseworker_client, draft))

    assert member.first_name == FIRST_NAME  # what the caseworker typed
    assert member.preferred_name == ""
    assert member.date_of_birth != relative.date_of_birth
    assert member.marital_status == ""
    assert member.initial_destination == ""
    assert member.immigration_status is None
    assert member.research_consent is None
    assert member.employment_status is None
    assert member.housing_status is None
    assert member.comments == ""
    assert not member.identifiers.exists()
    assert not member.consent_contacts.exists()
    assert not SensitiveInfo.objects.filter(client=member).exclude(illnesses="").exists()


@pytest.mark.parametrize("step", list(NOT_COPIED))
def test_the_steps_show_nothing_else_of_the_relative(caseworker_client, caseworker, agency, step):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)

    response = caseworker_client.get(step_url(draft.code, step))

    assert response.status_code == 200
    blocks = field_blocks(response)
    for name in NOT_COPIED[step]:
        assert name in blocks, name
        assert BADGE not in blocks[name], name
        value = selected_value(response, name) if "<select" in blocks[name] else input_value(response, name)
        assert value in (None, "", "unknown"), (name, value)
    fields = text(response).split('id="step-form"', 1)[1].split("</form>", 1)[0]
    for secret in ("Samir", "1979-02-03", "1234-5678", "Asthma", "Layla", "Montréal", "Works nights"):
        assert secret not in fields, secret


def test_an_empty_field_of_the_relative_is_not_marked_as_copied(caseworker_client, caseworker, agency):
    relative = saved_client(caseworker, last_name="Haddad", postal_code="M5S1X5", email="")
    draft = new_family_member(caseworker_client, relative)

    response = caseworker_client.get(step_url(draft.code, "contact"))

    assert "email" not in draft.prefill["contact"]
    blocks = field_blocks(response)
    assert BADGE not in blocks["email"]
    assert BADGE in blocks["postal_code"]


# What the caseworker sees


@pytest.mark.parametrize(
    ("step", "name", "value"),
    [
        ("primary", "last_name", "Haddad"),
        ("primary", "family_code", "F-4821-"),
        ("immigration", "landing_date", "2019-06-01"),
        ("immigration", "arrival_date", "2019-06-02"),
        ("immigration", "reentry_date", "2022-01-10"),
        ("immigration", "country_of_origin", "SY"),
        ("immigration", "last_residence", "LB"),
        ("contact", "email", "samir.haddad@example.com"),
        ("contact", "email_safe", "on"),
        ("contact", "phone", "(416) 555-0142"),
        ("contact", "phone_alt2", "(514) 555-0123"),
        ("contact", "street_name", "Bloor"),
        ("contact", "unit", "4B"),
        ("contact", "city", "Toronto"),
        ("contact", "postal_code", "M5S 1X5"),
    ],
)
def test_each_copied_value_is_shown_with_the_badge(caseworker_client, caseworker, agency, step, name, value):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)

    response = caseworker_client.get(step_url(draft.code, step))

    assert (shown(response, name) or "").startswith(value)
    assert BADGE in field_blocks(response)[name]


def test_copied_choices_are_selected_and_marked(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)

    primary = caseworker_client.get(step_url(draft.code, "primary"))
    immigration = caseworker_client.get(step_url(draft.code, "immigration"))
    contact = caseworker_client.get(step_url(draft.code, "contact"))

    assert selected_value(primary, "official_language") == str(relative.official_language_id)
    assert selected_value(immigration, "immigration_class") == str(relative.immigration_class_id)
    assert selected_value(contact, "street_type") == str(relative.street_type_id)
    assert selected_value(contact, "street_direction") == str(relative.street_direction_id)
    assert selected_value(contact, "province") == str(relative.province_id)
    for response, name in ((primary, "official_language"), (immigration, "immigration_class"), (contact, "province")):
        assert BADGE in field_blocks(response)[name], name


def test_every_copied_field_can_be_typed_in(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)

    for step, names in COPIED.items():
        blocks = field_blocks(caseworker_client.get(step_url(draft.code, step)))
        for name in names:
            tag = re.search(rf'<(?:input|select)[^>]*\bname="{name}"[^>]*>', blocks[name]).group(0)
            assert not re.search(r"\b(disabled|readonly)\b", tag), tag


# Every copied value stays editable


def test_a_changed_copied_value_is_saved_and_the_relative_keeps_theirs(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)
    overrides = as_shown(caseworker_client, draft)
    overrides["primary"].update(last_name="Haddad-Nasser", official_language=str(official_language("English").pk))
    overrides["immigration"].update(landing_date="2020-03-04", country_of_origin="IQ", arrival_date="")
    overrides["contact"].update(
        email="", email_safe=None, phone="647-555-0199", postal_code="k1a 0b1", city="Ottawa", unit=""
    )

    member = register(caseworker_client, caseworker, draft, overrides)

    assert member.last_name == "Haddad-Nasser"
    assert member.official_language == official_language("English")
    assert member.landing_date == date(2020, 3, 4)
    assert member.arrival_date is None
    assert member.country_of_origin == "IQ"
    assert member.email == ""
    assert member.email_safe is False
    assert member.phone.as_e164 == "+16475550199"
    assert member.postal_code == "K1A0B1"
    assert member.city == "Ottawa"
    assert member.unit == ""
    assert member.street_name == "Bloor"  # untouched copies stay
    relative.refresh_from_db()
    assert (relative.last_name, relative.email, relative.postal_code, relative.city) == (
        "Haddad",
        "samir.haddad@example.com",
        "M5S1X5",
        "Toronto",
    )


def test_a_posted_step_shows_what_was_posted_not_the_copy(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)
    overrides = as_shown(caseworker_client, draft)
    overrides["contact"].update(email="", city="Ottawa")
    walk(caseworker_client, caseworker, overrides, code=draft.code, until="contact")

    response = caseworker_client.get(step_url(draft.code, "contact"))

    assert input_value(response, "email") in (None, "")
    assert input_value(response, "city") == "Ottawa"


def test_a_copied_number_outside_canada_keeps_its_country_code(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, phone_alt2="+442079460958")
    draft = new_family_member(caseworker_client, relative)

    response = caseworker_client.get(step_url(draft.code, "contact"))

    assert input_value(response, "phone_alt2") == "+44 20 7946 0958"
    member = register(caseworker_client, caseworker, draft, as_shown(caseworker_client, draft))
    assert member.phone_alt2.as_e164 == "+442079460958"


def test_the_family_code_can_be_removed_before_registering(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)
    overrides = as_shown(caseworker_client, draft)
    overrides["primary"]["family_code"] = ""

    member = register(caseworker_client, caseworker, draft, overrides)

    assert member.family is None
    assert list(relative.family.members.all()) == [relative]


# The family


def test_a_relative_without_a_family_gets_one_the_member_joins(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker)
    draft = new_family_member(caseworker_client, relative)

    member = register(caseworker_client, caseworker, draft, as_shown(caseworker_client, draft))

    relative.refresh_from_db()
    assert relative.family is not None
    assert family_code_is_valid(relative.family.code)
    assert relative.family.agency == agency
    assert member.family == relative.family


def test_next_steps_registers_another_member_from_the_client_just_registered(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)
    member = register(caseworker_client, caseworker, draft, as_shown(caseworker_client, draft))

    page = caseworker_client.get(reverse("registration:next-steps", kwargs={"code": member.code})).content.decode()
    form = page.split('action="/register/named/"', 1)[1].split("</form>", 1)[0]

    assert f'name="relative" value="{member.code}"' in form
    assert "Register Another Family Member" in form


def test_the_profile_offers_create_new_family_member_for_the_client(caseworker_client, caseworker):
    relative = relative_with_everything(caseworker)

    page = caseworker_client.get(reverse("clients:client-detail", kwargs={"code": relative.code})).content.decode()
    form = page.split("Create New Family Member", 1)[0].rsplit("<form", 1)[1]

    assert 'action="/register/named/"' in form
    assert f'name="relative" value="{relative.code}"' in form


# Access


def test_another_agencys_client_as_relative_gives_404(caseworker_client, outsider):
    stranger = relative_with_everything(outsider)

    response = caseworker_client.post(NAMED_CLIENT, {"relative": str(stranger.code)})

    assert response.status_code == 404
    assert not Draft.objects.exists()
    assert not Family.objects.exists()


def test_an_anonymous_client_as_relative_gives_404(caseworker_client, caseworker, agency):
    anonymous = Client.objects.create(
        agency=agency, number=1_000_050, is_anonymous=True, postal_code="M5V2T6", created_by=caseworker.user
    )

    response = caseworker_client.post(NAMED_CLIENT, {"relative": str(anonymous.code)})

    assert response.status_code == 404
    assert not Draft.objects.exists()


def test_something_that_is_no_client_code_as_relative_gives_404(caseworker_client):
    response = caseworker_client.post(NAMED_CLIENT, {"relative": "not-a-client"})

    assert response.status_code == 404
    assert not Draft.objects.exists()


def test_a_get_on_named_client_with_a_relative_gives_405(caseworker_client, caseworker):
    relative = relative_with_everything(caseworker)

    assert caseworker_client.get(NAMED_CLIENT, {"relative": str(relative.code)}).status_code == 405
    assert not Draft.objects.exists()
    relative.refresh_from_db()
    assert relative.family is None
