"""The green (OCMS) and yellow (iCARE) rules, judged on a client's facts."""

from datetime import date

import pytest
from django.utils import translation

from clients.models import ConsentContact, ContactKind
from clients.rules import (
    IDENTIFIER_ALERT,
    RULES,
    Level,
    facts_from_client,
    field_levels,
    icare_missing,
    unmet,
)
from tests.factories import ClientFactory, IdentifierFactory
from tests.wizard import identifier_type, official_language, relationship

GREEN_KEYS = [
    "privacy_confirmed",
    "first_name",
    "last_name",
    "gender",
    "date_of_birth",
    "postal_code",
    "registration_date",
    "registration_site",
    "primary_worker",
]
CONTACT_TABS = ["guardian", "consenter", "emergency"]
ADDRESS_KEYS = ["street_number", "street_name", "city", "province"]


def green_facts(**extra) -> dict:
    """A client with every green field and nothing else."""
    return {
        "privacy_confirmed": True,
        "first_name": "Amara",
        "last_name": "Okafor",
        "gender": 1,
        "date_of_birth": date(1990, 4, 12),
        "postal_code": "M5V2T6",
        "registration_date": date(2026, 1, 5),
        "registration_site": 3,
        "primary_worker": 7,
        **extra,
    }


def ready_facts(**extra) -> dict:
    """A client with every green field and the yellow ones that apply when research consent is No."""
    yellow = {"official_language": 1, "research_consent": False, "identifiers": [(True, "UCI 1234-5678")]}
    return green_facts(**{**yellow, **extra})


def keys(rules) -> list[str]:
    return [rule.key for rule in rules]


def test_it_finds_nothing_missing_for_a_client_with_every_green_field():
    assert unmet(green_facts(), Level.OCMS) == []


@pytest.mark.parametrize("key", GREEN_KEYS)
@pytest.mark.parametrize("blank", [None, "", False], ids=["none", "empty", "false"])
def test_it_blocks_registration_when_a_green_field_is_missing(key, blank):
    facts = green_facts(**{key: blank})

    assert keys(unmet(facts, Level.OCMS)) == [key]


@pytest.mark.parametrize("key", GREEN_KEYS)
def test_it_blocks_registration_when_a_green_field_is_absent_from_the_facts(key):
    facts = green_facts()
    del facts[key]

    assert keys(unmet(facts, Level.OCMS)) == [key]


def test_it_says_which_green_field_is_missing_and_that_it_blocks_registration():
    (rule,) = unmet(green_facts(first_name=""), Level.OCMS)

    assert str(rule.error) == "First Name is required by OCMS: fill it in to register the client."


def test_it_explains_the_privacy_statement_when_it_is_not_confirmed():
    (rule,) = unmet(green_facts(privacy_confirmed=False), Level.OCMS)

    assert "Privacy/Confidentiality Statement" in str(rule.error)


def test_it_never_blocks_registration_for_a_yellow_field():
    facts = green_facts(research_consent=True)

    assert keys(unmet(facts, Level.ICARE)) == ["official_language", "identifiers", "email_or_phone", *ADDRESS_KEYS]
    assert unmet(facts, Level.OCMS) == []
    assert {rule.level for rule in unmet(facts, Level.ICARE)} == {Level.ICARE}
    assert {rule.level for rule in unmet(green_facts(), Level.ICARE)} == {Level.ICARE}


def test_it_finds_nothing_missing_for_icare_when_consent_is_no_and_the_yellow_fields_are_filled():
    assert unmet(ready_facts(), Level.ICARE) == []
    assert icare_missing(ready_facts()) == []


@pytest.mark.parametrize("key", ["official_language", "research_consent", "identifiers"])
def test_it_warns_when_a_yellow_field_is_missing(key):
    facts = ready_facts()
    del facts[key]

    assert keys(unmet(facts, Level.ICARE)) == [key]
    assert unmet(facts, Level.OCMS) == []


def test_it_counts_no_to_research_consent_as_an_answer():
    assert "research_consent" not in keys(unmet(ready_facts(research_consent=False), Level.ICARE))
    assert "research_consent" in keys(unmet(ready_facts(research_consent=None), Level.ICARE))


def test_it_warns_with_the_articles_alert_when_no_icare_identifier_is_given():
    (rule,) = unmet(ready_facts(identifiers=[]), Level.ICARE)

    assert rule.error == IDENTIFIER_ALERT
    assert "FOSS/GCMS Client ID" in str(rule.error)


def test_it_does_not_count_a_passport_number_as_an_icare_identifier():
    facts = ready_facts(identifiers=[(False, "P1234567")])

    assert keys(unmet(facts, Level.ICARE)) == ["identifiers"]


def test_it_does_not_count_an_icare_identifier_type_without_a_value():
    facts = ready_facts(identifiers=[(True, "")])

    assert keys(unmet(facts, Level.ICARE)) == ["identifiers"]


def test_it_accepts_one_icare_identifier_among_others():
    facts = ready_facts(identifiers=[(False, "P1234567"), (True, "UCI-1234")])

    assert unmet(facts, Level.ICARE) == []


def test_it_asks_for_the_full_contact_when_the_client_consents_to_research():
    facts = ready_facts(research_consent=True)

    assert keys(unmet(facts, Level.ICARE)) == ["email_or_phone", *ADDRESS_KEYS]


@pytest.mark.parametrize("contact", [{"email": "amara@example.com"}, {"phone": "+14165550199"}], ids=["email", "phone"])
def test_it_accepts_an_email_or_a_phone_when_the_client_consents_to_research(contact):
    facts = ready_facts(research_consent=True, street_number="12", street_name="King", city="Toronto", province=9)

    assert keys(unmet(facts, Level.ICARE)) == ["email_or_phone"]
    assert unmet({**facts, **contact}, Level.ICARE) == []


@pytest.mark.parametrize("key", ADDRESS_KEYS)
def test_it_warns_about_each_address_field_when_the_client_consents_to_research(key):
    address = {"street_number": "12", "street_name": "King", "city": "Toronto", "province": 9}
    del address[key]
    facts = ready_facts(research_consent=True, email="amara@example.com", **address)

    assert keys(unmet(facts, Level.ICARE)) == [key]


def test_it_asks_only_for_the_postal_code_when_the_client_declines_research():
    facts = ready_facts(research_consent=False)

    assert unmet(facts, Level.ICARE) == []
    assert keys(unmet({**facts, "postal_code": ""}, Level.OCMS)) == ["postal_code"]


def test_it_requires_the_three_contacts_of_a_minor_who_needs_consent():
    facts = green_facts(consent_required=True)

    assert keys(unmet(facts, Level.OCMS)) == [
        f"{tab}-{field}" for tab in CONTACT_TABS for field in ("name", "relationship", "phone")
    ]


def test_it_does_not_require_the_contacts_when_consent_is_not_required():
    assert unmet(green_facts(consent_required=False), Level.OCMS) == []
    assert unmet(green_facts(consent_required=None), Level.OCMS) == []


def test_it_names_the_tab_in_a_minors_contact_message():
    facts = green_facts(consent_required=True)
    for tab in CONTACT_TABS:
        facts.update({f"{tab}-name": "Ngozi Okafor", f"{tab}-relationship": 1, f"{tab}-phone": "+14165550100"})
    del facts["consenter-phone"]

    (rule,) = unmet(facts, Level.OCMS)

    assert str(rule.error) == "Person Giving Consent: Telephone is required by OCMS: fill it in to register the client."


def test_it_shades_the_primary_fields_green_and_the_official_language_yellow():
    assert field_levels("primary", {}) == {
        "first_name": Level.OCMS,
        "last_name": Level.OCMS,
        "gender": Level.OCMS,
        "date_of_birth": Level.OCMS,
        "official_language": Level.ICARE,
    }


def test_it_shades_only_the_postal_code_until_the_client_consents_to_research():
    assert field_levels("contact", {}) == {"postal_code": Level.OCMS}
    assert field_levels("contact", {"research_consent": False}) == {"postal_code": Level.OCMS}


def test_it_shades_the_contact_fields_yellow_when_the_client_consents_to_research():
    assert field_levels("contact", {"research_consent": True}) == {
        "postal_code": Level.OCMS,
        "email": Level.ICARE,
        "phone": Level.ICARE,
        "street_number": Level.ICARE,
        "street_name": Level.ICARE,
        "city": Level.ICARE,
        "province": Level.ICARE,
    }


def test_it_shades_the_minors_contacts_green_only_when_consent_is_required():
    assert field_levels("consent", {"consent_required": False}) == {}
    levels = field_levels("consent", {"consent_required": True})

    assert levels == {
        f"{tab}-{field}": Level.OCMS for tab in CONTACT_TABS for field in ("name", "relationship", "phone")
    }


def test_it_shades_every_summary_field_green():
    assert field_levels("summary", {}) == {
        "primary_worker": Level.OCMS,
        "registration_date": Level.OCMS,
        "registration_site": Level.OCMS,
    }


def test_it_states_each_rule_once():
    assert len({(rule.key, rule.step) for rule in RULES}) == len(RULES)


@pytest.mark.django_db
def test_it_reads_the_facts_of_a_saved_client(caseworker):
    agency = caseworker.agency
    client = ClientFactory(
        registered_by=caseworker,
        consenting=True,
        with_identifier=True,
        identifier__value="UCI 1234",
        official_language=official_language("French"),
        consent_required=True,
    )
    IdentifierFactory(client=client, identifier_type=identifier_type(agency, "Passport Number"), value="P1")
    for kind in ContactKind.values:
        ConsentContact.objects.create(
            client=client, kind=kind, name=f"{kind} person", relationship=relationship(agency), phone="4165550100"
        )

    facts = facts_from_client(client)

    assert facts["first_name"] == "Amara"
    assert facts["gender"] == client.gender_id
    assert facts["registration_site"] == caseworker.default_site_id
    assert facts["primary_worker"] == caseworker.pk
    assert facts["research_consent"] is True
    assert sorted(facts["identifiers"]) == [(False, "P1"), (True, "UCI 1234")]
    assert facts["guardian-name"] == "guardian person"
    assert facts["emergency-relationship"] == relationship(agency).pk
    assert facts["consenter-phone"]
    assert unmet(facts, Level.OCMS) == []
    assert icare_missing(facts) == []


@pytest.mark.django_db
def test_it_finds_what_a_saved_client_still_needs_for_icare(caseworker):
    client = ClientFactory(registered_by=caseworker, research_consent=True)

    missing = keys(icare_missing(facts_from_client(client)))

    assert missing == ["official_language", "identifiers", "email_or_phone", *ADDRESS_KEYS]


def test_a_consent_contacts_field_is_named_with_french_spacing_in_french():
    guardian_name = next(rule for rule in RULES if rule.key == "guardian-name")

    assert str(guardian_name.label) == "Guardian: Name"
    with translation.override("fr"):
        # French puts a no-break space before the colon (and the semicolon of the message).
        assert str(guardian_name.label) == "Tuteur légal\u00a0: Nom"
        assert str(guardian_name.error).startswith("Tuteur légal\u00a0: Nom\u00a0: obligatoire pour OCMS\u00a0; ")
