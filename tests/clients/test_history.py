"""A client's change history for managers: who changed which field, old → new, when."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import AgencyList, IcareList, IcareValue, Role
from clients.merge import clients_merge, merge_plan
from reports.models import IcareExport, IcareExportRow
from tests.clients.merge_helpers import an_export, client_with_rows
from tests.clients.pages import parsed, table_rows
from tests.clients.sensitive_helpers import (
    IDENTITIES,
    ILLNESSES,
    client_with_secrets,
    detail_url,
    is_not_cacheable,
    item,
    opened_version,
    update_url,
)
from tests.conftest import client_for
from tests.factories import PASSWORD, ClientFactory, IdentifierFactory, StaffFactory
from tests.registration.edit_pages import edit_post
from tests.wizard import contact_person, registered_client, step_data, walk

pytestmark = pytest.mark.django_db


def history_url(client) -> str:
    return reverse("clients:client-change-history", kwargs={"code": client.code})


def edit_url(client, section: str) -> str:
    return reverse("registration:section-edit", kwargs={"code": client.code, "section": section})


def rows(response) -> list[str]:
    """The history's rows, newest first, each as its text, on a page answered 200."""
    return [row.replace(" :", ":") for row in table_rows(parsed(response))]


def section_save(http, client, section: str, data: dict) -> None:
    """Save a section of the profile, as its edit page does: back to that section of the profile."""
    response = edit_post(http, client, section, data)

    assertRedirects(response, f"{detail_url(client)}#section-{section}", fetch_redirect_response=False)


@pytest.fixture
def edited(caseworker, caseworker_client, coordinator_client):
    """A client registered by the caseworker; the caseworker moves them to Ottawa, then the coordinator to Kingston."""
    client = ClientFactory(registered_by=caseworker, city="Toronto")
    for http, city in ((caseworker_client, "Ottawa"), (coordinator_client, "Kingston")):
        section_save(http, client, "contact", {**step_data("contact", staff=caseworker), "city": city})
    return client


def test_it_shows_a_manager_who_changed_which_field_old_to_new(manager_client, edited, caseworker, coordinator):
    response = manager_client.get(history_url(edited))

    listed = rows(response)
    assert f"{coordinator.display_name} Profile Changed City: Ottawa → Kingston" in listed[0]
    assert f"{caseworker.display_name} Profile Changed City: Toronto → Ottawa" in listed[1]
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} ", listed[0])
    assert is_not_cacheable(response)


def test_it_lists_only_saves_that_changed_something(manager_client, caseworker, caseworker_client):
    client = ClientFactory(registered_by=caseworker, city="Toronto")
    section_save(caseworker_client, client, "contact", {**step_data("contact", staff=caseworker), "city": "Toronto"})

    listed = rows(manager_client.get(history_url(client)))

    assert len(listed) == 1
    assert "Registered" in listed[0]


def test_a_registration_is_one_entry_and_a_blank_part_is_not_an_addition(
    manager_client, caseworker, caseworker_client, agency
):
    referral = IcareValue.objects.of(IcareList.REFERRAL_SOURCE).order_by("pk").first()
    emergency = contact_person("emergency", name="Jean Roy", phone="416-555-0111")
    _code, response = walk(
        caseworker_client, caseworker, {"consent": {"referral_sources": [str(referral.pk)], **emergency}}
    )
    client = registered_client(response)

    listed = rows(manager_client.get(history_url(client)))

    # Registered with the values the profile shows, its list of referral sources among them: not named one by one as
    # if it were all that was entered; no Sensitive Information was typed, so none was added.
    registration = next(row for row in listed if "Registered" in row)
    assert registration.endswith(f"{caseworker.display_name} Profile Registered")
    assert not any("Sensitive Information" in row for row in listed)
    contact = next(row for row in listed if "Added: Emergency Contact: Jean Roy" in row)
    assert "Contact type: — → Emergency Contact" in contact


def test_the_history_in_french_writes_a_label_and_its_value_as_french_does(manager, caseworker, caseworker_client):
    emergency = contact_person("emergency", name="Jean Roy", phone="416-555-0111")
    _code, response = walk(caseworker_client, caseworker, {"consent": emergency})
    client = registered_client(response)
    http = client_for(manager)
    http.post(reverse("set_language"), {"language": "fr"})

    page = http.get(history_url(client))

    assert page.status_code == 200
    text = " ".join(table_rows(parsed(page)))
    assert "Ajout : Personne à joindre en cas d'urgence : Jean Roy" in text
    assert "Type de contact : — → Personne à joindre en cas d'urgence" in text


def test_it_shows_a_changed_list_value_by_its_label(manager_client, caseworker, caseworker_client, agency):
    client = ClientFactory(registered_by=caseworker)
    data = {**step_data("primary", staff=caseworker), "gender": str(item(agency, AgencyList.GENDER, "Male").pk)}
    section_save(caseworker_client, client, "primary", data)

    assert "Gender: Female → Male" in rows(manager_client.get(history_url(client)))[0]


def test_it_shows_a_phone_number_and_a_postal_code_as_the_profile_writes_them(
    manager_client, caseworker, caseworker_client
):
    client = ClientFactory(registered_by=caseworker, phone="+14165550100", postal_code="M5V2T6")
    data = {**step_data("contact", staff=caseworker), "phone": "613-555-0199", "postal_code": "K1A 0B1"}
    section_save(caseworker_client, client, "contact", data)

    changed = rows(manager_client.get(history_url(client)))[0]
    assert "Telephone Number: (416) 555-0100 → (613) 555-0199" in changed
    assert "Postal Code: M5V 2T6 → K1A 0B1" in changed


def test_it_shows_a_list_value_chosen_where_none_was_and_cleared_again(
    manager_client, caseworker, caseworker_client, agency
):
    client = ClientFactory(registered_by=caseworker)
    data = step_data("primary", staff=caseworker)
    section_save(caseworker_client, client, "primary", {**data, "marital_status": "", "official_language": ""})
    english = IcareValue.objects.get(list=IcareList.OFFICIAL_LANGUAGE, value="English")
    section_save(caseworker_client, client, "primary", {**data, "official_language": str(english.pk)})
    section_save(caseworker_client, client, "primary", {**data, "official_language": ""})

    listed = rows(manager_client.get(history_url(client)))

    # The two saves, a moment apart by one person, are listed as one change.
    assert "Preferred Official Language: — → English Preferred Official Language: English → —" in listed[0]
    assert not any("Deleted" in row or "pk=" in row for row in listed)


def test_it_shows_the_parts_of_a_profile_added_and_removed(manager_client, caseworker, agency):
    client = ClientFactory(registered_by=caseworker)
    IdentifierFactory(client=client, value="1234-5678").delete()

    listed = rows(manager_client.get(history_url(client)))

    assert "Identification Documents Removed: FOSS/GCMS Client ID: 1234-5678" in listed[0]
    assert "Identification Documents Added: FOSS/GCMS Client ID: 1234-5678" in listed[1]
    assert "Identifier Value: — → 1234-5678" in listed[1]


def test_it_names_changed_sensitive_fields_without_their_values(manager_client, caseworker_client, caseworker, agency):
    client = client_with_secrets(caseworker)
    data = {
        "password": PASSWORD,
        "opened_version": opened_version(client),
        "illnesses": "Hypertension",
        "health_insurance_status": "",
        "family_income": "",
    }
    assertRedirects(caseworker_client.post(update_url(client), data), f"{detail_url(client)}#section-sensitive-info")

    response = manager_client.get(history_url(client))

    # Self-Identity was left with nothing ticked: its links change just after the row, in the same save.
    assert rows(response)[0].endswith(
        "Sensitive Information Changed Health Insurance Status (value hidden) Illnesses (value hidden) "
        "Family Income (value hidden) Self-Identity (value hidden)"
    )
    for secret in ("Hypertension", ILLNESSES, "Interim Federal Health Program", "$20,000 to $39,999", *IDENTITIES):
        assertNotContains(response, secret)


def test_it_names_a_changed_self_identity_without_its_values(manager_client, caseworker_client, caseworker, agency):
    client = client_with_secrets(caseworker)
    info = client.sensitive
    data = {
        "password": PASSWORD,
        "opened_version": opened_version(client),
        "illnesses": info.illnesses,
        "health_insurance_status": str(info.health_insurance_status_id),
        "family_income": str(info.family_income_id),
        "self_identity": [str(item(agency, AgencyList.SELF_IDENTITY, IDENTITIES[0]).pk)],
    }
    assertRedirects(caseworker_client.post(update_url(client), data), f"{detail_url(client)}#section-sensitive-info")

    response = manager_client.get(history_url(client))

    assert rows(response)[0].endswith("Sensitive Information Changed Self-Identity (value hidden)")
    for secret in IDENTITIES:
        assertNotContains(response, secret)


def test_it_shows_changed_referral_sources_by_their_labels(manager_client, caseworker, caseworker_client):
    client = ClientFactory(registered_by=caseworker)
    sources = IcareValue.objects.of(IcareList.REFERRAL_SOURCE)
    family, school = sources.get(value="Family / friends"), sources.get(value="School")
    client.referral_sources.set([family])
    data = {**step_data("consent", staff=caseworker), "referral_sources": [str(school.pk), str(family.pk)]}
    section_save(caseworker_client, client, "consent", data)

    listed = rows(manager_client.get(history_url(client)))

    assert f"{caseworker.display_name} Profile Changed Learned about Program: Family / friends → " in listed[0]
    assert listed[0].endswith("Family / friends; School")


def test_it_names_a_merged_icare_export_row_by_its_file_at_local_time_as_the_merge_record_does(
    manager_client, coordinator
):
    export = an_export(coordinator)
    IcareExport.objects.filter(pk=export.pk).update(created_at=datetime(2026, 12, 8, 3, 4, tzinfo=UTC))
    survivor = client_with_rows(coordinator, ("icare_row",), 0, export, first_name="Amara")  # exported
    other = client_with_rows(coordinator, ("icare_row",), 1, export, first_name="Amarah")  # accepted
    (clash,) = merge_plan(survivor=survivor, other=other).clashes
    status = clash.choice_name(IcareExportRow._meta.get_field("status"))
    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user, choices={status: "other"})
    record_url = reverse("clients:merge-detail", kwargs={"code": merge.code})

    for language, named, values in (
        # 03:04 UTC, in Toronto
        ("en", "iCARE export rows: iCARE file made 2026-12-07 22:04: Status", "Exported → Accepted by iCARE"),
        (
            "fr",
            "Lignes d'exportation iCARE : Fichier iCARE créé le 2026-12-07 22:04 : Statut",
            "Exporté → Accepté par iCARE",
        ),
    ):
        manager_client.post(reverse("set_language"), {"language": language})
        listed = rows(manager_client.get(history_url(survivor)))
        record = manager_client.get(record_url)

        assert f"{named}: {values}".replace(" :", ":") in listed[0]  # as rows() reads it
        assertContains(record, f'<th scope="row" class="fw-normal">{named}</th>', html=True)


def test_it_links_the_profile_to_the_history_for_managers_only(manager_client, caseworker_client, edited):
    link = f'<a class="btn btn-sm btn-outline-secondary" href="{history_url(edited)}">Change History</a>'

    assertContains(manager_client.get(detail_url(edited)), link, html=True)
    assertNotContains(caseworker_client.get(detail_url(edited)), f'href="{history_url(edited)}"')


@pytest.mark.parametrize("persona", ["caseworker", "caseworker2", "coordinator"])
def test_it_refuses_the_history_to_anyone_but_a_manager(request, persona, edited):
    http = client_for(request.getfixturevalue(persona))

    assert http.get(history_url(edited)).status_code == 403


def test_it_answers_404_to_the_outsider(outsider, edited):
    assert client_for(outsider).get(history_url(edited)).status_code == 404


def test_it_answers_404_to_a_manager_of_another_agency(other_agency, edited):
    other_manager = StaffFactory(agency=other_agency, role=Role.MANAGER, user__username="harbour-manager")

    assert client_for(other_manager).get(history_url(edited)).status_code == 404
