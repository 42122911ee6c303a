"""Register New Client in a real browser, as a caseworker does it: every field found by its visible label,
and axe-core run on every page of the way."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import Client
from registration.models import Draft
from tests.browser.pages import STEPS_AFTER_CONTACT, assert_accessible, fill_primary, press_next, shot
from tests.conftest import browser_login
from tests.factories import PASSWORD, ClientFactory, IdentifierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_register_new_client(page: Page, live_server) -> None:
    browser_login(page, live_server, "casey")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Register New Client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register New Client")
    expect(page.get_by_role("heading", name="Client Type")).to_be_visible()


def start_named_client(page: Page, live_server) -> None:
    open_register_new_client(page, live_server)
    choose_named_client(page)


def choose_named_client(page: Page) -> None:
    page.get_by_role("button", name="Named Client").click()
    expect(page.get_by_role("heading", name="Privacy/Confidentiality Statement")).to_be_visible()


def confirm_privacy(page: Page) -> None:
    page.get_by_label(re.compile(r"read and understood your agency's Privacy")).select_option(label="Yes")


def fill_green_primary(page: Page, first: str = "Amina", last: str = "Haddad") -> None:
    fill_primary(page, first, last, "Female", "1988-04-12")


def test_it_registers_a_named_client_with_every_section_filled(live_server, page: Page, caseworker):
    open_register_new_client(page, live_server)
    assert_accessible(page, "start")
    choose_named_client(page)
    assert_accessible(page, "privacy")
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")

    # About Your Client (Primary Information)
    assert_accessible(page, "primary")
    fill_green_primary(page)
    page.get_by_label("Preferred Name").fill("Mina")
    page.get_by_label("Marital Status").select_option(label="Married")
    page.get_by_role("button", name="New", exact=True).click()
    family_code = page.get_by_label("Family Code")
    expect(family_code).to_have_value(re.compile(r"^F-\d{4,6}-[A-Z]$"))
    code = family_code.input_value()
    # The new code has focus, and is said in the field's status region.
    expect(family_code).to_be_focused()
    expect(page.locator("#family-code-field").get_by_role("status")).to_have_text(f"New family code: {code}.")
    page.get_by_label("Preferred Official Language", exact=False).select_option(label="French")
    shot(page, "primary-filled")
    press_next(page, "Immigration Related")

    # Immigration Related
    assert_accessible(page, "immigration")
    expect(page.get_by_text("Maple Test Agency").last).to_be_visible()
    page.get_by_label("Landing Date").fill("2019-06-01")
    page.get_by_label("Arrival Date").fill("2019-06-01")
    page.get_by_label("Re-Entry Date").fill("2022-01-10")
    page.get_by_label("Initial Destination").fill("Toronto")
    page.get_by_label("Country of Origin").select_option(label="Syria")
    page.get_by_label("Last Residence").select_option(label="Lebanon")
    page.get_by_label("Immigration Class").select_option(label="Government-Assisted Refugee")
    page.get_by_label("Immigration Status").select_option(label="Permanent Resident")
    page.get_by_label("Aboriginal Status").select_option(label="Not applicable")
    page.get_by_label("Immigration Card Type").select_option(label="Permanent Resident Card")
    page.get_by_label("Consent for Future Research/Consultation", exact=False).select_option(label="Yes")
    page.get_by_label(re.compile("consent to be contacted by your agency")).select_option(label="Yes")
    page.get_by_label(re.compile("consent to having his/her picture taken")).select_option(label="No")
    press_next(page, "Identification Documents")

    # Identification Documents and Client History Prior to OCMS
    assert_accessible(page, "identification")
    page.get_by_label("Client Identifier", exact=False).first.select_option(label="FOSS/GCMS Client ID")
    page.get_by_label("Identifier Value", exact=False).first.fill("1234-5678")
    page.get_by_role("button", name="Add identifier").click()
    expect(page.get_by_label("Client Identifier", exact=False)).to_have_count(2)
    expect(page.get_by_role("group", name="Identifier 2", exact=True)).to_be_visible()  # numbered as row 1 is
    page.get_by_label("Client Identifier", exact=False).nth(1).select_option(label="Passport Number")
    page.get_by_label("Identifier Value", exact=False).nth(1).fill("N1234567")
    page.get_by_label("Date of First Agency Visit in Program").fill("2019-07-15")
    agency_status = page.get_by_label("New/Repeat Status of Client in Agency Prior to OCMS")
    expect(agency_status).to_have_text("New Client")
    page.get_by_label("Status Language Training").select_option(label="Returning Client")
    expect(agency_status).to_have_text("Returning Client")
    assert_accessible(page, "identification-filled")
    press_next(page, "About Your Client (Contact Information)")

    # About Your Client (Contact Information)
    assert_accessible(page, "contact")
    page.get_by_label(re.compile(r"^Email")).fill("amina.haddad@example.com")
    page.get_by_label("Safe to contact").first.check()
    page.get_by_label("Telephone Number", exact=False).fill("416-555-0142")
    page.get_by_label("Safe to contact").nth(1).check()
    page.get_by_label("Telephone (ALT 1)").fill("647 555 0100")
    page.get_by_label("Telephone (ALT 2)").fill("+44 20 7946 0958")
    page.get_by_label("Street Number", exact=False).fill("120")
    page.get_by_label("Street Name", exact=False).fill("Bloor")
    page.get_by_label("Type", exact=True).select_option(label="Street")
    page.get_by_label("Direction").select_option(label="W - West")
    page.get_by_label("Unit/Suite/Apt").fill("4B")
    page.get_by_label("City", exact=False).fill("Toronto")
    page.get_by_label("Province", exact=False).select_option(label="Ontario")
    expect(page.get_by_label("Country", exact=True)).to_have_value("CA")
    page.get_by_label("Postal Code", exact=False).fill("m5s 1x5")
    press_next(page, "Employment Related")

    # Employment Related
    assert_accessible(page, "employment")
    page.get_by_label("Employment Status").select_option(index=1)
    page.get_by_label("Education level").select_option(label="Bachelor's degree")
    search = page.get_by_label("Find Current Profession in the NOC list")
    search.fill("nurse")
    page.locator(".noc-lookup", has=search).get_by_role("button", name="Find").click()
    results = page.get_by_role("list", name="NOC occupations found")
    expect(results).to_be_visible()
    assert_accessible(page, "employment-noc-results")
    results.get_by_role("button", name=re.compile(r"^Select")).first.click()
    current = page.get_by_label("Current Profession", exact=False).first
    expect(current).to_have_value(re.compile(r"^\d{5}$"))
    noc_code = current.input_value()
    expect(results).to_have_count(0)
    search = page.get_by_label("Find Desired Profession in the NOC list")
    search.fill("software")
    page.locator(".noc-lookup", has=search).get_by_role("button", name="Find").click()
    page.get_by_role("list", name="NOC occupations found").get_by_role(
        "button", name=re.compile(r"^Select")
    ).first.click()
    expect(page.get_by_label("Desired Profession", exact=False).first).to_have_value(re.compile(r"^\d{5}$"))
    page.get_by_label("Professional Background").fill("Nurse for ten years in Aleppo.")
    page.get_by_role("button", name="Add certificate").click()
    page.get_by_label("Institution Name").fill("University of Aleppo")
    page.get_by_label("Year").fill("2010")
    page.locator("[data-formset=certificates]").get_by_label("Country").select_option(label="Syria")
    assert_accessible(page, "employment-filled")
    press_next(page, "Client Language Related")

    # Client Language Related and Housing Status
    assert_accessible(page, "language")
    # The sidebar's language switch is not a second control named "Language".
    page.get_by_label("Language").select_option(label="Arabic")
    language = page.locator("[data-formset=languages]")
    language.get_by_label("Comments").fill("Mother tongue")
    language.get_by_label("Listening").select_option(label="7")
    language.get_by_label("Speaking").select_option(label="6")
    language.get_by_label("Reading").select_option(label="8")
    language.get_by_label("Writing").select_option(label="5")
    page.get_by_label("Housing Status").select_option(label="Rents")
    press_next(page, "Sensitive Information")

    # Sensitive Information and Volunteer
    assert_accessible(page, "sensitive")
    page.get_by_label("Health Insurance Status").select_option(label="Provincial health insurance")
    page.get_by_label("Family Income").select_option(label="$20,000 to $39,999")
    page.get_by_label("Illnesses").fill("Asthma")
    page.get_by_label("Racialized person").check()
    page.get_by_label("Volunteer Status", exact=True).select_option(label="Active")
    page.get_by_label("Primary Volunteer Stream").select_option(label="Adult")
    page.get_by_label("Volunteer Type").select_option(index=1)
    page.get_by_label("Volunteer status Settlement").select_option(label="Active")
    press_next(page, "Emergency Contact & Consent")

    # Emergency Contact & Consent, Learned About Your Agency
    assert_accessible(page, "consent")
    guardian = page.get_by_role("tabpanel", name="Guardian")
    expect(guardian.locator(".marker-ocms")).to_have_count(3)
    expect(guardian.locator(".marker-ocms").first).to_be_hidden()
    page.get_by_label("Consent Required", exact=False).select_option(label="Yes")
    # Yes marks the contacts' name, relationship and telephone required at once, before any Next.
    expect(guardian.locator(".marker-ocms:visible")).to_have_count(3)
    for group, name, relationship, phone in (
        ("Guardian", "Samir Haddad", "Father", "416-555-0150"),
        ("Person Giving Consent", "Samir Haddad", "Father", "416-555-0150"),
        ("Emergency Contact", "Layla Haddad", "Sister", "416-555-0177"),
    ):
        page.get_by_role("tab", name=group).click()
        contact = page.get_by_role("tabpanel", name=group)
        contact.get_by_label("Name", exact=False).fill(name)
        contact.get_by_label("Relationship", exact=False).select_option(label=relationship)
        contact.get_by_label("Telephone", exact=False).fill(phone)
        contact.get_by_label(re.compile(r"^Email")).fill(f"{name.split()[0].lower()}@example.com")
    page.get_by_role("button", name="Add child").click()
    children = page.locator("[data-formset=children]")
    children.get_by_label("Name").fill("Yusuf Haddad")
    children.get_by_label("Age Group").select_option(label="Toddler (19-35 months)")
    page.get_by_label("Family / friends").check()
    page.get_by_label("Community centre / library").check()
    assert_accessible(page, "consent-filled")
    press_next(page, "Registration Summary")

    # Registration Summary
    assert_accessible(page, "summary")
    expect(page.get_by_label("Primary Worker", exact=False)).to_have_value(str(caseworker.pk))
    expect(page.get_by_label("Registration Date", exact=False)).to_have_value(timezone.localdate().isoformat())
    expect(page.get_by_label("Site Name")).to_have_value("Main Office")
    page.get_by_role("button", name="Find", exact=True).click()
    # A few sites: every group is shown open, to browse without another click.
    expect(page.get_by_text("Non-schools or Reception Centres (2)")).to_be_visible()
    expect(page.get_by_role("button", name="Select Site Welcome Centre")).to_be_visible()
    assert_accessible(page, "summary-sites")
    page.get_by_role("button", name="Select Site Welcome Centre").click()
    expect(page.get_by_label("Site Name")).to_have_value("Welcome Centre")
    page.get_by_label("Comments").fill("Arrived with two children; prefers mornings.")
    expect(page.get_by_text("Everything iCARE needs is filled in.")).to_be_visible()
    page.get_by_role("button", name="Register").click()

    # Next Steps
    expect(page.get_by_role("heading", level=1)).to_have_text("Next Steps")
    client = Client.objects.get(last_name="Haddad")
    expect(page.get_by_text(f"is registered with client number {client.number}")).to_be_visible()
    expect(page.get_by_text(f"Family Code {code}")).to_be_visible()
    expect(page.get_by_role("button", name="Register Another Family Member")).to_be_visible()
    expect(page.get_by_text("iCARE ready")).to_be_visible()
    assert_accessible(page, "next-steps")

    # The profile shows what was typed.
    page.get_by_role("link", name="Open the profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Amina"))
    main = page.get_by_role("main")
    for text in (
        f"Client number {client.number}",
        "1988-04-12",
        code,
        "FOSS/GCMS Client ID: 1234-5678",
        "Passport Number: N1234567",
        "Returning Client",
        "amina.haddad@example.com",
        "(416) 555-0142",
        "31301 Registered nurses",
        "M5S 1X5",
        "University of Aleppo, 2010",
        "Mother tongue",
        "Rents",
        "Samir Haddad",
        "Yusuf Haddad",
        "Family / friends",
        "Welcome Centre",
        "Arrived with two children",
    ):
        expect(main).to_contain_text(text)
    assert_accessible(page, "profile")

    assert client.family.code == code
    assert client.phone.as_e164 == "+14165550142"
    assert client.phone_alt2.as_e164 == "+442079460958"
    assert client.email_safe and client.phone_safe
    assert client.current_profession_id == noc_code
    assert client.identifiers.count() == 2
    assert client.languages.get().comments == "Mother tongue"
    assert client.sensitive.illnesses == "Asthma"
    assert client.consent_contacts.count() == 3
    assert client.registration_site.name == "Welcome Centre"
    assert not Draft.objects.exists()
    # A number outside Canada must keep its country code on the page, or nobody can dial it from here.
    expect(main).to_contain_text("+44 20 7946 0958")


def test_it_registers_a_client_with_only_the_green_fields(live_server, page: Page, caseworker):
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")
    fill_green_primary(page, "Omar", "Farouk")
    expect(page.get_by_label("Date of Birth", exact=False)).to_have_value("1988-04-12")
    for heading in (
        "Immigration Related",
        "Identification Documents",
        "About Your Client (Contact Information)",
    ):
        press_next(page, heading)
        assert_accessible(page, f"green-{heading.split()[0].lower()}")
    page.get_by_label("Postal Code", exact=False).fill("K1A0B1")
    for heading in STEPS_AFTER_CONTACT:
        press_next(page, heading)
    summary_warning = page.get_by_role("status").filter(has_text="Not ready for iCARE.")
    expect(summary_warning).to_contain_text("Preferred Official Language")
    assert_accessible(page, "green-summary")
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Next Steps")
    client = Client.objects.get(last_name="Farouk")
    expect(page.get_by_text(f"is registered with client number {client.number}")).to_be_visible()
    expect(page.get_by_text(re.compile("This client has no FOSS/GCMS Client ID"))).to_be_visible()
    # What else iCARE needs, said once: the iCARE status.
    status = page.get_by_role("status").filter(has_text="Not ready for iCARE")
    expect(status).to_contain_text("Preferred Official Language")
    expect(status).to_contain_text("Consent for Future Research/Consultation")
    expect(page.get_by_text("Not ready for iCARE")).to_have_count(1)
    expect(page.get_by_role("button", name="Register Another Client")).to_be_visible()
    expect(page.get_by_role("button", name="Register Another Family Member")).to_have_count(0)
    assert_accessible(page, "green-next-steps")
    assert client.postal_code == "K1A0B1"
    assert client.registration_site.name == "Main Office"
    assert client.primary_worker == caseworker


def test_it_keeps_the_input_when_a_step_has_an_error(live_server, page: Page, caseworker):
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")
    page.get_by_label("First Name", exact=False).fill("Nadia")
    page.get_by_label("Gender", exact=False).select_option(label="Female")
    page.get_by_role("button", name="Next", exact=True).click()

    expect(page.get_by_role("heading", level=2, name="About Your Client (Primary Information)")).to_be_visible()
    last_name = page.get_by_label("Last Name", exact=False)
    expect(last_name).to_have_accessible_description(re.compile("Last Name is required by OCMS"))
    message = "Last Name is required by OCMS: fill it in to register the client."
    # Beside the field, and in the summary at the top, a link to it.
    expect(page.locator("#id_last_name_error")).to_have_text(message)
    summary = page.get_by_role("region", name=re.compile(r"^This page has \d+ errors?$"))
    expect(summary.get_by_role("link", name="Last Name")).to_have_accessible_description(message)
    expect(page.get_by_label("First Name", exact=False)).to_have_value("Nadia")
    expect(page.get_by_label("Gender", exact=False)).to_have_value(re.compile(r"\S"))
    assert_accessible(page, "primary-error")


def test_it_registers_an_anonymous_client(live_server, page: Page, caseworker):
    open_register_new_client(page, live_server)
    page.get_by_role("link", name="Anonymous Client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anonymous Client")
    assert_accessible(page, "anonymous")
    page.get_by_label("Gender", exact=False).select_option(label="Male")
    arrival_year = page.get_by_label("Arrival Year", exact=False)
    expect(arrival_year).to_have_value("")
    expect(arrival_year.locator("option:checked")).to_have_text("Unknown")
    page.get_by_label("Postal Code", exact=False).fill("h2x 1y4")
    page.get_by_label("Registration Site", exact=False).select_option(label="Welcome Centre")
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Next Steps")
    client = Client.objects.get()
    expect(page.get_by_text(f"The anonymous client is registered with client number {client.number}")).to_be_visible()
    expect(page.get_by_role("link", name="Register Another Client")).to_be_visible()
    assert_accessible(page, "anonymous-next-steps")
    assert client.is_anonymous
    assert client.arrival_year is None
    assert client.postal_code == "H2X1Y4"
    assert client.registration_site.name == "Welcome Centre"


def test_clear_asks_then_discards_the_draft(live_server, page: Page, caseworker):
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")
    page.get_by_label("First Name", exact=False).fill("Temporary")
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Register New Client").click()
    expect(page.get_by_role("heading", name="Resume registration")).to_be_visible()
    assert_accessible(page, "resume-list")
    page.get_by_role("link", name=re.compile("^Resume")).click()

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Clear").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Register New Client")
    expect(page.get_by_text("The registration was cleared: nothing was saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Resume registration")).to_have_count(0)
    assert messages and "Clear this registration?" in messages[0]
    assert not Draft.objects.exists()
    assert not Client.objects.exists()
    assert_accessible(page, "cleared")


def test_named_client_starts_another_registration_beside_one_without_a_name(live_server, page: Page, caseworker):
    start_named_client(page, live_server)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Register New Client").click()
    expect(page.get_by_role("heading", name="Resume registration")).to_be_visible()

    # The draft's Resume and Discard are named after it: nothing there is found as "Named Client".
    choose_named_client(page)

    assert Draft.objects.count() == 2


def test_it_groups_each_list_of_check_boxes_under_its_label(live_server, page: Page, caseworker):
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")
    fill_green_primary(page)
    page.get_by_role("button", name="8. Sensitive and Volunteer").click()

    expect(page.get_by_role("heading", level=2, name="Sensitive Information")).to_be_visible()
    page.get_by_role("group", name="Self-Identity").get_by_label("Racialized person").check()
    page.get_by_role("button", name="9. Consent and Referral").click()

    expect(page.get_by_role("heading", level=2, name="Learned About Your Agency")).to_be_visible()
    referral = page.get_by_role("group", name=re.compile("Learned about", re.IGNORECASE))
    referral.get_by_label("Family / friends").check()
    shot(page, "checkbox-groups")
    # The list must not spill over the buttons below it.
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_role("heading", level=2, name="Sensitive Information")).to_be_visible()
    # What was typed there is kept locked, and shown again with the password.
    expect(page.get_by_label("Racialized person")).to_have_count(0)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_text("Unlocked.")).to_be_visible()
    expect(page.get_by_label("Racialized person")).to_be_checked()


def test_enter_in_the_password_box_of_the_locked_sensitive_step_unlocks_it(live_server, page: Page, caseworker):
    """Not Next, the step form's first button, which left the step with the password dropped."""
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")
    fill_green_primary(page)
    page.get_by_role("button", name="8. Sensitive and Volunteer").click()
    page.get_by_role("group", name="Self-Identity").get_by_label("Racialized person").check()
    page.get_by_role("button", name="9. Consent and Referral").click()
    page.get_by_role("button", name="Back").click()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Your password").press("Enter")

    expect(page.get_by_text("Unlocked.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Unlocked.")).to_be_focused()  # said, not left at the top
    expect(page.get_by_role("heading", level=2, name="Sensitive Information")).to_be_visible()
    expect(page.get_by_label("Racialized person")).to_be_checked()


def test_enter_in_a_field_means_next_and_register_on_the_last_step(live_server, page: Page, caseworker):
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")

    fill_green_primary(page)
    page.get_by_label("First Name", exact=False).press("Enter")

    # Not the first step pill ("1. Privacy"): Next.
    expect(page.get_by_role("heading", level=2, name="Immigration Related", exact=True)).to_be_visible()
    page.get_by_label("Initial Destination").press("Enter")
    expect(page.get_by_role("heading", level=2, name="Identification Documents", exact=True)).to_be_visible()


def test_register_with_steps_still_to_do_opens_the_first_on_its_message_with_focus(live_server, page: Page, caseworker):
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")
    # The pill of a step done is named with it, no space before the comma (", done" is hidden text of its own).
    expect(page.get_by_role("button", name="1. Privacy, done", exact=True)).to_be_visible()
    page.get_by_role("button", name="10. Registration Summary").click()

    page.get_by_role("button", name="Register").click()

    message = page.get_by_role("alert").filter(has_text="before the client can be registered")
    expect(message).to_be_focused()
    expect(page.get_by_role("heading", level=2, name="About Your Client (Primary Information)")).to_be_visible()


def test_an_identifier_another_client_holds_is_shown_as_it_is_typed(live_server, page: Page, caseworker):
    holder = ClientFactory(registered_by=caseworker, first_name="Samir", last_name="Haddad")
    IdentifierFactory(client=holder, value="1111-2222")
    refused = []  # what the page's Content-Security-Policy refused (htmx's event filters are script), or any error
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")
    fill_green_primary(page)
    press_next(page, "Immigration Related")
    press_next(page, "Identification Documents")

    page.get_by_label("Client Identifier", exact=False).first.select_option(label="FOSS/GCMS Client ID")
    page.get_by_label("Identifier Value", exact=False).first.press_sequentially("1111 2222")

    # Before Next is pressed: the client holding it, with a link to the profile.
    check = page.get_by_role("alert").filter(has_text="Potential duplicate identities")
    expect(check).to_contain_text("Samir Haddad")
    expect(check).to_contain_text(str(holder.number))
    expect(check.get_by_role("link", name=re.compile("Open profile"))).to_be_visible()
    assert_accessible(page, "identifier-held-live")
    assert refused == []
