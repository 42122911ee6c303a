"""Create New Family Member and Register Another Family Member: the wizard opens with the family code and
what the help article lists copied from the relative (last name, immigration dates and origin, official
language, contact information), each marked and each editable; nothing else is copied."""

from datetime import date

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from agencies.models import AgencyList, IcareList, IcareValue
from clients.models import Client, ConsentContact, Family, SensitiveInfo
from clients.models.family import family_check_letter, family_code_is_valid
from families.services import PREFILL_FIELDS
from registration.models import Draft
from tests.clients.pages import (
    attribute,
    elements,
    fragment,
    has_attribute,
    one,
    parsed,
    selected_value,
    strings_of,
    text_of,
)
from tests.factories import ClientFactory, FamilyFactory, list_item
from tests.wizard import (
    FIRST_NAME,
    gender,
    official_language,
    province,
    registered_client,
    relationship,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db

NAMED_CLIENT = reverse("registration:draft-create")
BADGE = "Copied from the family member"
FAMILY_CODE = f"F-4821-{family_check_letter('4821')}"

# What the article and the domain notes list, by wizard step; the family code comes with them.
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
        "phone",
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
# What a relative has that a new family member must never start with, by wizard step. Whether a shared e-mail or
# telephone is safe to use is confirmed with each client: a relative's "safe" may be the new member's danger.
NOT_COPIED = {
    "contact": ["email_safe", "phone_safe"],
    "primary": ["first_name", "preferred_name", "date_of_birth", "gender", "marital_status"],
    "immigration": ["initial_destination", "immigration_status", "research_consent"],
    "identification": ["identifiers-0-identifier_type", "identifiers-0-value"],
    "employment": ["employment_status"],
    "language": ["housing_status"],
    "sensitive": ["sensitive-health_insurance_status", "sensitive-illnesses", "sensitive-family_income"],
    "consent": ["emergency-name", "emergency-phone"],
}
# What those fields show for a new client, as a browser would post it: nothing, or the answer not yet given.
NOT_COPIED_SHOWN = {"research_consent": "unknown", "email_safe": None, "phone_safe": None}


def icare(list_name: str, starts: str) -> IcareValue:
    return IcareValue.objects.of(list_name).filter(value__startswith=starts).order_by("position").first()


def family_of_four(agency) -> Family:
    return FamilyFactory(agency=agency, code=FAMILY_CODE)


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
    relative = ClientFactory(registered_by=staff, with_identifier=True, identifier__value="1234-5678", **values)
    SensitiveInfo.objects.create(client=relative, illnesses="Asthma")
    ConsentContact.objects.create(
        client=relative, kind="emergency", name="Layla Haddad", relationship=relationship(agency, "Sister")
    )
    return relative


def copy_url(draft: Draft) -> str:
    return reverse("registration:draft-family-copy", kwargs={"code": draft.code})


def ticked(response) -> dict[str, list[str]]:
    """What the page's form posts of what to copy: the relative, and the boxes ticked as the page shows them."""
    page = parsed(response)
    boxes = [box for box in elements(page, "input", type="checkbox") if attribute(box, "name") == "copy"]
    (relative,) = (attribute(box, "value") for box in elements(page, "input") if attribute(box, "name") == "copy_from")
    return {
        "copy_from": [relative],
        "copy": [attribute(box, "value") for box in boxes if has_attribute(box, "checked")],
    }


def new_family_member(browser, relative: Client) -> Draft:
    """Press Create New Family Member on the relative's profile, and copy what the page ticks."""
    response = browser.post(NAMED_CLIENT, {"relative": str(relative.code)})
    draft = Draft.objects.get()
    assertRedirects(response, copy_url(draft))
    assertRedirects(
        browser.post(copy_url(draft), ticked(browser.get(copy_url(draft)))), step_url(draft.code, "privacy")
    )
    draft.refresh_from_db()
    return draft


def controls(node):
    return [*elements(node, "input"), *elements(node, "select"), *elements(node, "textarea")]


def field_blocks(response) -> dict:
    """Each field's block on a page answered 200 (the field template's `mb-3` box: its label, input, messages
    and badges), by the input's name."""
    blocks = {}
    # Boxes come outer first: the innermost box around a control is the field's own.
    for block in elements(parsed(response), "div", class_="mb-3"):
        for control in controls(block):
            blocks[attribute(control, "name")] = block
    return blocks


def has_badge(block) -> bool:
    return BADGE in text_of(block)


def shown(response, name: str) -> str | None:
    """What a page answered 200 shows in a field, as the browser would post it (None: nothing is posted)."""
    (control,) = (control for control in controls(parsed(response)) if attribute(control, "name") == name)
    if control.name == "select":
        chosen = [
            attribute(option, "value") for option in elements(control, "option") if has_attribute(option, "selected")
        ]
        return chosen[0] if chosen else ""
    if control.name == "textarea":
        return text_of(control)
    if attribute(control, "type") == "checkbox":
        return "on" if has_attribute(control, "checked") else None
    return attribute(control, "value") or ""


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
    assert not member.email_safe and not member.phone_safe
    assert not member.identifiers.exists()
    assert not member.consent_contacts.exists()
    assert not SensitiveInfo.objects.filter(client=member).exclude(illnesses="").exists()


@pytest.mark.parametrize("step", list(NOT_COPIED))
def test_the_steps_show_nothing_else_of_the_relative(caseworker_client, caseworker, agency, step):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)

    response = caseworker_client.get(step_url(draft.code, step))

    blocks = field_blocks(response)
    for name in NOT_COPIED[step]:
        assert name in blocks, name
        assert not has_badge(blocks[name]), name
        assert shown(response, name) == NOT_COPIED_SHOWN.get(name, ""), name
    fields = list(strings_of(one(elements(parsed(response), "form", id="step-form"))))
    for secret in ("Samir", "1979-02-03", "1234-5678", "Asthma", "Layla", "Montréal", "Works nights"):
        assert not [text for text in fields if secret in text], secret


def test_an_empty_field_of_the_relative_is_not_marked_as_copied(caseworker_client, caseworker, agency):
    relative = ClientFactory(registered_by=caseworker, last_name="Haddad", postal_code="M5S1X5", email="")
    draft = new_family_member(caseworker_client, relative)

    response = caseworker_client.get(step_url(draft.code, "contact"))

    assert "email" not in draft.prefill["contact"]
    blocks = field_blocks(response)
    assert not has_badge(blocks["email"])
    assert has_badge(blocks["postal_code"])


# What the caseworker sees


@pytest.mark.parametrize(
    ("step", "name", "value"),
    [
        ("primary", "last_name", "Haddad"),
        ("primary", "family_code", FAMILY_CODE),
        ("immigration", "landing_date", "2019-06-01"),
        ("immigration", "arrival_date", "2019-06-02"),
        ("immigration", "reentry_date", "2022-01-10"),
        ("immigration", "country_of_origin", "SY"),
        ("immigration", "last_residence", "LB"),
        ("contact", "email", "samir.haddad@example.com"),
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

    assert shown(response, name) == value
    assert has_badge(field_blocks(response)[name])


def test_copied_choices_are_selected_and_marked(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)

    primary = caseworker_client.get(step_url(draft.code, "primary"))
    immigration = caseworker_client.get(step_url(draft.code, "immigration"))
    contact = caseworker_client.get(step_url(draft.code, "contact"))

    assert selected_value(parsed(primary), "official_language") == str(relative.official_language_id)
    assert selected_value(parsed(immigration), "immigration_class") == str(relative.immigration_class_id)
    assert selected_value(parsed(contact), "street_type") == str(relative.street_type_id)
    assert selected_value(parsed(contact), "street_direction") == str(relative.street_direction_id)
    assert selected_value(parsed(contact), "province") == str(relative.province_id)
    for response, name in ((primary, "official_language"), (immigration, "immigration_class"), (contact, "province")):
        assert has_badge(field_blocks(response)[name]), name


def test_every_copied_field_can_be_typed_in(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)

    for step, names in COPIED.items():
        blocks = field_blocks(caseworker_client.get(step_url(draft.code, step)))
        for name in names:
            (control,) = (control for control in controls(blocks[name]) if attribute(control, "name") == name)
            assert not {"disabled", "readonly"} & dict(control.attributes).keys(), (name, control.attributes)


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

    # The field is empty, as posted, where the copy had the relative's email.
    assert shown(response, "email") == ""
    assert shown(response, "city") == "Ottawa"


def test_a_copied_number_outside_canada_keeps_its_country_code(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, phone_alt2="+442079460958")
    draft = new_family_member(caseworker_client, relative)

    response = caseworker_client.get(step_url(draft.code, "contact"))

    assert shown(response, "phone_alt2") == "+44 20 7946 0958"
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

    page = parsed(caseworker_client.get(reverse("registration:next-steps", kwargs={"code": member.code})))
    (form,) = (
        form
        for form in elements(page, "form", action=NAMED_CLIENT)
        if "Register Another Family Member" in [text_of(button) for button in elements(form, "button")]
    )

    assert fragment(f'<input type="hidden" name="relative" value="{member.code}">') in form


def test_the_profile_offers_create_new_family_member_for_the_client(caseworker_client, caseworker):
    relative = relative_with_everything(caseworker)

    page = parsed(caseworker_client.get(reverse("clients:client-detail", kwargs={"code": relative.code})))
    (form,) = (
        form
        for form in elements(page, "form")
        if "Create New Family Member" in [text_of(button) for button in elements(form, "button")]
    )

    assert attribute(form, "action") == NAMED_CLIENT
    assert fragment(f'<input type="hidden" name="relative" value="{relative.code}">') in form


# Access


def test_another_agencys_client_as_relative_gives_404(caseworker_client, outsider):
    stranger = relative_with_everything(outsider)

    response = caseworker_client.post(NAMED_CLIENT, {"relative": str(stranger.code)})

    assert response.status_code == 404
    assert not Draft.objects.exists()
    assert not Family.objects.exists()


def test_an_anonymous_client_as_relative_gives_404(caseworker_client, caseworker, agency):
    anonymous = ClientFactory(registered_by=caseworker, anonymous=True)

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


# The duplicate check of a family member


def summary_candidates(browser, staff, draft: Draft, overrides) -> list:
    """The possible duplicates the Registration Summary offers, once every step is posted."""
    walk(browser, staff, overrides, code=draft.code, register=False)
    return browser.get(step_url(draft.code, "summary")).context["candidates"]


def test_a_family_member_is_not_offered_the_relative_whose_phone_and_email_were_copied(
    caseworker_client, caseworker, agency
):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)

    candidates = summary_candidates(caseworker_client, caseworker, draft, as_shown(caseworker_client, draft))

    assert candidates == []


def test_a_stranger_with_the_same_phone_is_still_offered_with_its_reason(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    stranger = ClientFactory(registered_by=caseworker, first_name="Lina", last_name="Nasser", phone=relative.phone)
    draft = new_family_member(caseworker_client, relative)

    candidates = summary_candidates(caseworker_client, caseworker, draft, as_shown(caseworker_client, draft))

    assert [(c.client, c.reasons) for c in candidates] == [(stranger, ["same telephone number"])]


def test_a_twin_in_the_family_with_a_similar_name_is_still_offered(caseworker_client, caseworker, agency):
    relative = relative_with_everything(caseworker, family=family_of_four(agency))
    draft = new_family_member(caseworker_client, relative)
    overrides = as_shown(caseworker_client, draft)
    overrides["primary"] = {**overrides["primary"], "first_name": "Samir", "date_of_birth": "1979-02-03"}

    candidates = summary_candidates(caseworker_client, caseworker, draft, overrides)

    assert [(c.client, c.reasons) for c in candidates] == [(relative, ["same date of birth and a similar name"])]
