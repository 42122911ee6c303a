"""Editing one section of a saved named profile with the wizard's forms and rules, recorded in history."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import IcareList, IcareValue
from clients.models import ClientLanguage, ConsentContact
from clients.validators import NotInFutureValidator
from tests.conftest import client_for
from tests.factories import ChildFactory, ClientFactory, child_age_group
from tests.registration.edit_pages import Editor, edit_post
from tests.wizard import (
    RULE_ERRORS_EDITING,
    contact_person,
    elements,
    field_attributes,
    field_errors,
    form_errors,
    foss_id_type,
    icare_badge_html,
    identifier_rows,
    input_value,
    message_html,
    official_language,
    page_after,
    relationship,
    step_data,
)

pytestmark = pytest.mark.django_db

# The profile's iCARE badge (templates/clients/_icare_badge.html).
ICARE_READY = '<span class="badge badge-icare-ready fs-6" role="status">iCARE ready</span>'


def edit_url(client, section: str) -> str:
    return reverse("registration:section-edit", kwargs={"code": client.code, "section": section})


def detail_url(client) -> str:
    return reverse("clients:client-detail", kwargs={"code": client.code})


def contact_data(staff, **values) -> dict:
    return {**step_data("contact", staff=staff), **values}


def summary_data(client, **values) -> dict:
    return {
        "primary_worker": str(client.primary_worker_id),
        "registration_date": client.registration_date.isoformat(),
        "registration_site": str(client.registration_site.code),
        "comments": client.comments,
        **values,
    }


# Editing a section


def test_it_saves_the_contact_section_and_returns_to_the_profile(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)
    data = contact_data(caseworker, email="amara@example.com", phone="416-555-0199", postal_code="k1a 0b1")

    response = edit_post(caseworker_client, client, "contact", data)

    assertRedirects(response, detail_url(client) + "#section-contact", fetch_redirect_response=False)
    client.refresh_from_db()
    assert client.email == "amara@example.com"
    assert client.phone.as_e164 == "+14165550199"
    assert client.postal_code == "K1A0B1"
    assertContains(page_after(caseworker_client, response), message_html("The profile is updated."), html=True)


@pytest.mark.parametrize("section", ["primary", "contact", "identification", "language"])
def test_an_edit_saved_unchanged_says_nothing_was_changed(caseworker_client, caseworker, section):
    client = ClientFactory(registered_by=caseworker, city="Toronto", with_identifier=True)

    response = Editor(caseworker_client, client, section).save()

    assertRedirects(response, detail_url(client) + f"#section-{section}", fetch_redirect_response=False)
    page = page_after(caseworker_client, response)
    assertContains(page, message_html("Nothing was changed: the section is as it was.", "info"), html=True)
    assertNotContains(page, "The profile is updated.")


def test_it_shows_the_saved_values_in_the_section_form(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, city="Ottawa", postal_code="K1A0B1")

    response = caseworker_client.get(edit_url(client, "contact"))

    assert response.status_code == 200
    assert input_value(response, "city") == "Ottawa"
    assert input_value(response, "postal_code") == "K1A 0B1"


def test_it_records_who_changed_what_in_the_history(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)
    before = client.history.count()

    response = edit_post(caseworker_client, client, "contact", contact_data(caseworker, email="amara@example.com"))

    assert response.status_code == 302
    assert client.history.count() == before + 1
    latest, previous = client.history.all()[:2]
    assert latest.history_user == caseworker.user
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(previous).changes}
    assert changes["email"] == ("", "amara@example.com")


def test_it_records_the_editor_not_the_creator(coordinator_client, coordinator, caseworker):
    client = ClientFactory(registered_by=caseworker)

    response = edit_post(coordinator_client, client, "contact", contact_data(coordinator, city="Hamilton"))

    assert response.status_code == 302
    latest = client.history.first()
    assert latest.history_user == coordinator.user
    assert latest.city == "Hamilton"
    assert client.created_by == caseworker.user


@pytest.mark.parametrize("typed", ["12345", "K1A ０B1", "K1A ٠B١"], ids=["digits", "full-width-0", "arabic-indic"])
def test_it_rerenders_an_invalid_section_with_its_message_and_the_input(caseworker_client, caseworker, typed):
    """Digits of another script are not a postal code's, though localflavor's pattern (\\d) lets them through."""
    client = ClientFactory(registered_by=caseworker, city="Ottawa")
    before = client.history.count()

    response = edit_post(caseworker_client, client, "contact", contact_data(caseworker, postal_code=typed))

    assert response.status_code == 200
    message = "Postal code must look like A1A 1A1 (letters D, F, I, O, Q and U are never used)."
    assert form_errors(response, "contact") == {"postal_code": [message]}
    assert field_errors(response, "id_postal_code") == [message]
    assert input_value(response, "postal_code") == typed
    client.refresh_from_db()
    assert client.postal_code == "M5V2T6"
    assert client.history.count() == before


@pytest.mark.parametrize("field", ["first_name", "last_name", "gender", "date_of_birth"])
def test_it_keeps_the_green_rules_when_editing(caseworker_client, caseworker, field):
    client = ClientFactory(registered_by=caseworker)
    data = {**step_data("primary", staff=caseworker), field: ""}

    response = edit_post(caseworker_client, client, "primary", data)

    assert response.status_code == 200
    assert form_errors(response, "primary") == {field: [RULE_ERRORS_EDITING[field]]}
    client.refresh_from_db()
    assert getattr(client, field) not in (None, "")


def test_it_keeps_the_postal_code_green_when_editing(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)

    response = edit_post(caseworker_client, client, "contact", contact_data(caseworker, postal_code=""))

    assert response.status_code == 200
    assert form_errors(response, "contact") == {"postal_code": [RULE_ERRORS_EDITING["postal_code"]]}
    assert "fill it in to save the profile" in RULE_ERRORS_EDITING["postal_code"]
    client.refresh_from_db()
    assert client.postal_code == "M5V2T6"


def test_it_shows_icare_readiness_on_the_profile_after_an_edit(caseworker_client, caseworker):
    client = ClientFactory(
        registered_by=caseworker, research_consent=False, with_identifier=True, identifier__value="UCI-1"
    )
    before = caseworker_client.get(detail_url(client))
    assertContains(before, icare_badge_html(client, ["Preferred Official Language"]), count=1, html=True)
    assertNotContains(before, ICARE_READY, html=True)

    data = {**step_data("primary", staff=caseworker), "official_language": str(official_language("French").pk)}
    response = edit_post(caseworker_client, client, "primary", data)

    assert response.status_code == 302
    after = caseworker_client.get(detail_url(client))
    assertContains(after, ICARE_READY, count=1, html=True)
    assertNotContains(after, "Not ready for iCARE")


def test_it_refuses_a_foss_gcms_id_that_cannot_be_a_uci_on_the_profile_too(caseworker_client, caseworker, agency):
    client = ClientFactory(registered_by=caseworker, with_identifier=True, identifier__value="1234-5678")
    data = identifier_rows((foss_id_type(agency), "ABC")) | {"identifiers-INITIAL_FORMS": "0"}

    response = edit_post(caseworker_client, client, "identification", data)

    assert response.status_code == 200
    assert field_errors(response, "id_identifiers-0-value") == [
        "A FOSS/GCMS Client ID is IRCC's UCI: 8 digits (0000-0000) or 10 digits (00-0000-0000)."
    ]
    assert list(client.identifiers.values_list("value", flat=True)) == ["1234-5678"]


# Languages: a comment is written once


def test_it_never_changes_a_saved_language_comment(caseworker_client, caseworker):
    english = IcareValue.objects.of(IcareList.LANGUAGE).get(value="English")
    clb_5 = IcareValue.objects.of(IcareList.CLB_LISTENING).get(value="5")
    client = ClientFactory(registered_by=caseworker)
    row = ClientLanguage.objects.create(client=client, language=english, comments="Fluent at work")
    data = {
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "1",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "1000",
        "languages-0-id": str(row.pk),
        "languages-0-language": str(english.pk),
        "languages-0-comments": "Rewritten comment",
        "languages-0-listening": str(clb_5.pk),
        "languages-0-speaking": "",
        "languages-0-reading": "",
        "languages-0-writing": "",
        "housing_status": "",
    }

    response = edit_post(caseworker_client, client, "language", data)

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.comments == "Fluent at work"
    assert row.listening == clb_5


LANGUAGE_TWICE = "This language is already listed above: remove one of the two rows."


def language_rows(*rows: tuple[IcareValue, int | None]) -> dict:
    """The Language section's rows: each a language and the id of its saved row (None: a row added with [+])."""
    data = {
        "languages-TOTAL_FORMS": str(len(rows)),
        "languages-INITIAL_FORMS": str(sum(1 for _language, pk in rows if pk)),
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "1000",
        "housing_status": "",
    }
    for index, (language, pk) in enumerate(rows):
        data |= {f"languages-{index}-id": str(pk or ""), f"languages-{index}-language": str(language.pk)}
    return data


def test_it_refuses_a_language_the_client_already_has_beside_the_added_row(caseworker_client, caseworker):
    french = IcareValue.objects.of(IcareList.LANGUAGE).get(value="French")
    client = ClientFactory(registered_by=caseworker)
    row = ClientLanguage.objects.create(client=client, language=french)

    response = edit_post(caseworker_client, client, "language", language_rows((french, row.pk), (french, None)))

    assert response.status_code == 200
    assert field_errors(response, "id_languages-1-language") == [LANGUAGE_TWICE]
    assert field_errors(response, "id_languages-0-language") == []
    assert list(client.languages.values_list("pk", flat=True)) == [row.pk]


def test_a_language_removed_may_be_added_again_in_the_same_save(caseworker_client, caseworker):
    french = IcareValue.objects.of(IcareList.LANGUAGE).get(value="French")
    client = ClientFactory(registered_by=caseworker)
    row = ClientLanguage.objects.create(client=client, language=french)
    data = language_rows((french, row.pk), (french, None)) | {"languages-0-DELETE": "on"}

    response = edit_post(caseworker_client, client, "language", data)

    assert response.status_code == 302
    assert [language.language for language in client.languages.all()] == [french]
    assert not client.languages.filter(pk=row.pk).exists()


def test_it_shows_a_saved_language_comment_read_only(caseworker_client, caseworker):
    english = IcareValue.objects.of(IcareList.LANGUAGE).get(value="English")
    client = ClientFactory(registered_by=caseworker)
    ClientLanguage.objects.create(client=client, language=english, comments="Fluent at work")

    response = caseworker_client.get(edit_url(client, "language"))

    assert "disabled" in field_attributes(response, "languages-0-comments")
    assertContains(response, "Comments cannot be changed once saved.")


# Registration Date: only a coordinator or the creator may change it


def test_it_refuses_a_registration_date_change_by_another_caseworker(caseworker2_client, caseworker):
    client = ClientFactory(registered_by=caseworker, registration_date=timezone.localdate() - timedelta(days=10))
    earlier = (client.registration_date - timedelta(days=5)).isoformat()

    response = edit_post(caseworker2_client, client, "summary", summary_data(client, registration_date=earlier))

    assert response.status_code == 403
    client.refresh_from_db()
    assert client.registration_date == timezone.localdate() - timedelta(days=10)


def test_it_shows_the_registration_date_read_only_to_another_caseworker(caseworker2_client, caseworker):
    client = ClientFactory(registered_by=caseworker)

    response = caseworker2_client.get(edit_url(client, "summary"))

    assert "disabled" in field_attributes(response, "registration_date")
    assertContains(
        response, "Only an Agency Coordinator or the person who created the profile can change the Registration Date."
    )
    # It looks read-only: not a green field to fill, and without the "Required" marker.
    assertContains(
        response, '<label class="form-label" for="id_registration_date">Registration Date</label>', html=True
    )
    assert elements(response, "div", class_="mb-3 field-readonly")
    assert not [div for div in elements(response, "div", class_="field-ocms") if "registration_date" in str(div)]


def test_it_lets_another_caseworker_save_the_summary_without_changing_the_date(caseworker2_client, caseworker):
    client = ClientFactory(registered_by=caseworker, registration_date=timezone.localdate() - timedelta(days=10))

    response = edit_post(caseworker2_client, client, "summary", summary_data(client, comments="Prefers mornings"))

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.comments == "Prefers mornings"
    assert client.registration_date == timezone.localdate() - timedelta(days=10)


@pytest.mark.parametrize("editor", ["caseworker", "coordinator", "manager"])
def test_it_lets_the_creator_and_a_coordinator_change_the_registration_date(request, caseworker, editor):
    client = ClientFactory(registered_by=caseworker, registration_date=timezone.localdate() - timedelta(days=10))
    http = client_for(request.getfixturevalue(editor))
    earlier = timezone.localdate() - timedelta(days=15)

    response = edit_post(http, client, "summary", summary_data(client, registration_date=earlier.isoformat()))

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.registration_date == earlier


def test_it_refuses_a_registration_date_in_the_future(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = edit_post(caseworker_client, client, "summary", summary_data(client, registration_date=tomorrow))

    assert response.status_code == 200
    message = str(NotInFutureValidator.message)
    assert form_errors(response, "summary") == {"registration_date": [message]}
    assert field_errors(response, "id_registration_date") == [message]
    assert input_value(response, "registration_date") == tomorrow
    client.refresh_from_db()
    assert client.registration_date == timezone.localdate()


def test_a_registration_date_in_the_future_is_said_so_for_a_client_with_children(caseworker_client, caseworker):
    """The date's own check comes first: not a child's age group that a date years ahead would no longer fit."""
    client = ClientFactory(registered_by=caseworker)
    ChildFactory(
        client=client,
        date_of_birth=client.registration_date - timedelta(days=300),
        age_group=child_age_group("Infant"),
    )
    later = (timezone.localdate() + timedelta(days=4 * 365)).isoformat()

    response = edit_post(caseworker_client, client, "summary", summary_data(client, registration_date=later))

    assert response.status_code == 200
    assert form_errors(response, "summary") == {"registration_date": [str(NotInFutureValidator.message)]}


# The minor's consent, when editing


def test_it_requires_the_contacts_when_consent_becomes_required(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, consent_required=False)
    data = {**step_data("consent", staff=caseworker), "consent_required": "true"}

    response = edit_post(caseworker_client, client, "consent", data)

    assert response.status_code == 200
    for kind in ("guardian", "consenter", "emergency"):
        assert form_errors(response, kind) == {
            field: [RULE_ERRORS_EDITING[f"{kind}-{field}"]] for field in ("name", "relationship", "phone")
        }
    client.refresh_from_db()
    assert client.consent_required is False


def test_it_drops_the_contacts_requirement_when_consent_is_no_longer_required(caseworker_client, caseworker, agency):
    client = ClientFactory(registered_by=caseworker, consent_required=True)
    for kind in ("guardian", "consenter", "emergency"):
        ConsentContact.objects.create(
            client=client, kind=kind, name="Ngozi Okafor", relationship=relationship(agency), phone="4165550101"
        )
    data = {**step_data("consent", staff=caseworker), "consent_required": "false"}

    response = edit_post(caseworker_client, client, "consent", data)

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.consent_required is False
    assert not client.consent_contacts.exists()


def test_it_saves_the_contacts_of_a_minor(caseworker_client, caseworker, agency):
    client = ClientFactory(registered_by=caseworker, consent_required=False)
    mother = str(relationship(agency).pk)
    data = {
        **step_data("consent", staff=caseworker),
        "consent_required": "true",
        **contact_person("guardian", name="Ngozi Okafor", relationship=mother, phone="416-555-0101"),
        **contact_person("consenter", name="Ngozi Okafor", relationship=mother, phone="416-555-0101"),
        **contact_person("emergency", name="Chidi Okafor", relationship=mother, phone="416-555-0102"),
    }

    response = edit_post(caseworker_client, client, "consent", data)

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.consent_required is True
    assert client.consent_contacts.count() == 3


# Access


def test_it_answers_404_to_the_outsider(outsider_client, outsider, caseworker):
    client = ClientFactory(registered_by=caseworker, city="Ottawa")

    assert outsider_client.get(detail_url(client)).status_code == 404
    assert outsider_client.get(edit_url(client, "contact")).status_code == 404
    response = edit_post(outsider_client, client, "contact", contact_data(outsider, city="Harbourville"))

    assert response.status_code == 404
    client.refresh_from_db()
    assert client.city == "Ottawa"


@pytest.mark.parametrize("section", ["privacy", "nowhere"])
def test_it_answers_404_for_a_section_that_cannot_be_edited(caseworker_client, caseworker, section):
    client = ClientFactory(registered_by=caseworker)

    assert caseworker_client.get(edit_url(client, section)).status_code == 404


def test_it_links_each_section_of_the_profile_to_its_edit_page(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)

    response = caseworker_client.get(detail_url(client))

    for section in ("primary", "immigration", "identification", "contact", "consent", "summary"):
        assertContains(response, f'href="{edit_url(client, section)}"', msg_prefix=section)
