"""A family registered in one sitting, in a real browser: the principal client with a new family code, then
two members through Register Another Family Member, typing only what differs (first name, gender, date of
birth, an identifier); the copied values are on screen, each profile lists the rest of the family, and the
dashboard passes axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from clients.models import Client
from clients.models.family import family_code_is_valid
from tests.browser.pages import (
    STEPS_AFTER_CONTACT,
    assert_accessible,
    confirm_privacy,
    fill_primary,
    named_client_started,
    press_next,
)
from tests.factories import samir_haddad

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BADGE = "Copied from the family member"


def field(page: Page, label: str):
    """The block of one field: its label, input, messages and badges."""
    return page.locator("div.mb-3").filter(has=page.get_by_label(re.compile("^" + re.escape(label)))).last


def expect_copied(page: Page, label: str, value: str) -> None:
    expect(page.get_by_label(label, exact=False).first).to_have_value(value)
    expect(field(page, label).get_by_text(BADGE)).to_be_visible()


def type_identifier(page: Page, value: str) -> None:
    page.get_by_label("Client Identifier", exact=False).first.select_option(label="FOSS/GCMS Client ID")
    page.get_by_label("Identifier Value", exact=False).first.fill(value)


def finish_and_register(page: Page, *, no_duplicate: bool = False) -> None:
    for heading in STEPS_AFTER_CONTACT:
        press_next(page, heading)
    if no_duplicate:
        # The relative whose telephone and email were copied is not offered as a possible duplicate.
        expect(page.get_by_role("heading", name="Potential duplicate identities")).to_have_count(0)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Next Steps")


def register_member(page: Page, first: str, gender: str, born: str, identifier: str, code: str) -> None:
    """Register Another Family Member, typing only what differs, and checking what was copied."""
    page.get_by_role("button", name="Register Another Family Member").click()
    # What to copy: each of the relative's values, ticked since the new client has none of them yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Register Another Family Member")
    expect(page.get_by_role("checkbox", name="Last Name: Haddad")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Email: haddad.family@example.com")).to_be_checked()
    assert_accessible(page, f"{first.lower()}-copy")
    page.get_by_role("button", name="Copy the ticked values").click()
    confirm_privacy(page)

    expect_copied(page, "Last Name", "Haddad")
    expect_copied(page, "Family Code", code)
    expect(page.get_by_label("Preferred Official Language", exact=False).locator("option:checked")).to_have_text(
        "French"
    )
    expect(field(page, "Preferred Official Language").get_by_text(BADGE)).to_be_visible()
    for label in ("First Name", "Date of Birth", "Preferred Name"):
        expect(page.get_by_label(label, exact=False)).to_have_value("")
        expect(field(page, label).get_by_text(BADGE)).to_have_count(0)
    page.get_by_label("First Name", exact=False).fill(first)
    page.get_by_label("Gender", exact=False).select_option(label=gender)
    page.get_by_label("Date of Birth", exact=False).fill(born)
    press_next(page, "Immigration Related")

    expect_copied(page, "Landing Date", "2019-06-01")
    expect_copied(page, "Arrival Date", "2019-06-02")
    expect(page.get_by_label("Country of Origin")).to_have_value("SY")
    expect(field(page, "Country of Origin").get_by_text(BADGE)).to_be_visible()
    expect(page.get_by_label("Initial Destination")).to_have_value("")
    press_next(page, "Identification Documents")

    expect(page.get_by_label("Identifier Value", exact=False).first).to_have_value("")
    type_identifier(page, identifier)
    press_next(page, "About Your Client (Contact Information)")

    expect_copied(page, "Email", "haddad.family@example.com")
    expect_copied(page, "Telephone Number", "(416) 555-0142")
    expect_copied(page, "Street Name", "Bloor")
    expect_copied(page, "City", "Toronto")
    expect_copied(page, "Postal Code", "M5S 1X5")
    expect(page.get_by_label("Province", exact=False).locator("option:checked")).to_have_text("Ontario")
    assert_accessible(page, f"{first.lower()}-contact-copied")
    finish_and_register(page, no_duplicate=True)


def expect_family_table(page: Page, live_server, client: Client, others: list[Client]) -> None:
    """The client's profile lists every other member with number, date of birth, Profile and Dashboard links."""
    page.goto(f"{live_server.url}/clients/{client.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(client.display_name)
    members = page.get_by_role("region", name="Family Members", exact=True)
    rows = members.get_by_role("row")
    expect(rows).to_have_count(len(others) + 1)  # the header row, then one row per other member
    for other in others:
        row = rows.filter(has_text=other.display_name)
        expect(row).to_contain_text(str(other.number))
        expect(row).to_contain_text(other.date_of_birth.isoformat())
        expect(row.get_by_role("link", name=f"Profile {other.display_name}")).to_have_attribute(
            "href", f"/clients/{other.code}/"
        )
        expect(row.get_by_role("link", name=f"Dashboard {other.display_name}")).to_have_attribute(
            "href", f"/clients/{other.code}/dashboard/"
        )
    expect(members).not_to_contain_text(str(client.number))


def test_a_family_of_three_is_registered_in_one_sitting(live_server, page: Page, caseworker):
    named_client_started(page, live_server)

    # The principal client, with a new family code.
    fill_primary(page, "Samir", "Haddad", "Male", "1979-02-03")
    page.get_by_label("Preferred Name").fill("Sam")
    page.get_by_role("button", name="New", exact=True).click()
    family_code = page.get_by_label("Family Code")
    expect(family_code).to_have_value(re.compile(r"^F-\d{4}-[A-Z]$"))
    code = family_code.input_value()
    assert family_code_is_valid(code)
    page.get_by_label("Preferred Official Language", exact=False).select_option(label="French")
    assert_accessible(page, "principal-primary")
    press_next(page, "Immigration Related")
    page.get_by_label("Landing Date").fill("2019-06-01")
    page.get_by_label("Arrival Date").fill("2019-06-02")
    page.get_by_label("Initial Destination").fill("Montréal")
    page.get_by_label("Country of Origin").select_option(label="Syria")
    press_next(page, "Identification Documents")
    type_identifier(page, "1111-2222")
    press_next(page, "About Your Client (Contact Information)")
    page.get_by_label(re.compile(r"^Email")).fill("haddad.family@example.com")
    page.get_by_label("Telephone Number", exact=False).fill("416-555-0142")
    page.get_by_label("Street Number", exact=False).fill("120")
    page.get_by_label("Street Name", exact=False).fill("Bloor")
    page.get_by_label("City", exact=False).fill("Toronto")
    page.get_by_label("Province", exact=False).select_option(label="Ontario")
    page.get_by_label("Postal Code", exact=False).fill("m5s 1x5")
    finish_and_register(page)

    samir = Client.objects.get(first_name="Samir")
    expect(page.get_by_text(f"Family Code {code}")).to_be_visible()
    assert_accessible(page, "principal-next-steps")

    # Two members, each from the Next Steps of the one registered before.
    register_member(page, "Leila", "Female", "2008-09-10", "3333-4444", code)
    leila = Client.objects.get(first_name="Leila")
    family_table = page.get_by_role("table").filter(has_text="Leila Haddad")
    expect(family_table).to_contain_text(f"Samir Haddad{samir.number}")
    expect(family_table).to_contain_text(f"Leila Haddad{leila.number}")
    assert_accessible(page, "member-next-steps")

    register_member(page, "Yusuf", "Male", "2015-01-20", "5555-6666", code)
    yusuf = Client.objects.get(first_name="Yusuf")
    for member in (samir, leila, yusuf):
        expect(page.get_by_role("table")).to_contain_text(f"{member.display_name}{member.number}")

    # Each profile lists the rest of the family.
    expect_family_table(page, live_server, samir, [leila, yusuf])
    expect_family_table(page, live_server, leila, [samir, yusuf])
    expect_family_table(page, live_server, yusuf, [samir, leila])
    assert_accessible(page, "member-profile")

    # The dashboard, reached from the family table.
    family_members = page.get_by_role("region", name="Family Members", exact=True)
    family_members.get_by_role("link", name="Dashboard Samir Haddad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samir Haddad")
    expect(page.get_by_text(f"Client number {samir.number}")).to_be_visible()
    members = page.locator(".card").filter(has=page.get_by_role("heading", name="Family Members"))
    expect(members.get_by_role("link", name="Leila Haddad")).to_be_visible()
    expect(members.get_by_role("link", name="Yusuf Haddad")).to_be_visible()
    for button in ("Edit Profile", "Begin Session", "Print the Registration Receipt"):
        expect(page.get_by_role("link", name=button)).to_be_visible()
    expect(page.get_by_role("button", name="Create New Family Member")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollHeight") <= page.viewport_size["height"], "fits one screen"
    assert_accessible(page, "dashboard")

    # What was typed and what was copied, in the database.
    samir.refresh_from_db()
    assert {m.family for m in (samir, leila, yusuf)} == {samir.family}
    assert samir.family.code == code
    for member in (leila, yusuf):
        member.refresh_from_db()
        assert (member.last_name, member.postal_code, member.email, member.city) == (
            "Haddad",
            "M5S1X5",
            "haddad.family@example.com",
            "Toronto",
        )
        assert member.official_language == samir.official_language
        assert member.landing_date == samir.landing_date
        assert member.country_of_origin == "SY"
        assert member.preferred_name == ""
        assert member.initial_destination == ""
        assert member.identifiers.count() == 1
    assert leila.identifiers.get().value == "3333-4444"


def start_primary(page: Page, live_server) -> None:
    named_client_started(page, live_server)
    fill_primary(page, "Leila", "Nasser", "Female", "2008-09-10")


def test_joining_a_family_through_find_offers_what_to_copy_and_keeps_what_was_typed(
    live_server, page: Page, caseworker
):
    relative = samir_haddad(caseworker)
    start_primary(page, live_server)

    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_label("Find the client's relative").fill("Haddad")
    page.get_by_label("Find the client's relative").press("Enter")
    page.get_by_role("button", name="Find", exact=True).last.click()
    page.get_by_role("radio", name=re.compile("Samir Haddad")).check()
    page.get_by_role("button", name="Select Family").click()

    offer = page.get_by_role("group", name=f"Copy from Samir Haddad (client {relative.number})")
    expect(offer.get_by_role("checkbox", name="Last Name: Haddad (already filled in)")).not_to_be_checked()
    expect(offer.get_by_role("checkbox", name="Preferred Official Language: French")).to_be_checked()
    expect(offer.get_by_role("checkbox", name="Landing Date: 2019-06-01")).to_be_checked()
    offer.get_by_role("checkbox", name="Arrival Date: 2019-06-02").uncheck()
    assert_accessible(page, "family-find-offer")
    offer.get_by_role("button", name="Copy the ticked values").click()

    # Back on the step: what was typed is kept, what was ticked is copied and marked.
    expect(page.get_by_label("Last Name", exact=False)).to_have_value("Nasser")
    expect(page.get_by_label("First Name", exact=False)).to_have_value("Leila")
    expect_copied(page, "Family Code", relative.family.code)
    expect(field(page, "Preferred Official Language").get_by_text(BADGE)).to_be_visible()
    press_next(page, "Immigration Related")
    expect_copied(page, "Landing Date", "2019-06-01")
    expect(page.get_by_label("Arrival Date")).to_have_value("")
    press_next(page, "Identification Documents")
    press_next(page, "About Your Client (Contact Information)")
    expect_copied(page, "Email", "haddad.family@example.com")


def test_a_family_code_typed_offers_what_to_copy_from_the_family(live_server, page: Page, caseworker):
    relative = samir_haddad(caseworker)
    start_primary(page, live_server)

    page.get_by_label("Family Code").fill(relative.family.code)
    page.get_by_label("Family Code").press("Tab")

    expect(page.get_by_text(f"This is the family code of Samir Haddad ({relative.number}).")).to_be_visible()
    offer = page.get_by_role("group", name=f"Copy from Samir Haddad (client {relative.number})")
    expect(offer.get_by_role("checkbox", name="Postal Code: M5S 1X5")).to_be_checked()
    offer.get_by_role("button", name="Copy the ticked values").click()
    expect(page.get_by_label("Family Code")).to_have_value(relative.family.code)
    press_next(page, "Immigration Related")
    expect_copied(page, "Arrival Date", "2019-06-02")
