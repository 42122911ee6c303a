"""Sensitive Information in a real browser: the granted caseworker unlocks it, sees the four tabs, leaves and
comes back to find it locked; the manager then sees both attempts on the review page. axe-core on each page."""

import re

import pytest
from playwright.sync_api import Page, expect

from clients.models import UnlockAttempt, UnlockOutcome
from tests.browser.pages import assert_accessible
from tests.clients.sensitive_helpers import IDENTITIES, ILLNESSES, INCOME, INSURANCE, TABS, WRONG, client_with_secrets
from tests.conftest import browser_login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_locked(page: Page) -> None:
    section = page.locator("#sensitive-info")
    expect(section.get_by_label("Your password")).to_be_visible()
    expect(section.get_by_role("button", name="Unlock")).to_be_visible()
    expect(section.get_by_role("tab")).to_have_count(0)
    for secret in (ILLNESSES, INSURANCE, INCOME, *IDENTITIES):
        expect(page.get_by_text(secret)).to_have_count(0)


def unlock_with(page: Page, password: str) -> None:
    section = page.locator("#sensitive-info")
    section.get_by_label("Your password").fill(password)
    section.get_by_role("button", name="Unlock").click()


def test_the_caseworker_unlocks_leaves_and_finds_it_locked_and_the_manager_sees_both_attempts(
    live_server, page: Page, caseworker, manager
):
    client = client_with_secrets(caseworker, first_name="Amina", last_name="Haddad")
    profile_url = f"{live_server.url}/clients/{client.code}/"

    # The granted caseworker opens the profile: the section is locked.
    browser_login(page, live_server, "casey")
    page.goto(profile_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Amina Haddad")
    expect(page.get_by_role("heading", name="Sensitive Information")).to_be_visible()
    expect_locked(page)
    assert_accessible(page, "locked")

    # A wrong password is refused where the user looks, and nothing opens.
    unlock_with(page, WRONG)
    expect(page.get_by_role("alert")).to_contain_text("That password is not correct")
    expect_locked(page)
    assert_accessible(page, "refused")

    # The right password opens the four tabs.
    unlock_with(page, PASSWORD)
    section = page.locator("#sensitive-info")
    tabs = section.get_by_role("tab")
    expect(tabs).to_have_count(4)
    expect(tabs).to_have_text(list(TABS))
    expect(section.get_by_role("tabpanel")).to_have_text(INSURANCE)
    assert_accessible(page, "unlocked")
    section.get_by_role("tab", name="Illnesses").click()
    expect(section.get_by_role("tabpanel")).to_have_text(ILLNESSES)
    section.get_by_role("tab", name="Self-Identity").click()
    for identity in IDENTITIES:
        expect(section.get_by_role("tabpanel")).to_contain_text(identity)
    section.get_by_role("tab", name="Family Income").click()
    expect(section.get_by_role("tabpanel")).to_have_text(INCOME)
    expect(section.get_by_role("tab", name="Family Income")).to_have_attribute("aria-selected", "true")
    # The page's address did not change: the unlocked content lives in this page only.
    assert page.url == profile_url

    # Away and back: locked again.
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Find Client").click()
    expect(page).to_have_url(re.compile(r"/clients/find/$"))
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amina Haddad")
    expect_locked(page)
    # And reloading shows it locked too.
    page.reload()
    expect_locked(page)

    outcomes = list(UnlockAttempt.objects.order_by("at").values_list("outcome", flat=True))
    assert outcomes == [UnlockOutcome.WRONG_PASSWORD, UnlockOutcome.GRANTED]

    # The manager reviews Sensitive Information Access from the sidebar.
    page.get_by_role("button", name="Log out").click()
    browser_login(page, live_server, "mana")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Sensitive Information Access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sensitive Information Access")
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Granted")
    expect(rows.nth(1)).to_contain_text("Wrong password")
    for index in range(2):
        expect(rows.nth(index)).to_contain_text(caseworker.display_name)
        expect(rows.nth(index)).to_contain_text("Amina Haddad")
    assert_accessible(page, "review")

    # Each client name leads to the profile, where the manager sees who opened it, and its change history.
    rows.nth(0).get_by_role("link", name="Amina Haddad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amina Haddad")
    expect(page.get_by_role("table", name="Who opened this client's Sensitive Information")).to_contain_text(
        caseworker.display_name
    )
    expect_locked(page)
    assert_accessible(page, "manager-profile")
    page.get_by_role("link", name="Change History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change History")
    expect(page.get_by_role("main")).to_contain_text("Registered")
    assert_accessible(page, "history")


def test_the_caseworker_edits_the_sensitive_information_with_the_password(live_server, page: Page, caseworker):
    client = client_with_secrets(caseworker, first_name="Amina", last_name="Haddad")

    browser_login(page, live_server, "casey")
    page.goto(f"{live_server.url}/clients/{client.code}/")
    page.get_by_role("link", name="Edit Sensitive Information").click()
    expect(page.get_by_label("Illnesses")).to_have_count(0)
    assert_accessible(page, "edit-locked")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Unlock").click()

    expect(page.get_by_label("Illnesses")).to_have_value(ILLNESSES)
    # Focus is on what the unlock says, before the fields, not left at the top of the page.
    expect(page.get_by_role("status").filter(has_text="Unlocked for editing on this page only")).to_be_focused()
    assert_accessible(page, "edit-unlocked")
    page.get_by_label("Illnesses").fill("Hypertension")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Update").click()

    expect(page.get_by_role("status").filter(has_text="The Sensitive Information is updated")).to_be_visible()
    expect_locked(page)
    client.sensitive.refresh_from_db()
    assert client.sensitive.illnesses == "Hypertension"


def test_the_four_tabs_open_with_the_arrow_keys_after_an_unlock(live_server, page: Page, caseworker):
    client = client_with_secrets(caseworker, first_name="Amina", last_name="Haddad")
    browser_login(page, live_server, "casey")
    page.goto(f"{live_server.url}/clients/{client.code}/")
    section = page.locator("#sensitive-info")
    section.get_by_label("Your password").fill(PASSWORD)
    section.get_by_label("Your password").press("Enter")

    # The tabs came through htmx, after the page: the arrow keys move between them all the same.
    health = section.get_by_role("tab", name="Health Insurance Status")
    expect(health).to_be_focused()
    expect(section.get_by_role("tabpanel")).to_have_text(INSURANCE)
    for key, name, shown in (
        ("ArrowRight", "Illnesses", ILLNESSES),
        ("ArrowRight", "Self-Identity", IDENTITIES[0]),
        ("ArrowRight", "Family Income", INCOME),
        ("Home", "Health Insurance Status", INSURANCE),
        ("End", "Family Income", INCOME),
        ("ArrowLeft", "Self-Identity", IDENTITIES[1]),
    ):
        page.keyboard.press(key)
        tab = section.get_by_role("tab", name=name)
        expect(tab).to_be_focused()
        expect(tab).to_have_attribute("aria-selected", "true")
        expect(section.get_by_role("tabpanel", name=name)).to_contain_text(shown)
    # Only the selected tab is a stop of the Tab key.
    expect(health).to_have_attribute("tabindex", "-1")


def test_lock_locks_the_section_again_on_the_same_page(live_server, page: Page, caseworker):
    client = client_with_secrets(caseworker, first_name="Amina", last_name="Haddad")
    profile_url = f"{live_server.url}/clients/{client.code}/"
    browser_login(page, live_server, "casey")
    page.goto(profile_url)
    unlock_with(page, PASSWORD)
    section = page.locator("#sensitive-info")
    expect(section.get_by_role("tab")).to_have_count(4)

    # By keyboard, as any other button: the section locks where it is, ready for the next password.
    section.get_by_role("link", name="Lock").focus()
    page.keyboard.press("Enter")
    expect_locked(page)
    expect(section.get_by_label("Your password")).to_be_focused()
    expect(section.get_by_role("status")).to_contain_text("Locked.")
    assert page.url == profile_url
    assert_accessible(page, "locked-again")
    assert list(UnlockAttempt.objects.values_list("outcome", flat=True)) == [UnlockOutcome.GRANTED]
