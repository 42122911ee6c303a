"""A caseworker who works by keyboard, with a screen reader: Enter searches in the lookups, tabs move with the arrow
keys, a form with errors opens on a summary whose links lead to each field, and a lookup's results take focus and are
announced."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from clients.models import Client
from registration.models import Draft
from tests.browser.pages import assert_accessible, press_next
from tests.browser.test_register import confirm_privacy, fill_green_primary, start_named_client
from tests.conftest import browser_login
from tests.factories import PASSWORD, ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab, as a keyboard user does, until `target` has focus."""
    for _press in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


def tab_and_press(page: Page, target: Locator, key: str) -> None:
    """Tab to `target`, then press `key` on it."""
    tab_to(page, target)
    page.keyboard.press(key)


def expect_step(page: Page, heading: str) -> None:
    """On the wizard's step of this heading."""
    expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()


def focused(page: Page) -> Locator:
    return page.locator(":focus")


def on_step(page: Page, live_server, heading: str) -> None:
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")
    if heading != "About Your Client (Primary Information)":
        fill_green_primary(page)
        page.get_by_role("button", name=re.compile(heading)).click()


def test_enter_in_the_family_search_finds_and_select_family_fills_the_code(live_server, page: Page, caseworker):
    ClientFactory(registered_by=caseworker, first_name="Samir", last_name="Haddad", with_family=True)
    on_step(page, live_server, "About Your Client (Primary Information)")

    page.get_by_role("button", name="Find", exact=True).press("Enter")
    search = page.get_by_label("Find the client's relative")
    expect(search).to_be_focused()
    search.press_sequentially("Haddad")
    search.press("Enter")

    # Found, not Next: the step is still here; focus is on the results, which were announced.
    expect_step(page, "About Your Client (Primary Information)")
    relative = page.get_by_role("radio", name=re.compile("Samir Haddad"))
    expect(focused(page).get_by_role("radio", name=re.compile("Samir Haddad"))).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="1 registered client found.")).to_have_count(1)
    assert_accessible(page, "family-found")
    tab_and_press(page, relative, "Space")
    expect(relative).to_be_checked()
    tab_and_press(page, page.get_by_role("button", name="Select Family"), "Enter")

    family_code = page.get_by_role("textbox", name="Family Code")
    expect(family_code).to_have_value(re.compile(r"^F-\d{4,6}-[A-Z]$"))
    expect(family_code).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="The client joins the family of Samir Haddad")).to_have_count(1)

    # Enter on a value offered to copy presses the offer's own button, not the step's Next.
    offered = page.get_by_role("checkbox", name=re.compile(r"^Last Name: Haddad"))
    offered.focus()
    if not offered.is_checked():
        offered.press("Space")
    offered.press("Enter")
    expect_step(page, "About Your Client (Primary Information)")
    expect(page.get_by_role("textbox", name="Last Name")).to_have_value("Haddad")
    expect(page.get_by_role("group", name=re.compile("^Copy from"))).to_have_count(0)


def test_enter_in_the_noc_search_finds_and_select_fills_the_profession(live_server, page: Page, caseworker):
    on_step(page, live_server, "Employment")
    expect_step(page, "Employment Related")

    search = page.get_by_label("Find Current Profession in the NOC list")
    asked = []  # who asked each NOC search: the box's own search (a moment after a key) or Find
    page.on("request", lambda asking: "/occupations/" in asking.url and asked.append(asking.headers.get("hx-trigger")))
    search.press_sequentially("registered nurse")
    search.press("Enter")

    expect_step(page, "Employment Related")
    expect(focused(page).get_by_role("list", name="NOC occupations found")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^\d+ NOC occupations? found\.$"))).to_have_count(1)
    tab_and_press(page, page.get_by_role("button", name="Select 31301"), "Enter")

    current = page.get_by_label("Current Profession", exact=False).first
    expect(current).to_have_value("31301")
    expect(current).to_be_focused()
    # The box's own search, due a moment after the last key, is not sent after Enter has asked the same: its answer
    # replaced the results being read (taking the Select button away from a quick keyboard user) or brought back
    # those the selection closed.
    page.wait_for_timeout(800)
    expect(page.get_by_role("list", name="NOC occupations found")).to_have_count(0)
    box = search.get_attribute("id")
    assert None in asked and box not in asked[asked.index(None) :], asked


def test_each_relative_found_has_its_radio_button_on_its_own_line(live_server, page: Page, caseworker):
    for first in ("Samir", "Lina", "Omar"):
        ClientFactory(registered_by=caseworker, first_name=first, last_name="Haddad", with_family=True)
    on_step(page, live_server, "About Your Client (Primary Information)")
    page.get_by_role("button", name="Find", exact=True).press("Enter")
    search = page.get_by_label("Find the client's relative")
    search.fill("Haddad")
    search.press("Enter")
    expect(page.get_by_role("radio")).to_have_count(3)

    # Each radio button stands beside its own name, not beside the legend or the name above it (both measured at
    # once: the page may still be scrolling to the results).
    for radio in page.get_by_role("radio").all():
        button, label = radio.evaluate(
            "radio => [radio, radio.labels[0]].map((e) => e.getBoundingClientRect().toJSON())"
        )
        middle = button["top"] + button["height"] / 2
        assert label["top"] <= middle <= label["bottom"], (button, label)
        assert button["right"] <= label["left"], (button, label)


def test_a_lookup_answers_a_key_pressed_the_moment_it_appears(live_server, page: Page, caseworker):
    """What htmx swaps in works at once: Enter in the relative search, typed as soon as the search is on the page
    (before htmx's usual 20 ms settle), searches."""
    ClientFactory(registered_by=caseworker, first_name="Samir", last_name="Haddad", with_family=True)
    on_step(page, live_server, "About Your Client (Primary Information)")
    # The swap that brings the search box in: not the step's own duplicate check, which the page asks for as it
    # loads and may swap in after this listener is added.
    page.evaluate(
        """() => document.body.addEventListener("htmx:afterSwap", function typed(event) {
            const search = event.detail.target.querySelector("[data-lookup-search]");
            if (!search) return;
            document.body.removeEventListener("htmx:afterSwap", typed);
            setTimeout(() => {
                search.value = "Haddad";
                search.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
            }, 0);
        })"""
    )
    page.get_by_role("button", name="Find", exact=True).press("Enter")

    expect(page.get_by_role("radio", name=re.compile("Samir Haddad"))).to_be_visible()


def test_enter_in_the_site_search_filters_and_select_site_fills_the_site(live_server, page: Page, caseworker):
    on_step(page, live_server, "Registration Summary")
    expect_step(page, "Registration Summary")

    search = page.get_by_label("Find a site")
    search.press_sequentially("welcome")
    search.press("Enter")

    expect_step(page, "Registration Summary")
    select = page.get_by_role("button", name="Select Site Welcome Centre")
    expect(focused(page).get_by_role("button", name="Select Site Welcome Centre")).to_be_visible()
    expect(page.get_by_role("button", name="Select Site Main Office")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="1 site found.")).to_have_count(1)
    tab_and_press(page, select, "Enter")

    site = page.get_by_label("Site Name")
    expect(site).to_have_value("Welcome Centre")
    expect(site).to_be_focused()


def test_the_consent_tabs_move_with_the_arrow_keys_home_and_end(live_server, page: Page, caseworker):
    on_step(page, live_server, "Consent and Referral")
    tabs = page.get_by_role("tablist")
    guardian = tabs.get_by_role("tab", name="Guardian")
    consenter = tabs.get_by_role("tab", name="Person Giving Consent")
    emergency = tabs.get_by_role("tab", name="Emergency Contact")

    # One stop in the Tab order: the selected tab.
    tab_to(page, guardian)
    page.keyboard.press("ArrowRight")
    expect(consenter).to_be_focused()
    expect(consenter).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel", name="Person Giving Consent")).to_be_visible()
    page.keyboard.press("End")
    expect(emergency).to_be_focused()
    expect(page.get_by_role("tabpanel", name="Emergency Contact")).to_be_visible()
    page.keyboard.press("Home")
    expect(guardian).to_be_focused()
    expect(guardian).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowLeft")
    expect(emergency).to_have_attribute("aria-selected", "true")
    expect(guardian).to_have_attribute("tabindex", "-1")


def test_a_step_with_errors_opens_on_its_summary_whose_links_lead_to_the_fields(live_server, page: Page, caseworker):
    on_step(page, live_server, "About Your Client (Primary Information)")
    page.get_by_label("First Name", exact=False).fill("Nadia")
    page.get_by_label("First Name", exact=False).press("Enter")

    summary = page.get_by_role("region", name=re.compile(r"^This page has \d+ errors?$"))
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Last Name")
    expect(link).to_have_accessible_description(re.compile("^Last Name is required by OCMS"))
    tab_and_press(page, link, "Enter")
    expect(page.get_by_label("Last Name", exact=False)).to_be_focused()
    assert_accessible(page, "primary-error-summary")


def test_an_error_on_a_closed_consent_tab_opens_it_from_the_summary(live_server, page: Page, caseworker):
    on_step(page, live_server, "Consent and Referral")
    page.get_by_label("Consent Required", exact=False).select_option(label="Yes")
    page.get_by_role("tabpanel", name="Guardian").get_by_label("Name", exact=False).fill("Samir Haddad")
    page.get_by_role("button", name="Next", exact=True).click()

    summary = page.get_by_role("region", name=re.compile(r"^This page has \d+ errors?$"))
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name=re.compile(r"^Emergency Contact: Name"))
    tab_and_press(page, link, "Enter")

    emergency = page.get_by_role("tabpanel", name="Emergency Contact")
    expect(page.get_by_role("tab", name=re.compile("^Emergency Contact"))).to_have_attribute("aria-selected", "true")
    expect(emergency.get_by_label("Name", exact=False)).to_be_focused()


def test_a_wrong_password_at_login_opens_on_the_summary(live_server, page: Page, caseworker):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail").fill("casey")
    page.get_by_label("Password").fill("not the password")
    page.get_by_label("Password").press("Enter")

    summary = page.get_by_role("region", name="This page has 1 error")
    expect(summary).to_be_focused()
    summary.get_by_role("link").press("Enter")
    expect(page.get_by_label("Username or e-mail")).to_be_focused()
    assert_accessible(page, "login-error")


def test_a_wrong_password_on_sensitive_edit_opens_on_the_summary(live_server, page: Page, caseworker):
    client = ClientFactory(registered_by=caseworker)
    browser_login(page, live_server, "casey")
    page.goto(f"{live_server.url}/clients/{client.code}/sensitive/edit/")
    page.get_by_label("Your password").fill("not the password")
    page.get_by_label("Your password").press("Enter")

    summary = page.get_by_role("region", name="This page has 1 error")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile("password")).press("Enter")
    expect(page.get_by_label("Your password")).to_be_focused()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Your password").press("Enter")
    expect(page.get_by_label("Illnesses")).to_be_visible()


def type_date(page: Page, iso: str) -> None:
    """Type a date into the focused field as a keyboard user does, in the order the field shows it."""
    if page.evaluate("document.activeElement.type") == "date":  # Chromium's date field, in en-US: month, day, year
        year, month, day = iso.split("-")
        page.keyboard.type(month + day + year)
    else:
        page.keyboard.type(iso)


def test_enter_on_the_privacy_drop_down_goes_to_the_next_step(live_server, page: Page, caseworker):
    """The Privacy step has a drop-down only: Enter there is Next, as Enter in a text field is on the other steps."""
    start_named_client(page, live_server)
    answer = page.get_by_label(re.compile(r"read and understood your agency's Privacy"))
    tab_to(page, answer)
    page.keyboard.type("Yes")
    page.keyboard.press("Enter")

    expect_step(page, "About Your Client (Primary Information)")
    assert Draft.objects.get().data["privacy"]["privacy_confirmed"] == ["yes"]


def test_a_named_client_is_registered_with_the_keyboard_alone(live_server, page: Page, caseworker):
    """Tab, typing, Space and the arrow keys, and Enter to go on: never the mouse."""
    relative = ClientFactory(registered_by=caseworker, first_name="Samir", last_name="Haddad", with_family=True)
    ClientFactory(registered_by=caseworker, first_name="Yusuf", last_name="Haddad", family=relative.family)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("Username or e-mail")).to_be_focused()
    page.keyboard.type("casey")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My Tasks")

    tab_and_press(
        page, page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Register New Client"), "Enter"
    )
    tab_and_press(page, page.get_by_role("button", name="Named Client"), "Enter")

    # Privacy: a drop-down, chosen by typing; Enter on Next.
    tab_to(page, page.get_by_label(re.compile(r"read and understood your agency's Privacy")))
    page.keyboard.type("Yes")
    tab_and_press(page, page.get_by_role("button", name="Next", exact=True), "Enter")

    # Primary: typed, a drop-down by typing, a date, the family of a relative found with Find and a radio button.
    on_primary = page.get_by_role("heading", level=2, name="About Your Client (Primary Information)")
    expect(on_primary).to_be_visible()
    tab_to(page, page.get_by_label("First Name", exact=False))
    page.keyboard.type("Amina")
    page.keyboard.press("Tab")
    page.keyboard.type("Haddad")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Gender", exact=False)).to_be_focused()
    page.keyboard.type("Female")
    tab_to(page, page.get_by_label("Date of Birth", exact=False))
    type_date(page, "1988-04-12")
    tab_and_press(page, page.get_by_role("button", name="Find", exact=True), "Enter")
    expect(page.get_by_label("Find the client's relative")).to_be_focused()
    page.keyboard.type("Haddad")
    page.keyboard.press("Enter")
    samir = page.get_by_role("radio", name=re.compile("Samir Haddad"))
    yusuf = page.get_by_role("radio", name=re.compile("Yusuf Haddad"))
    expect(focused(page).get_by_role("radio")).to_have_count(2)
    tab_and_press(page, samir, "Space")
    page.keyboard.press("ArrowDown")  # the arrow keys move the choice
    expect(yusuf).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(samir).to_be_checked()
    tab_and_press(page, page.get_by_role("button", name="Select Family"), "Enter")
    family_code = page.get_by_role("textbox", name="Family Code")
    expect(family_code).to_be_focused()
    expect(family_code).to_have_value(relative.family.code)
    page.keyboard.press("Enter")

    # Immigration: Enter in a field is Next.
    expect_step(page, "Immigration Related")
    tab_to(page, page.get_by_label("Initial Destination"))
    page.keyboard.type("Toronto")
    page.keyboard.press("Enter")

    # Identification: an identifier type by typing, then its value.
    expect_step(page, "Identification Documents")
    tab_to(page, page.get_by_label("Client Identifier", exact=False).first)
    page.keyboard.type("FOSS")
    page.keyboard.press("Tab")
    page.keyboard.type("1234-5678")
    page.keyboard.press("Enter")

    expect_step(page, "About Your Client (Contact Information)")
    tab_to(page, page.get_by_label("Postal Code", exact=False))
    page.keyboard.type("M5S 1X5")
    page.keyboard.press("Enter")

    # Employment: the NOC lookup by Enter, its Select by Enter, then Enter in the code it filled.
    expect_step(page, "Employment Related")
    tab_to(page, page.get_by_label("Find Current Profession in the NOC list"))
    page.keyboard.type("registered nurse")
    page.keyboard.press("Enter")
    expect(focused(page).get_by_role("list", name="NOC occupations found")).to_be_visible()
    tab_and_press(page, page.get_by_role("button", name="Select 31301"), "Enter")
    expect(page.get_by_label("Current Profession", exact=False).first).to_be_focused()
    page.keyboard.press("Enter")

    # Language and Housing, Sensitive: Enter on Next; a check box with Space.
    expect_step(page, "Client Language Related")
    tab_and_press(page, page.get_by_role("button", name="Next", exact=True), "Enter")
    expect_step(page, "Sensitive Information")
    tab_and_press(page, page.get_by_label("Racialized person"), "Space")
    tab_and_press(page, page.get_by_role("button", name="Next", exact=True), "Enter")

    # Consent: the contact tabs with the arrow keys, a check box with Space.
    expect_step(page, "Emergency Contact & Consent")
    tab_to(page, page.get_by_role("tab", name="Guardian"))
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="Emergency Contact")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("tabpanel", name="Emergency Contact").get_by_label("Name", exact=False)).to_be_focused()
    page.keyboard.type("Layla Haddad")
    tab_and_press(page, page.get_by_label("Family / friends"), "Space")
    tab_and_press(page, page.get_by_role("button", name="Next", exact=True), "Enter")

    # Summary: the site found by Enter, selected by Enter; Register by Enter.
    expect_step(page, "Registration Summary")
    tab_to(page, page.get_by_label("Find a site"))
    page.keyboard.type("welcome")
    page.keyboard.press("Enter")
    expect(focused(page).get_by_role("button", name="Select Site Welcome Centre")).to_be_visible()
    tab_and_press(page, page.get_by_role("button", name="Select Site Welcome Centre"), "Enter")
    expect(page.get_by_label("Site Name")).to_be_focused()
    tab_and_press(page, page.get_by_role("button", name="Register", exact=True), "Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Next Steps")
    client = Client.objects.get(first_name="Amina")
    assert client.family == relative.family
    assert client.date_of_birth.isoformat() == "1988-04-12"
    assert client.gender.label == "Female"
    assert client.current_profession_id == "31301"
    assert client.registration_site.name == "Welcome Centre"
    assert client.identifiers.get().value == "1234-5678"
    assert client.sensitive.self_identity.filter(label="Racialized person").exists()
    assert client.consent_contacts.get().name == "Layla Haddad"
    assert client.referral_sources.filter(value="Family / friends").exists()
