"""A save changes only what its form shows: every section edit of a client with every field and every kind of row
filled, saved as it opens, changes no value, blanks nothing the page does not show (the duplicate reason among
them), and writes no change-history record."""

from datetime import date, timedelta

import pytest
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from agencies.models import IcareList, IcareValue, Occupation
from clients.history import PARTS, client_changes
from clients.models import Client, ConsentContact
from clients.sections import EDITABLE_SECTIONS, SectionName
from registration.services import client_values
from tests.factories import ClientFactory
from tests.registration.edit_pages import Editor, detail_url, edit_url
from tests.wizard import foss_id_type

pytestmark = pytest.mark.django_db

# What a caseworker types in the text fields, by name; a drop-down takes its first choice, a box is ticked.
TYPED = {
    "preferred_name": "Mara",
    "family_code": "",
    "landing_date": "2018-05-02",
    "arrival_date": "2018-05-01",
    "reentry_date": "2019-01-15",
    "initial_destination": "Toronto",
    "first_visit_date": "2019-02-01",
    "arrival_year": "2018",
    "email": "amara@example.com",
    "phone": "416-555-0101",
    "phone_alt1": "416-555-0102",
    "phone_alt2": "416-555-0103",
    "street_number": "120",
    "street_name": "Queen",
    "unit": "4",
    "city": "Toronto",
    "postal_code": "M5V 2T6",
    "professional_background": "Nurse for ten years",
    "comments": "Prefers mornings.",
    "guardian-name": "Ngozi Okafor",
    "guardian-phone": "416-555-0104",
    "guardian-email": "ngozi@example.com",
    "consenter-name": "Ngozi Okafor",
    "consenter-phone": "416-555-0104",
    "consenter-email": "ngozi@example.com",
    "emergency-name": "Chidi Okafor",
    "emergency-phone": "416-555-0105",
    "emergency-email": "chidi@example.com",
    "identifiers-0-value": "1234-5678",
    "languages-0-comments": "Fluent at work",
    "certificates-0-institution": "University of Lagos",
    "certificates-0-year": "2012",
    # An Infant (the first age group offered) on the registration date, today.
    "children-0-date_of_birth": (timezone.localdate() - timedelta(days=365)).isoformat(),
}
# Single choices left as they are: they decide what else the section asks.
KEPT = {"privacy_confirmed", "research_consent", "contact_consent", "picture_consent", "consent_required"}


def history_size(client: Client) -> int:
    """Every change-history record of the client and of its parts."""
    records = client.history.count()
    for model, _title in PARTS:
        records += model.history.filter(client_id=client.pk).count() if hasattr(model, "history") else 0
    return records


def rows_of(client: Client) -> dict[str, list]:
    """The client's rows, each as its values."""

    def values(row: Model) -> tuple:
        return tuple(getattr(row, field.attname) for field in row._meta.concrete_fields if field.name != "id")

    return {
        "identifiers": sorted(map(values, client.identifiers.all())),
        "languages": sorted(map(values, client.languages.all())),
        "certificates": sorted(map(values, client.certificates.all())),
        "children": sorted(map(values, client.children.all())),
        "contacts": sorted(map(values, ConsentContact.objects.filter(client=client))),
        "programs": sorted(map(values, client.program_statuses.all())),
        "referral_sources": sorted(client.referral_sources.values_list("pk", flat=True)),
    }


def fill_in(editor: Editor, page_options: dict[str, list[str]]) -> None:
    for name, options in page_options.items():
        if name in TYPED:
            editor.type(**{name: TYPED[name]})
        elif options and name not in KEPT and not name.endswith("-DELETE") and not editor.data.get(name, [""])[0]:
            editor.type(**{name: options[0]})


@pytest.fixture
def full_client(caseworker_client, caseworker) -> Client:
    """A client with every section filled in through its edit page, rows of every kind included."""
    client = ClientFactory(
        registered_by=caseworker,
        consent_required=True,
        research_consent=True,
        date_of_birth=date(1990, 4, 12),
        duplicate_reason="Different person: another date of birth",
        contact_consent=True,
        picture_consent=True,
        # On no edit page of a named client (the anonymous form's), or on a page of its own: kept by every save.
        arrival_year=2018,
        current_profession=Occupation.objects.order_by("code").first(),
        desired_profession=Occupation.objects.order_by("code").last(),
    )
    # The Sensitive Information itself has its own unlocked page (tests/clients/test_sensitive.py); this section's
    # edit is its Volunteer part: status, stream, type and each program's volunteer status.
    for section in EDITABLE_SECTIONS:
        editor = Editor(caseworker_client, client, section)
        if section == SectionName.CONSENT:
            editor.type(**{"children-TOTAL_FORMS": "1", "children-0-name": "Tobi"})
        if section == SectionName.EMPLOYMENT:
            editor.type(
                **{
                    "certificates-TOTAL_FORMS": "1",
                    "certificates-0-institution": "University of Lagos",
                    "certificates-0-year": "2012",
                    "certificates-0-country": "NG",
                }
            )
        # A row added with [+] shows its drop-downs once the page comes back: filled in then.
        for _attempt in range(2):
            fill_in(editor, editor.options)
            if section == SectionName.CONTACT:  # the province of its postal code, not the list's first
                editor.type(province=str(IcareValue.objects.of(IcareList.PROVINCE).get(value="Ontario").pk))
            response = editor.save()
            if response.status_code == 302:
                break
        assert response.status_code == 302, (section, editor_errors(response))
    client.refresh_from_db()
    return client


def editor_errors(response) -> dict:
    section = response.context["section"]
    errors = {name: form.errors for name, form in section.forms.items() if form.errors}
    errors |= {name: formset.errors for name, formset in section.formsets.items() if any(formset.errors)}
    return errors


def test_the_client_is_filled_in_everywhere(full_client):
    empty = [name for name, value in client_values(full_client).items() if value in (None, "")]

    assert set(empty) <= {"family_id", "registered_from", "merged_into_id"}, empty
    assert full_client.duplicate_reason and full_client.arrival_year == 2018
    assert all((full_client.volunteer_status, full_client.volunteer_stream, full_client.volunteer_type))
    rows = rows_of(full_client)
    assert all(rows[kind] for kind in ("identifiers", "languages", "certificates", "children", "contacts")), rows
    assert all(program.volunteer_status for program in full_client.program_statuses.all())
    assert all(child.date_of_birth for child in full_client.children.all())


@pytest.mark.parametrize("section", EDITABLE_SECTIONS)
def test_a_section_saved_as_it_opens_changes_nothing_and_records_nothing(caseworker_client, full_client, section):
    values, rows = client_values(full_client), rows_of(full_client)
    records, changes = history_size(full_client), len(client_changes(full_client))

    response = Editor(caseworker_client, full_client, section).save()

    assert response.status_code == 302
    assert response.url == detail_url(full_client) + f"#section-{section}"
    full_client.refresh_from_db()
    assert client_values(full_client) == values
    assert rows_of(full_client) == rows
    assert full_client.duplicate_reason == "Different person: another date of birth"
    assert history_size(full_client) == records
    assert len(client_changes(full_client)) == changes


@pytest.mark.parametrize("section", [SectionName.IDENTIFICATION, SectionName.SENSITIVE])
def test_a_program_table_saved_as_shown_adds_no_row_for_a_program_the_client_has_none_for(
    caseworker_client, caseworker, section
):
    """A client registered before the agency added its programs (or loaded without rows): the table shows each
    program as New Client, and saving the section as it opens records nothing."""
    client = ClientFactory(registered_by=caseworker)
    client.program_statuses.all().delete()
    changes = len(client_changes(client))

    assert Editor(caseworker_client, client, section).save().status_code == 302

    assert not client.program_statuses.exists()
    assert len(client_changes(client)) == changes


# The duplicate reason, part of the record


REASON = "Reason for registering despite a possible duplicate"


def test_the_duplicate_reason_shows_on_the_profile_and_the_dashboard(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, duplicate_reason="Twin of client 1000004")

    profile = caseworker_client.get(detail_url(client))
    dashboard = caseworker_client.get(reverse("clients:client-dashboard", kwargs={"code": client.code}))

    assertContains(
        profile, f'<dt class="col-sm-4">{REASON}</dt><dd class="col-sm-8">Twin of client 1000004</dd>', html=True
    )
    assertContains(
        dashboard,
        f'<p class="alert alert-secondary py-2" role="note"><strong>{REASON}:</strong> Twin of client 1000004</p>',
        html=True,
    )


def test_the_duplicate_reason_is_edited_on_the_summary_and_kept_in_the_change_history(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, duplicate_reason="Different person")
    editor = Editor(caseworker_client, client, SectionName.SUMMARY)
    assert editor.data["duplicate_reason"] == ["Different person"]

    assert editor.type(duplicate_reason="Different person: born in 1991, not 1990").save().status_code == 302

    client.refresh_from_db()
    assert client.duplicate_reason == "Different person: born in 1991, not 1990"
    fields = [field for change in client_changes(client) for field in change.fields]
    assert (REASON, "Different person", "Different person: born in 1991, not 1990") in [
        (field.label, field.old, field.new) for field in fields
    ]


def test_the_summary_offers_the_reason_to_a_client_with_a_possible_duplicate_and_none_recorded(
    caseworker_client, caseworker
):
    ClientFactory(registered_by=caseworker, first_name="Amara", last_name="Okafor", date_of_birth=date(1990, 4, 12))
    client = ClientFactory(registered_by=caseworker, first_name="Amarah", last_name="Okafor")

    page = caseworker_client.get(edit_url(client, SectionName.SUMMARY))

    assertContains(page, "Potential duplicate identities")
    assertContains(page, REASON)
    editor = Editor(caseworker_client, client, SectionName.SUMMARY)
    assert editor.type(duplicate_reason="Cousins, born the same day").save().status_code == 302
    client.refresh_from_db()
    assert client.duplicate_reason == "Cousins, born the same day"


def test_the_summary_offers_no_reason_without_a_possible_duplicate(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)

    page = caseworker_client.get(edit_url(client, SectionName.SUMMARY))

    assertNotContains(page, REASON, status_code=200)


def test_an_identification_save_shows_the_clients_already_holding_the_identifier(caseworker_client, caseworker):
    holder = ClientFactory(
        registered_by=caseworker,
        first_name="Bilal",
        last_name="Haddad",
        with_identifier=True,
        identifier__value="1111-2222",
    )
    client = ClientFactory(registered_by=caseworker)
    editor = Editor(caseworker_client, client, SectionName.IDENTIFICATION)
    editor.type(
        **{"identifiers-0-identifier_type": str(foss_id_type(caseworker.agency).pk), "identifiers-0-value": "11112222"}
    )

    response = editor.save()

    assert response.status_code == 302
    page = caseworker_client.get(response.url)
    assertContains(page, "Bilal Haddad")
    assertContains(page, f"client {holder.number}")
    assertContains(page, f'href="{detail_url(holder)}"')
